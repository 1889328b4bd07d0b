package org.fenghuo.jobs.common;

import java.util.List;
import org.fenghuo.connectors.elasticsearch.ElasticsearchSink;
import org.fenghuo.connectors.elasticsearch.FenghuoIndices;
import org.fenghuo.connectors.elasticsearch.IndexDocument;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.NormalizedEvent;

/** The Elasticsearch sinks of the jobs: which index each record type goes to, and its deterministic id. */
public final class ElasticsearchSinks {
    private ElasticsearchSinks() {}

    private static final java.time.Duration SEARCHABLE_WITHIN = java.time.Duration.ofMillis(200);

    public static ElasticsearchSink<NormalizedEvent> events(List<String> hosts, Platform platform) {
        return platform.authenticate(ElasticsearchSink.<NormalizedEvent>builder()
                .hosts(hosts)
                // a duty officer's search should see an event within about a second of it reaching Kafka
                .maxBufferTime(SEARCHABLE_WITHIN)
                .documentMapper(e -> new IndexDocument(FenghuoIndices.EVENTS, e.eventId(), Json.toBytes(e)))).build();
    }

    public static ElasticsearchSink<DeadLetter> deadLetters(List<String> hosts, Platform platform) {
        return platform.authenticate(ElasticsearchSink.<DeadLetter>builder()
                .hosts(hosts)
                .maxBufferTime(SEARCHABLE_WITHIN)
                .documentMapper(d -> new IndexDocument(FenghuoIndices.DEAD_LETTERS, d.deadLetterId(), Json.toBytes(d.toIndexDocument())))).build();
    }

    public static ElasticsearchSink<org.fenghuo.core.alert.Alert> alerts(List<String> hosts, Platform platform) {
        return platform.authenticate(ElasticsearchSink.<org.fenghuo.core.alert.Alert>builder()
                .hosts(hosts)
                .maxBufferTime(SEARCHABLE_WITHIN)
                .documentMapper(a -> new IndexDocument(FenghuoIndices.ALERTS, a.alertId(), Json.toBytes(a)))).build();
    }

    public static ElasticsearchSink<org.fenghuo.core.alert.Signal> signals(List<String> hosts, Platform platform) {
        return platform.authenticate(ElasticsearchSink.<org.fenghuo.core.alert.Signal>builder()
                .hosts(hosts)
                .maxBufferTime(SEARCHABLE_WITHIN)
                .documentMapper(s -> new IndexDocument(FenghuoIndices.SIGNALS, s.signalId(), Json.toBytes(s)))).build();
    }

    public static ElasticsearchSink<org.fenghuo.core.alert.AlertAction> alertActions(List<String> hosts, Platform platform) {
        return platform.authenticate(ElasticsearchSink.<org.fenghuo.core.alert.AlertAction>builder()
                .hosts(hosts)
                .maxBufferTime(SEARCHABLE_WITHIN)
                .documentMapper(a -> new IndexDocument(FenghuoIndices.ALERT_ACTIONS, a.actionId(), Json.toBytes(a)))).build();
    }
}

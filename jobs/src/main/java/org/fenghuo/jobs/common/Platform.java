package org.fenghuo.jobs.common;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.fenghuo.connectors.elasticsearch.ElasticsearchSink;
import org.fenghuo.core.config.ConfigException;
import org.fenghuo.core.config.Setting;
import org.fenghuo.core.config.Settings;

/**
 * What every job needs to know about the platform it runs on, beyond the addresses: how Kafka writes are delivered,
 * the Elasticsearch credentials, and the state backend. Declared once and shared by the ingest and correlation jobs.
 */
public record Platform(
        DeliveryGuarantee delivery,
        Duration transactionTimeout,
        String elasticsearchUsername,
        String elasticsearchPassword,
        String stateBackend) implements Serializable {

    public static final Setting<String> DELIVERY = Setting.string("fenghuo.kafka.delivery", "exactly-once",
            "exactly-once: events.normalized, feed.dead-letter and alerts are written in Kafka transactions committed with "
                    + "each checkpoint (readers use read_committed; a record is visible once its checkpoint completes); "
                    + "at-least-once: written at once, a restart may repeat records (ids make the repeats harmless)")
            .requiring(v -> Set.of("exactly-once", "at-least-once").contains(v.toLowerCase(Locale.ROOT)), "exactly-once or at-least-once");
    public static final Setting<Duration> TRANSACTION_TIMEOUT = Setting.duration("fenghuo.kafka.transaction-timeout",
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofHours(1),
            "how long an open Kafka transaction may last (exactly-once); at most the brokers' transaction.max.timeout.ms "
                    + "(15 min by default) and well above the checkpoint interval plus a restart");
    public static final Setting<String> ES_USERNAME = Setting.string("fenghuo.elasticsearch.username", null,
            "Elasticsearch user (security enabled); unset: no authentication");
    public static final Setting<String> ES_PASSWORD = Setting.string("fenghuo.elasticsearch.password", null,
            "password of fenghuo.elasticsearch.username").secret();
    public static final Setting<String> STATE_BACKEND = Setting.string("fenghuo.state.backend", null,
            "hashmap (state on the heap) or rocksdb (state on local disk, for large state); unset: the cluster's own "
                    + "state.backend.type (rocksdb in ./fenghuo cluster, hashmap in the demo's MiniCluster)")
            .requiring(v -> Set.of("hashmap", "rocksdb").contains(v.toLowerCase(Locale.ROOT)), "hashmap or rocksdb");

    public static final List<Setting<?>> ALL = List.of(DELIVERY, TRANSACTION_TIMEOUT, ES_USERNAME, ES_PASSWORD, STATE_BACKEND);

    public static Platform from(Settings s) {
        String user = blankToNull(s.get(ES_USERNAME));
        String password = blankToNull(s.get(ES_PASSWORD));
        if (user != null && password == null) {
            throw new ConfigException("setting " + ES_USERNAME.name() + " is set but " + ES_PASSWORD.name()
                    + " is not; give both (or neither, for an Elasticsearch without security)");
        }
        if (user == null && password != null) {
            throw new ConfigException("setting " + ES_PASSWORD.name() + " is set but " + ES_USERNAME.name() + " is not; give both");
        }
        DeliveryGuarantee delivery = "at-least-once".equalsIgnoreCase(s.get(DELIVERY))
                ? DeliveryGuarantee.AT_LEAST_ONCE : DeliveryGuarantee.EXACTLY_ONCE;
        String backend = blankToNull(s.get(STATE_BACKEND));
        return new Platform(delivery, s.get(TRANSACTION_TIMEOUT), user, password,
                backend == null ? null : backend.toLowerCase(Locale.ROOT));
    }

    public boolean exactlyOnce() {
        return delivery == DeliveryGuarantee.EXACTLY_ONCE;
    }

    /** Applies the credentials, if any, to an Elasticsearch sink. */
    public <T> ElasticsearchSink.Builder<T> authenticate(ElasticsearchSink.Builder<T> builder) {
        return elasticsearchUsername == null ? builder : builder.basicAuth(elasticsearchUsername, elasticsearchPassword);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    @Override
    public String toString() {
        // never print the password
        return "Platform[delivery=" + delivery + ", transactionTimeout=" + transactionTimeout + ", elasticsearchUser="
                + elasticsearchUsername + ", stateBackend=" + (stateBackend == null ? "(cluster's)" : stateBackend) + "]";
    }
}

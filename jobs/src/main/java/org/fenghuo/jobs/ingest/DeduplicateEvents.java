package org.fenghuo.jobs.ingest;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.fenghuo.jobs.common.LabelledCounters;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.fenghuo.core.model.NormalizedEvent;

/**
 * Feeds are at-least-once: the same record delivered again is the same event (DESIGN §2). Keyed by event id, the
 * first delivery passes and identical redeliveries are dropped (and counted). A record re-sent under the same id with
 * different content (a grid report whose status moved to RESOLVED) is an update: it passes, and Elasticsearch
 * overwrites the document by id. The memory of an id is released by an event-time timer once the watermark is
 * {@code retention} past the event, so state stays bounded and a replay of last month behaves like the live run.
 */
public final class DeduplicateEvents extends KeyedProcessFunction<String, NormalizedEvent, NormalizedEvent> {
    private final long retentionMillis;
    private transient ValueState<Long> expiry;
    private transient ValueState<Long> fingerprint;
    private transient Counter duplicates;
    private transient Counter updates;
    private transient LabelledCounters eventsOut;

    public DeduplicateEvents(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        expiry = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry", Long.class));
        fingerprint = getRuntimeContext().getState(new ValueStateDescriptor<>("fingerprint", Long.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        updates = getRuntimeContext().getMetricGroup().counter("updatesPassed");
        eventsOut = LabelledCounters.of(getRuntimeContext().getMetricGroup(), "eventsOut", "feed");
    }

    @Override
    public void processElement(NormalizedEvent event, Context ctx, Collector<NormalizedEvent> out) throws Exception {
        long fp = fingerprintOf(event);
        Long seen = fingerprint.value();
        if (seen != null && seen == fp) {
            duplicates.inc();
            return;
        }
        if (seen != null) updates.inc();
        // a late event must still be remembered for the full retention from now on, not from its old event time
        long at = Math.max(event.occurredAtMillis(), ctx.timerService().currentWatermark()) + retentionMillis;
        Long current = expiry.value();
        if (current == null || at > current) {
            expiry.update(at);
            ctx.timerService().registerEventTimeTimer(at);
            if (current != null) ctx.timerService().deleteEventTimeTimer(current);
        }
        fingerprint.update(fp);
        out.collect(event);
        eventsOut.inc(event.feed());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NormalizedEvent> out) throws Exception {
        Long at = expiry.value();
        if (at != null && at <= timestamp) {
            expiry.clear();
            fingerprint.clear();
        }
    }

    /**
     * The event's content without its ingestion time and source partition (which differ per delivery). The record's value hash is enough:
     * a collision would only let an identical redelivery through as an "update", which overwrites the same document.
     */
    private static long fingerprintOf(NormalizedEvent event) {
        return event.withIngestedAt(null).fromPartition(null).hashCode();
    }
}

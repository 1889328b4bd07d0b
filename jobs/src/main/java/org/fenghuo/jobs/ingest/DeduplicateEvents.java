package org.fenghuo.jobs.ingest;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.fenghuo.core.model.NormalizedEvent;

/**
 * Feeds are at-least-once: the same record id delivered again is the same event (DESIGN §2). Keyed by event id, the
 * first delivery passes and later ones are dropped (and counted). The memory of an id is released by an event-time
 * timer once the watermark is {@code retention} past the event, so state stays bounded and a replay of last month
 * behaves like the live run did.
 */
public final class DeduplicateEvents extends KeyedProcessFunction<String, NormalizedEvent, NormalizedEvent> {
    private final long retentionMillis;
    private transient ValueState<Long> expiry;
    private transient Counter duplicates;

    public DeduplicateEvents(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        expiry = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry", Long.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
    }

    @Override
    public void processElement(NormalizedEvent event, Context ctx, Collector<NormalizedEvent> out) throws Exception {
        if (expiry.value() != null) {
            duplicates.inc();
            return;
        }
        // a late event must still be remembered for the full retention from now on, not from its old event time
        long base = Math.max(event.occurredAtMillis(), ctx.timerService().currentWatermark());
        long at = base + retentionMillis;
        expiry.update(at);
        ctx.timerService().registerEventTimeTimer(at);
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NormalizedEvent> out) throws Exception {
        Long at = expiry.value();
        if (at != null && at <= timestamp) expiry.clear();
    }
}

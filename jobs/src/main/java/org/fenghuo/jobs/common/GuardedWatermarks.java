package org.fenghuo.jobs.common;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness on a {@link GuardedClock}: event time trails the newest plausible record by
 * {@code outOfOrderness}. The ingest's feed partitions need the guard as much as the correlation job: one wild record
 * would otherwise fire the dedupe's timers months early.
 */
public final class GuardedWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrderness;
    private final GuardedClock clock;

    public GuardedWatermarks(Duration outOfOrderness, Duration jump, int confirmations) {
        if (outOfOrderness.isNegative()) throw new IllegalArgumentException("out-of-orderness ≥ 0 expected");
        this.outOfOrderness = outOfOrderness.toMillis();
        this.clock = new GuardedClock(jump, confirmations);
    }

    /** Guarded bounded out-of-orderness with the default guard; add the timestamp assigner and idleness. */
    public static <T> WatermarkStrategy<T> strategy(Duration outOfOrderness) {
        return WatermarkStrategy.forGenerator(ctx -> new GuardedWatermarks<>(outOfOrderness, GuardedClock.WILD_JUMP,
                GuardedClock.WILD_CONFIRMATIONS));
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
        clock.observe(timestamp);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (clock.max() != Long.MIN_VALUE) output.emitWatermark(new Watermark(clock.max() - outOfOrderness - 1));
    }
}

package org.fenghuo.jobs.correlation;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness that one wild timestamp cannot throw forward. A feed record dated months ahead of its
 * neighbours (a mistyped year in a replay of last spring, which the ingest's "not in the future" check lets through
 * because it compares with today) would otherwise move event time to that date, and every real record after it would
 * be too late to count. A record more than {@code jump} ahead of the partition's event time is held as a suspect: it
 * is processed like any other, but event time follows it only when {@code confirmations} records in a row are that
 * far ahead too (the feed really moved on, e.g. after an outage), and then only to the earliest of them.
 */
final class GuardedWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrderness;
    private final long jump;
    private final int confirmations;
    private long maxTimestamp = Long.MIN_VALUE;
    private int suspects;
    private long earliestSuspect = Long.MAX_VALUE;

    GuardedWatermarks(Duration outOfOrderness, Duration jump, int confirmations) {
        if (outOfOrderness.isNegative() || jump.isNegative() || jump.isZero() || confirmations < 1) {
            throw new IllegalArgumentException("out-of-orderness ≥ 0, jump > 0 and confirmations ≥ 1 expected");
        }
        this.outOfOrderness = outOfOrderness.toMillis();
        this.jump = jump.toMillis();
        this.confirmations = confirmations;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
        if (maxTimestamp == Long.MIN_VALUE || timestamp <= maxTimestamp + jump) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            suspects = 0;
            earliestSuspect = Long.MAX_VALUE;
            return;
        }
        suspects++;
        earliestSuspect = Math.min(earliestSuspect, timestamp);
        if (suspects >= confirmations) {
            maxTimestamp = earliestSuspect;
            suspects = 0;
            earliestSuspect = Long.MAX_VALUE;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTimestamp != Long.MIN_VALUE) output.emitWatermark(new Watermark(maxTimestamp - outOfOrderness - 1));
    }
}

package org.fenghuo.jobs.correlation;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.fenghuo.core.model.NormalizedEvent;

/**
 * Event time of one {@code events.normalized} partition, followed per feed. The ingest writes the four feeds into the
 * topic in the order it happens to read them, not in event time: while it catches up on a backlog (a demo's history,
 * a restart after an outage) one feed can be days ahead of another in the same partition. With one clock per
 * partition, the lagging feed's records would all be "too late" and silently count for nothing. Here each feed has
 * its own {@link GuardedClock}, and event time is the slowest feed that is still delivering: a feed that has sent
 * nothing for {@code feedIdle} of wall-clock time (labour inspections may be quiet for hours) stops holding it back,
 * and when every feed is quiet event time follows the newest record. Event time never moves back.
 */
final class FeedWatermarks implements WatermarkGenerator<NormalizedEvent> {
    private final long outOfOrderness;
    private final long feedIdle;
    private final Duration jump;
    private final int confirmations;
    private final LongSupplier wallClock;
    private final Map<String, GuardedClock> feeds = new HashMap<>();
    private long emitted = Long.MIN_VALUE;

    FeedWatermarks(Duration outOfOrderness, Duration feedIdle, Duration jump, int confirmations, LongSupplier wallClock) {
        if (outOfOrderness.isNegative() || feedIdle.isNegative() || feedIdle.isZero()) {
            throw new IllegalArgumentException("out-of-orderness ≥ 0 and feed idleness > 0 expected");
        }
        this.outOfOrderness = outOfOrderness.toMillis();
        this.feedIdle = feedIdle.toMillis();
        this.jump = jump;
        this.confirmations = confirmations;
        this.wallClock = wallClock;
        new GuardedClock(jump, confirmations); // validates the guard's parameters up front
    }

    @Override
    public void onEvent(NormalizedEvent event, long timestamp, WatermarkOutput output) {
        String feed = event.feed() == null ? "" : event.feed();
        feeds.computeIfAbsent(feed, f -> new GuardedClock(jump, confirmations)).observe(timestamp, wallClock.getAsLong());
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = wallClock.getAsLong();
        long slowestActive = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        for (GuardedClock c : feeds.values()) {
            if (c.max() == Long.MIN_VALUE) continue;
            newest = Math.max(newest, c.max());
            if (now - c.lastSeen() < feedIdle) slowestActive = Math.min(slowestActive, c.max());
        }
        if (newest == Long.MIN_VALUE) return;
        long basis = slowestActive != Long.MAX_VALUE ? slowestActive : newest;
        long watermark = basis - outOfOrderness - 1;
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }

    /**
     * The newest timestamp of one feed, which one wild timestamp cannot throw forward. A record dated months ahead of
     * its neighbours (a mistyped year in a replay of last spring, which the ingest's "not in the future" check lets
     * through because it compares with today) would otherwise move event time to that date, and every real record
     * after it would be too late to count. A record more than {@code jump} ahead is held as a suspect: it is processed
     * like any other, but the clock follows it only when {@code confirmations} records in a row are that far ahead too
     * (the feed really moved on, e.g. after an outage), and then only to the earliest of them.
     */
    static final class GuardedClock {
        private final long jump;
        private final int confirmations;
        private long max = Long.MIN_VALUE;
        private long lastSeen = Long.MIN_VALUE;
        private int suspects;
        private long earliestSuspect = Long.MAX_VALUE;

        GuardedClock(Duration jump, int confirmations) {
            if (jump.isNegative() || jump.isZero() || confirmations < 1) {
                throw new IllegalArgumentException("jump > 0 and confirmations ≥ 1 expected");
            }
            this.jump = jump.toMillis();
            this.confirmations = confirmations;
        }

        void observe(long timestamp, long wallClock) {
            lastSeen = wallClock;
            if (max == Long.MIN_VALUE || timestamp <= max + jump) {
                max = Math.max(max, timestamp);
                suspects = 0;
                earliestSuspect = Long.MAX_VALUE;
                return;
            }
            suspects++;
            earliestSuspect = Math.min(earliestSuspect, timestamp);
            if (suspects >= confirmations) {
                max = earliestSuspect;
                suspects = 0;
                earliestSuspect = Long.MAX_VALUE;
            }
        }

        long max() { return max; }

        long lastSeen() { return lastSeen; }
    }
}

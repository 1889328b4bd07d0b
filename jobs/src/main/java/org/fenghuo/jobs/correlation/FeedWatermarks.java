package org.fenghuo.jobs.correlation;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.jobs.common.GuardedClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event time of one {@code events.normalized} partition, followed per source: per feed partition the ingest read the
 * event from. The ingest writes whatever it reads into the topic in the order it reads it, not in event time: while
 * it catches up on a backlog (a demo's history, a restart after an outage) Kafka hands it the feed partitions
 * unevenly, and records days apart end up next to each other. With one clock per topic partition, the records of the
 * lagging sources would all be "too late" and silently count for nothing. Here each source has its own
 * {@link GuardedClock} (one wild timestamp cannot throw it forward), just as the ingest's own watermarks are per feed
 * partition, and event time is the slowest source that is still delivering: a source that has sent nothing for
 * {@code sourceIdle} of wall-clock time (labour inspections may be quiet for hours) stops holding it back. When no
 * source is delivering, event time stays where it is. It never moves back.
 *
 * <p>A source that has not delivered anything yet cannot hold event time back by its clock, so the sources known to
 * exist (every partition of the feed topics, looked up when the job starts) are waited for: until each has delivered,
 * or {@code sourceIdle} has passed since this partition's reading began, event time does not move. Without this, the
 * first feed the ingest happened to catch up on after a start or a restart would carry event time days ahead and
 * every record of the others would be too late, so that the alerts depended on the order Kafka handed out the feeds.
 */
final class FeedWatermarks implements WatermarkGenerator<NormalizedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(FeedWatermarks.class);
    private final long outOfOrderness;
    private final long sourceIdle;
    private final Duration jump;
    private final int confirmations;
    private final LongSupplier wallClock;
    private final Map<String, Source> sources = new HashMap<>();
    private final Set<String> awaited;
    /** Since when the {@link #awaited} sources are waited for: the start, or the end of a pause of every source. */
    private long waitingSince;
    /** Every source that had delivered has been silent for the idle time: the ingest (or what it waits on) stalled. */
    private boolean paused;
    private long emitted = Long.MIN_VALUE;

    FeedWatermarks(Duration outOfOrderness, Duration sourceIdle, Duration jump, int confirmations, LongSupplier wallClock) {
        this(outOfOrderness, sourceIdle, jump, confirmations, wallClock, Set.of());
    }

    /** @param expectedSources the feed partitions ({@code topic/partition}) to wait for before event time moves */
    FeedWatermarks(Duration outOfOrderness, Duration sourceIdle, Duration jump, int confirmations, LongSupplier wallClock,
                   Set<String> expectedSources) {
        if (outOfOrderness.isNegative() || sourceIdle.isNegative() || sourceIdle.isZero()) {
            throw new IllegalArgumentException("out-of-orderness ≥ 0 and source idleness > 0 expected");
        }
        this.outOfOrderness = outOfOrderness.toMillis();
        this.sourceIdle = sourceIdle.toMillis();
        this.jump = jump;
        this.confirmations = confirmations;
        this.wallClock = wallClock;
        this.awaited = new HashSet<>(expectedSources);
        this.waitingSince = wallClock.getAsLong();
        if (!awaited.isEmpty()) LOG.info("event time waits for {} feed partitions to deliver: {}", awaited.size(), awaited);
        new GuardedClock(jump, confirmations); // validates the guard's parameters up front
    }

    @Override
    public void onEvent(NormalizedEvent event, long timestamp, WatermarkOutput output) {
        Source s = sources.computeIfAbsent(sourceOf(event), f -> new Source(new GuardedClock(jump, confirmations)));
        s.clock.observe(timestamp);
        s.lastSeen = wallClock.getAsLong();
    }

    /** One feed partition: its event-time clock and when (wall clock) it last delivered. */
    private static final class Source {
        final GuardedClock clock;
        long lastSeen;

        Source(GuardedClock clock) {
            this.clock = clock;
        }
    }

    /** The feed partition the ingest read the event from (its feed when that is unknown). */
    static String sourceOf(NormalizedEvent e) {
        if (e.sourceTopic() != null && e.sourcePartition() != null) return e.sourceTopic() + "/" + e.sourcePartition();
        return e.feed() == null ? "" : e.feed();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = wallClock.getAsLong();
        if (!awaited.isEmpty()) {
            // a source is here once it has delivered: from then on its clock (at its earliest record while it warms
            // up) holds event time back like any other's
            awaited.removeIf(key -> {
                Source s = sources.get(key);
                return s != null && s.clock.max() != Long.MIN_VALUE && s.lastSeen >= waitingSince;
            });
            if (!awaited.isEmpty() && now - waitingSince < sourceIdle) return;
            if (awaited.isEmpty()) {
                LOG.info("event time follows {} feed partitions, all of which delivered within {} ms", sources.size(), now - waitingSince);
            } else if (sources.isEmpty()) {
                // nothing reached this generator at all: Flink also runs one for the source's main output, beside one
                // per Kafka partition, and it never sees a record; a warning from it would only alarm the operator
                LOG.debug("event time: no event reached this generator within {} ms of the start", now - waitingSince);
            } else {
                LOG.warn("event time follows {} feed partitions; {} delivered nothing for {} ms and no longer hold it back",
                        sources.size(), awaited, now - waitingSince);
            }
            awaited.clear(); // silent since the start: treated like any source gone quiet
        }
        long slowestActive = Long.MAX_VALUE;
        for (Source s : sources.values()) {
            GuardedClock c = s.clock;
            // a source whose newest records are unconfirmed jumps (after a gap, or one wild date) neither holds event
            // time back at its old clock nor moves it: the others decide until it has settled
            if (c.max() == Long.MIN_VALUE || c.unsettled() || now - s.lastSeen >= sourceIdle) continue;
            slowestActive = Math.min(slowestActive, c.max());
        }
        // nothing delivering (a pause of the ingest, or the end of the data): event time stays, and the partition is
        // marked idle by the strategy's idleness; following the newest source here would make every lagging source's
        // records too late the moment the ingest resumed
        if (slowestActive == Long.MAX_VALUE) {
            paused |= !sources.isEmpty();
            return;
        }
        if (paused) {
            // the end of a pause of every source: the first to deliver again must not carry event time past the
            // others, which resume a moment later (the ingest writes them as it gets to them). Wait for each, as at
            // the start, until it delivers or the idle time has passed
            paused = false;
            for (Map.Entry<String, Source> e : sources.entrySet()) {
                if (now - e.getValue().lastSeen >= sourceIdle) awaited.add(e.getKey());
            }
            if (!awaited.isEmpty()) {
                waitingSince = now;
                LOG.info("event time resumes after every feed partition was silent; it waits for {} of them to deliver again: {}",
                        awaited.size(), awaited);
                return;
            }
        }
        long watermark = slowestActive - outOfOrderness - 1;
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}

package org.fenghuo.simulator;

import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.simulator.city.DemoCity;
import org.fenghuo.simulator.util.Weighted;

/**
 * The endless, deterministic sequence of records in delivery order: background records (a Poisson process thinned
 * by each feed's daily cycle), some of them malformed or late, with duplicates and scenario records merged in by
 * their delivery time.
 */
final class RecordStream {
    private static final long MINUTE = 60_000;
    private static final MalformedKind[] MALFORMED = MalformedKind.values();

    /** A record waiting for its delivery time; {@code seq} keeps equal times in a fixed order. */
    private record Pending(long arrival, long seq, SimRecord record) {}

    private final SimulatorConfig config;
    private final SplittableRandom rnd;
    private final RecordFactory factory;
    private final List<Scenario> scenarios;
    private final Weighted<Feed> feeds;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>((a, b) -> a.arrival != b.arrival
            ? Long.compare(a.arrival, b.arrival) : Long.compare(a.seq, b.seq));
    private final double meanGapMillis;
    private long clock;
    private long seq;

    RecordStream(DemoCity city, SimulatorConfig config) {
        this.config = config;
        this.rnd = new SplittableRandom(config.seed());
        RecordIds ids = new RecordIds(config.start(), config.seed());
        this.factory = new RecordFactory(city, ids, config.badCheckDigitRate());
        ScenarioPlanner planner = new ScenarioPlanner(factory, config).planAll();
        this.scenarios = config.scenarios() ? planner.scenarios() : List.of();
        if (config.scenarios()) planner.records().forEach(this::schedule);
        this.feeds = Weighted.of(List.of(Feed.values()), f -> DailyProfile.PEAK_SHARE.get(f));
        this.meanGapMillis = 3_600_000.0 / config.baseRatePerHour();
        this.clock = config.start().toEpochMilli() - config.history().toMillis();
    }

    List<Scenario> scenarios() { return scenarios; }

    SimRecord next() {
        while (true) {
            Pending head = pending.peek();
            if (head != null && head.arrival <= clock) return emit(pending.poll().record);
            long t = clock;
            clock += Math.max(1, Math.round(-StrictMath.log(1 - rnd.nextDouble()) * meanGapMillis));
            Feed feed = feeds.pick(rnd);
            if (rnd.nextDouble() >= DailyProfile.at(feed, t)) continue;
            return emit(background(feed, t));
        }
    }

    private SimRecord background(Feed feed, long t) {
        if (rnd.nextDouble() < config.malformedRate()) {
            MalformedKind kind = MALFORMED[rnd.nextInt(MALFORMED.length)];
            Draft d = factory.make(feed, t, rnd);
            return new SimRecord(feed, d.id(), Malformer.apply(kind, d, t, rnd), d.eventTimeMillis(), t,
                    SimRecord.Kind.MALFORMED, kind, false, false, null);
        }
        boolean late = rnd.nextDouble() < config.lateRate();
        long eventTime = late ? t - (2 * MINUTE + (long) (rnd.nextDouble() * 178 * MINUTE)) : t;
        Draft d = factory.make(feed, eventTime, rnd);
        return new SimRecord(feed, d.id(), Malformer.bytes(d.json()), d.eventTimeMillis(), t, SimRecord.Kind.VALID,
                null, late, d.badCheckDigit(), null);
    }

    private SimRecord emit(SimRecord r) {
        if (r.kind() == SimRecord.Kind.VALID && r.scenario() == null && rnd.nextDouble() < config.duplicateRate()) {
            // at-least-once delivery: the same bytes again, a second to a quarter of an hour later
            schedule(r.asDuplicate(r.arrivalMillis() + 1000 + (long) (rnd.nextDouble() * 15 * MINUTE)));
        }
        return r;
    }

    private void schedule(SimRecord r) {
        pending.add(new Pending(r.arrivalMillis(), seq++, r));
    }
}

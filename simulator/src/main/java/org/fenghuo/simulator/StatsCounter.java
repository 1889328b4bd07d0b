package org.fenghuo.simulator;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.fenghuo.core.feed.Feed;

/** Running counts of one run; {@link #snapshot} makes the immutable {@link SimulationStats}. */
final class StatsCounter {
    private long total, valid, malformed, duplicates, late, badCheck, scenario;
    private final Map<Feed, Long> perFeed = new EnumMap<>(Feed.class);
    private final Map<MalformedKind, Long> byKind = new EnumMap<>(MalformedKind.class);
    private long simulatedTime;

    StatsCounter(long startMillis) {
        for (Feed f : Feed.values()) perFeed.put(f, 0L);
        simulatedTime = startMillis;
    }

    void count(SimRecord r) {
        total++;
        perFeed.merge(r.feed(), 1L, Long::sum);
        switch (r.kind()) {
            case VALID -> {
                valid++;
                if (r.late()) late++;
                if (r.badCheckDigit()) badCheck++;
                if (r.scenario() != null) scenario++;
            }
            case MALFORMED -> {
                malformed++;
                byKind.merge(r.malformedKind(), 1L, Long::sum);
            }
            case DUPLICATE -> duplicates++;
        }
        simulatedTime = Math.max(simulatedTime, r.arrivalMillis());
    }

    long total() { return total; }

    SimulationStats snapshot() {
        return new SimulationStats(total, valid, malformed, duplicates, late, badCheck, scenario, perFeed, byKind,
                Instant.ofEpochMilli(simulatedTime));
    }
}

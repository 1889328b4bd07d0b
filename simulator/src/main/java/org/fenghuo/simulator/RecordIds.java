package org.fenghuo.simulator;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;
import org.fenghuo.core.feed.Feed;

/**
 * Record ids like {@code GR-2603050800-1kq9-0000042}: feed prefix, run tag, sequence. The run tag comes from the
 * start time and seed, so a restarted demo (a new start) never reuses the ids of an earlier run, which the
 * ingest job would otherwise drop as duplicates.
 */
final class RecordIds {
    private static final Map<Feed, String> PREFIX = Map.of(
            Feed.GRID_REPORT, "GR", Feed.LINKAGE_CALL, "JJ", Feed.PETITION, "XF", Feed.LABOR_INSPECTION, "LJ");
    private static final DateTimeFormatter TAG = DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(Timestamps.CHINA);

    private final String runTag;
    private final Map<Feed, Long> next = new EnumMap<>(Feed.class);

    RecordIds(Instant start, long seed) {
        this.runTag = TAG.format(start) + "-" + Long.toString(Math.floorMod(seed, 36L * 36 * 36 * 36), 36);
    }

    String runTag() { return runTag; }

    String next(Feed feed) {
        long n = next.merge(feed, 1L, Long::sum);
        return PREFIX.get(feed) + "-" + runTag + "-" + String.format("%07d", n);
    }

    String scenario(ScenarioType type, int n) {
        return type.idPrefix() + "-" + runTag + "-" + String.format("%02d", n);
    }
}

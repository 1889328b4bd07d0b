package org.fenghuo.simulator;

import java.util.Map;
import org.fenghuo.core.feed.Feed;

/**
 * The daily cycle of each feed, as a share of its peak per local hour (China time): grid workers and offices
 * work by day with a lunch dip, 110 calls peak in the evening and never stop.
 */
final class DailyProfile {
    private DailyProfile() {}

    /** Share of the records per feed when all are at their peak. */
    static final Map<Feed, Double> PEAK_SHARE = Map.of(
            Feed.GRID_REPORT, 0.60, Feed.LINKAGE_CALL, 0.25, Feed.PETITION, 0.10, Feed.LABOR_INSPECTION, 0.05);

    private static final Map<Feed, double[]> HOURLY = Map.of(
            Feed.GRID_REPORT, new double[] {0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.25, 0.55, 0.9, 1.0, 1.0, 0.85,
                0.55, 0.7, 0.95, 1.0, 0.9, 0.65, 0.35, 0.2, 0.15, 0.1, 0.08, 0.06},
            Feed.LINKAGE_CALL, new double[] {0.45, 0.35, 0.28, 0.22, 0.2, 0.25, 0.35, 0.55, 0.7, 0.75, 0.8, 0.85,
                0.8, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.0, 0.95, 0.85, 0.7, 0.55},
            Feed.PETITION, new double[] {0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.1, 0.6, 1.0, 1.0, 0.8,
                0.3, 0.6, 1.0, 0.95, 0.8, 0.3, 0.08, 0.05, 0.05, 0.04, 0.03, 0.02},
            Feed.LABOR_INSPECTION, new double[] {0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.05, 0.5, 1.0, 1.0, 0.8,
                0.2, 0.6, 1.0, 1.0, 0.8, 0.2, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01});

    /** Share of its peak rate at that moment, interpolated between hour midpoints so the rate has no steps. */
    static double at(Feed feed, long millis) {
        double[] h = HOURLY.get(feed);
        double x = Timestamps.localHour(millis) - 0.5;
        int i = (int) Math.floor(x);
        double f = x - i;
        return h[Math.floorMod(i, 24)] * (1 - f) + h[Math.floorMod(i + 1, 24)] * f;
    }
}

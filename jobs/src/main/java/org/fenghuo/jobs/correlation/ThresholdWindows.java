package org.fenghuo.jobs.correlation;

import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.rules.LevelSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sliding-window evaluation of a THRESHOLD rule over evidence sorted by time: for every window {@code (t - W, t]}
 * that ends at an evidence time and contains the new input, the measure (count, sum or max), the distinct feeds and
 * the conditions met, and from them the level. Returns the most severe window (the latest among equals).
 */
final class ThresholdWindows {
    private ThresholdWindows() {}

    /** The chosen window: evidence {@code from..to} (inclusive) of the sorted list. */
    record Result(AlertLevel level, AlertLevel baseLevel, int levelIndex, int from, int to, double measure,
                  int sources, long mask, long since, List<String> raiseReasons) {}

    static Result best(CompiledRule rule, List<RuleInput> sorted, long newTime) {
        long w = rule.windowMillis;
        Map<String, Integer> feeds = new HashMap<>();
        int[] bits = new int[64];
        double sum = 0;
        int i = 0;
        Result best = null;
        long since = Long.MAX_VALUE;
        for (int j = 0; j < sorted.size(); j++) {
            RuleInput add = sorted.get(j);
            sum += add.value();
            feeds.merge(add.feed(), 1, Integer::sum);
            addBits(bits, add.mask(), 1);
            long end = add.time();
            while (sorted.get(i).time() <= end - w) {
                RuleInput gone = sorted.get(i);
                sum -= gone.value();
                if (feeds.merge(gone.feed(), -1, Integer::sum) == 0) feeds.remove(gone.feed());
                addBits(bits, gone.mask(), -1);
                i++;
            }
            if (newTime > end || newTime <= end - w) continue;
            if (j + 1 < sorted.size() && sorted.get(j + 1).time() == end) continue; // evaluate a tie group once, at its end
            double measure = switch (rule.aggregate()) {
                case COUNT -> j - i + 1;
                case SUM -> sum;
                case MAX -> max(sorted, i, j);
            };
            long mask = maskOf(bits);
            int k = levelIndex(rule, measure, feeds.size(), mask);
            if (k < 0) continue;
            since = Math.min(since, end);
            AlertLevel base = rule.levels.get(k).level();
            AlertLevel level = base;
            List<String> reasons = new ArrayList<>();
            for (int r = 0; r < rule.raises.size(); r++) {
                if ((mask & rule.raiseBit(r)) != 0) {
                    level = level.raise(rule.raises.get(r).byOrDefault());
                    if (rule.raises.get(r).reason() != null) reasons.add(rule.raises.get(r).reason());
                }
            }
            if (best == null || level.compareTo(best.level) >= 0) {
                best = new Result(level, base, k, i, j, measure, feeds.size(), mask, 0, reasons);
            }
        }
        if (best == null) return null;
        return new Result(best.level, best.baseLevel, best.levelIndex, best.from, best.to, best.measure, best.sources,
                best.mask, since, best.raiseReasons);
    }

    /** The most severe level whose limits the numbers meet, as an index into the rule's levels, or -1. */
    static int levelIndex(CompiledRule rule, double measure, int sources, long mask) {
        for (int k = rule.levels.size() - 1; k >= 0; k--) {
            LevelSpec l = rule.levels.get(k);
            if (l.atLeast() != null && measure < l.atLeast()) continue;
            if (l.sources() != null && sources < l.sources()) continue;
            long bit = rule.levelBit(k);
            if (bit != 0 && (mask & bit) == 0) continue;
            return k;
        }
        return -1;
    }

    private static double max(List<RuleInput> sorted, int from, int to) {
        double m = Double.NEGATIVE_INFINITY;
        for (int k = from; k <= to; k++) m = Math.max(m, sorted.get(k).value());
        return m;
    }

    private static void addBits(int[] bits, long mask, int delta) {
        while (mask != 0) {
            int b = Long.numberOfTrailingZeros(mask);
            bits[b] += delta;
            mask &= mask - 1;
        }
    }

    private static long maskOf(int[] bits) {
        long m = 0;
        for (int b = 0; b < 64; b++) if (bits[b] > 0) m |= 1L << b;
        return m;
    }

    /** Inserts by time then event id; a redelivered event replaces itself, keeping every condition it ever met. */
    static void insert(List<RuleInput> sorted, RuleInput in) {
        for (int k = 0; k < sorted.size(); k++) {
            if (sorted.get(k).sameEvent(in)) {
                RuleInput old = sorted.remove(k);
                if ((old.mask() | in.mask()) != in.mask() || old.time() != in.time()) {
                    in = withMask(in, old.mask() | in.mask());
                }
                break;
            }
        }
        int pos = sorted.size();
        while (pos > 0) {
            RuleInput p = sorted.get(pos - 1);
            if (p.time() < in.time() || p.time() == in.time() && p.compareEventId(in) < 0) break;
            pos--;
        }
        sorted.add(pos, in);
    }

    static RuleInput withMask(RuleInput in, long mask) {
        return in.forSubject(in.partitionKey(), in.subjectType(), in.subjectKey(), in.subjectDisplay(), in.role(), in.value(), mask);
    }
}

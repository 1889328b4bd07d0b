package org.fenghuo.jobs.common;

import java.time.Duration;

/**
 * The newest timestamp of one stream (a partition, or one feed within it), which one wild timestamp cannot throw
 * forward. A record dated months ahead of its neighbours (a mistyped year in a replay of last spring, which the ingest's "not in the future" check lets
 * through because it compares with today) would otherwise move event time to that date, and every real record
 * after it would be too late to count. A record more than {@code jump} ahead is held as a suspect: it is processed
 * like any other, but the clock follows it only when {@code confirmations} records in a row are that far ahead too
 * (the feed really moved on, e.g. after an outage), and then only to the earliest of them.
 */
public final class GuardedClock {
    /** A record this far ahead of its stream's clock moves it only when {@link #WILD_CONFIRMATIONS} in a row agree. */
    public static final Duration WILD_JUMP = Duration.ofDays(1);
    public static final int WILD_CONFIRMATIONS = 20;

    private final long jump;
    private final int confirmations;
    private long max = Long.MIN_VALUE;
    private int suspects;
    private long earliestSuspect = Long.MAX_VALUE;
    private long[] warmUp;
    private int seen;

    public GuardedClock(Duration jump, int confirmations) {
        if (jump.isNegative() || jump.isZero() || confirmations < 1) {
            throw new IllegalArgumentException("jump > 0 and confirmations ≥ 1 expected");
        }
        this.jump = jump.toMillis();
        this.confirmations = confirmations;
        this.warmUp = new long[confirmations];
    }

    public void observe(long timestamp) {
        if (warmUp != null) {
            // after a (re)start nothing is known yet: the first record may itself be the wild one. Until enough have
            // been seen the clock stands at the earliest of them, then at their median, which no outlier can be
            warmUp[seen++] = timestamp;
            if (seen < warmUp.length) {
                max = Math.min(max == Long.MIN_VALUE ? Long.MAX_VALUE : max, timestamp);
                return;
            }
            java.util.Arrays.sort(warmUp);
            max = warmUp[warmUp.length / 2];
            warmUp = null;
            return;
        }
        if (timestamp <= max) return; // an older record says nothing about a jump: it neither moves nor confirms
        if (timestamp <= max + jump) {
            max = timestamp;
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

    public long max() { return max; }

    /** Whether the newest records are suspects: ahead by more than the jump, not yet confirmed. */
    public boolean unsettled() { return suspects > 0; }
}

package org.fenghuo.connectors.notify;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * At most one log line per key (a webhook, the queue) per interval; the next line that is let through reports how
 * many were suppressed meanwhile, so a dead webhook does not flood the task manager log.
 */
final class RateLimitedLog {
    /** Returned by {@link #permit} when the line must be suppressed. */
    static final long SUPPRESS = -1;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, State> states = new HashMap<>();

    RateLimitedLog(long intervalMillis, LongSupplier nanoClock) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /**
     * Whether to log a line for {@code key} now.
     *
     * @return {@link #SUPPRESS}, or the number of lines suppressed for this key since the last one logged
     */
    synchronized long permit(String key) {
        long now = nanoClock.getAsLong();
        State s = states.get(key);
        if (s == null) {
            states.put(key, new State(now));
            return 0;
        }
        if (intervalNanos > 0 && now - s.lastLoggedAt < intervalNanos) {
            s.suppressed++;
            return SUPPRESS;
        }
        long suppressed = s.suppressed;
        s.suppressed = 0;
        s.lastLoggedAt = now;
        return suppressed;
    }

    private static final class State {
        long lastLoggedAt;
        long suppressed;

        State(long lastLoggedAt) {
            this.lastLoggedAt = lastLoggedAt;
        }
    }
}

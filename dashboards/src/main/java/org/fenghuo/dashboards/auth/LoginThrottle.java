package org.fenghuo.dashboards.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins, per user name and per client address: after {@code maxFailures} failures within the
 * lockout period, further attempts are refused until the period has passed since the last failure. Counting
 * by name stops guessing one account from many addresses; by address, trying many names from one.
 */
public final class LoginThrottle {
    private record Failures(int count, Instant last) {}

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final Duration lockout;
    private final Clock clock;

    public LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** How long the caller must wait before trying again; empty if it may try now. */
    public Optional<Duration> blockedFor(String name, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(name, address)) {
            Failures f = failures.get(key);
            if (f == null) continue;
            Instant until = f.last().plus(lockout);
            if (!now.isBefore(until)) {
                failures.remove(key, f);
            } else if (f.count() >= maxFailures) {
                Duration d = Duration.between(now, until);
                if (d.compareTo(wait) > 0) wait = d;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String name, String address) {
        Instant now = clock.instant();
        for (String key : keys(name, address)) {
            failures.merge(key, new Failures(1, now), (a, b) -> new Failures(a.count() + 1, now));
        }
    }

    /** A success clears the name's count; the address keeps its count, so one valid account cannot reset guessing. */
    public void succeeded(String name) {
        failures.remove(nameKey(name));
    }

    private static String[] keys(String name, String address) {
        return new String[] {nameKey(name), "addr:" + address};
    }

    private static String nameKey(String name) {
        return "name:" + (name == null ? "" : name.toLowerCase(Locale.ROOT));
    }
}

package org.fenghuo.connectors.elasticsearch;

import org.fenghuo.connectors.Validate;

import java.io.Serializable;
import java.time.Duration;

/**
 * Exponential backoff for bulk requests and for the failed items of a bulk response. By default it
 * retries forever: a sink that gives up would drop documents, and a stuck sink is visible (back-pressure,
 * {@code numRetries}) where a dropped document is not. {@link #maxAttempts} exists for tests and for jobs
 * that prefer failing (and being restarted from a checkpoint) over waiting.
 */
public final class RetryPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int UNLIMITED = Integer.MAX_VALUE;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final double DEFAULT_MULTIPLIER = 2.0;

    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final double multiplier;
    private final int maxAttempts;

    public RetryPolicy(Duration initialBackoff, Duration maxBackoff, double multiplier, int maxAttempts) {
        Validate.durationInRange("initialBackoff", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(1));
        Validate.durationInRange("maxBackoff", maxBackoff, initialBackoff, Duration.ofHours(1));
        Validate.doubleInRange("backoffMultiplier", multiplier, 1.0, 10.0);
        Validate.intInRange("maxAttempts", maxAttempts, 1, UNLIMITED);
        this.initialBackoffMillis = initialBackoff.toMillis();
        this.maxBackoffMillis = maxBackoff.toMillis();
        this.multiplier = multiplier;
        this.maxAttempts = maxAttempts;
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MULTIPLIER, UNLIMITED);
    }

    /** Whether another attempt is allowed after {@code attemptsMade} attempts (the first send counts as 1). */
    public boolean canRetry(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /** The wait before the attempt that follows {@code attemptsMade} failed attempts: 100, 200, 400 ms ... capped. */
    public Duration backoff(int attemptsMade) {
        double millis = initialBackoffMillis * Math.pow(multiplier, Math.max(0, attemptsMade - 1));
        return Duration.ofMillis((long) Math.min(millis, maxBackoffMillis));
    }

    public Duration initialBackoff() {
        return Duration.ofMillis(initialBackoffMillis);
    }

    public Duration maxBackoff() {
        return Duration.ofMillis(maxBackoffMillis);
    }

    public double multiplier() {
        return multiplier;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public String toString() {
        return "RetryPolicy[initialBackoff=" + initialBackoffMillis + "ms, maxBackoff=" + maxBackoffMillis
                + "ms, multiplier=" + multiplier + ", maxAttempts="
                + (maxAttempts == UNLIMITED ? "unlimited" : maxAttempts) + "]";
    }
}

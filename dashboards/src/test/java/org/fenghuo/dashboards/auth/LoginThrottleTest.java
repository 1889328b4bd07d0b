package org.fenghuo.dashboards.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(15), clock);

    @Test
    void aNameIsLockedAfterTheLimitUntilTheLockoutHasPassedSinceTheLastFailure() {
        for (int i = 0; i < 2; i++) throttle.failed("duty-1", "10.0.0." + i);
        assertThat(throttle.blockedFor("duty-1", "10.0.0.9")).isEmpty();
        throttle.failed("duty-1", "10.0.0.3");
        assertThat(throttle.blockedFor("duty-1", "10.0.0.9")).as("from any address").contains(Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(14));
        assertThat(throttle.blockedFor("duty-1", "10.0.0.9")).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.blockedFor("duty-1", "10.0.0.9")).isEmpty();
    }

    @Test
    void anAddressTryingManyNamesIsLockedToo() {
        throttle.failed("a", "10.0.0.1");
        throttle.failed("b", "10.0.0.1");
        throttle.failed("c", "10.0.0.1");
        assertThat(throttle.blockedFor("d", "10.0.0.1")).isPresent();
        assertThat(throttle.blockedFor("d", "10.0.0.2")).isEmpty();
    }

    @Test
    void aSuccessClearsTheNameButNotTheAddress() {
        throttle.failed("a", "10.0.0.1");
        throttle.failed("a", "10.0.0.1");
        throttle.succeeded("a");
        throttle.failed("a", "10.0.0.2");
        throttle.failed("a", "10.0.0.2");
        assertThat(throttle.blockedFor("a", "10.0.0.3")).as("name count restarted at the success").isEmpty();
        throttle.failed("b", "10.0.0.1");
        assertThat(throttle.blockedFor("c", "10.0.0.1")).as("the address kept its two failures").isPresent();
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T01:00:00Z");

        void advance(Duration d) { now = now.plus(d); }
        @Override public Instant instant() { return now; }
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    }
}

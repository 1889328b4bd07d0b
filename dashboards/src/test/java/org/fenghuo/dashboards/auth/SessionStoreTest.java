package org.fenghuo.dashboards.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
    private final LoginThrottleTest.MutableClock clock = new LoginThrottleTest.MutableClock();
    private final SessionStore store = new SessionStore(Duration.ofHours(12), clock);
    private final User user = new User("duty-339901", Role.DUTY_OFFICER, "339901", "$2a$04$" + "a".repeat(53));

    @Test
    void aSessionLivesForItsTtlThenIsGone() {
        Session s = store.open(user);
        assertThat(store.find(s.id())).contains(s);
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertThat(store.find(s.id())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.find(s.id())).isEmpty();
        assertThat(store.size()).as("dropped on access").isZero();
    }

    @Test
    void tokensAreLongRandomAndDistinct() {
        Session a = store.open(user);
        Session b = store.open(user);
        assertThat(a.id()).hasSize(43).isNotEqualTo(b.id()).isNotEqualTo(a.csrfToken());
        assertThat(SessionStore.csrfMatches(a, a.csrfToken())).isTrue();
        assertThat(SessionStore.csrfMatches(a, b.csrfToken())).isFalse();
        assertThat(SessionStore.csrfMatches(a, null)).isFalse();
        assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrfToken());
    }

    @Test
    void closeAndPurgeRemoveSessions() {
        Session a = store.open(user);
        store.open(user);
        store.close(a.id());
        assertThat(store.find(a.id())).isEmpty();
        clock.advance(Duration.ofDays(1));
        assertThat(store.purgeExpired()).isEqualTo(1);
    }
}

package org.fenghuo.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void defaultsDoubleFrom100msUpTo30sAndNeverGiveUp() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.backoff(9)).isEqualTo(Duration.ofMillis(25_600));
        assertThat(p.backoff(10)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.backoff(10_000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.canRetry(1)).isTrue();
        assertThat(p.canRetry(Integer.MAX_VALUE - 1)).isTrue();
        assertThat(p.maxAttempts()).isEqualTo(RetryPolicy.UNLIMITED);
    }

    @Test
    void maxAttemptsCountsTheFirstSend() {
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50), 3.0, 3);
        assertThat(p.canRetry(1)).isTrue();
        assertThat(p.canRetry(2)).isTrue();
        assertThat(p.canRetry(3)).isFalse();
        assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(10));
        assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(30));
        assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 2, 3))
                .hasMessage("initialBackoff must be between 1ms and 1min, was 0ms");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3))
                .hasMessage("maxBackoff must be between 2s and 1h, was 1s");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMillis(1), Duration.ofSeconds(1), 0.5, 3))
                .hasMessage("backoffMultiplier must be between 1.0 and 10.0, was 0.5");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMillis(1), Duration.ofSeconds(1), 2, 0))
                .hasMessage("maxAttempts must be between 1 and 2147483647, was 0");
    }
}

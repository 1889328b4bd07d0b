package org.fenghuo.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardedWatermarksTest {
    static final long MINUTE = 60_000L;
    static final long DAY = 24 * 60 * MINUTE;
    static final long T0 = 1_772_668_800_000L; // 2026-03-05

    final RecordedWatermarks out = new RecordedWatermarks();
    final List<Long> emitted = out.emitted;
    final GuardedWatermarks<String> gen = new GuardedWatermarks<>(Duration.ofMinutes(1), Duration.ofDays(1), 3);

    long watermarkAfter(long... timestamps) {
        for (long t : timestamps) gen.onEvent("e", t, out);
        gen.onPeriodicEmit(out);
        return out.last();
    }

    @Test
    void followsTheStreamLessItsOutOfOrdernessFromTheMedianOfItsFirstRecords() {
        assertThat(watermarkAfter(T0, T0 + MINUTE, T0 + 30_000)).isEqualTo(T0 + 30_000 - MINUTE - 1);
        assertThat(watermarkAfter(T0 + 10 * MINUTE)).isEqualTo(T0 + 9 * MINUTE - 1);
    }

    @Test
    void oneRecordDatedMonthsAheadDoesNotThrowEventTimeForward() {
        watermarkAfter(T0, T0 + MINUTE);
        // a mistyped date in September, then the stream goes on in March
        assertThat(watermarkAfter(T0 + 200 * DAY)).isEqualTo(T0 - 1);
        assertThat(watermarkAfter(T0 + 2 * MINUTE, T0 + 200 * DAY, T0 + 200 * DAY + 1, T0 + 3 * MINUTE)).isEqualTo(T0 + 2 * MINUTE - 1);
        // nor does anything earlier move it back
        assertThat(watermarkAfter(T0 - DAY)).isEqualTo(T0 + 2 * MINUTE - 1);
    }

    @Test
    void aRealJumpIsFollowedOnceEnoughRecordsInARowAgreeFromTheEarliestOfThem() {
        watermarkAfter(T0, T0, T0);
        assertThat(watermarkAfter(T0 + 3 * DAY + 5 * MINUTE, T0 + 3 * DAY)).isEqualTo(T0 - MINUTE - 1);
        assertThat(watermarkAfter(T0 + 3 * DAY + 2 * MINUTE)).isEqualTo(T0 + 3 * DAY - MINUTE - 1);
        assertThat(watermarkAfter(T0 + 3 * DAY + 10 * MINUTE)).isEqualTo(T0 + 3 * DAY + 9 * MINUTE - 1);
    }

    @Test
    void nothingIsEmittedBeforeTheFirstRecord() {
        gen.onPeriodicEmit(out);
        assertThat(emitted).isEmpty();
    }
}

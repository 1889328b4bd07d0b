package org.fenghuo.jobs.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.gridReport;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.linkageCall;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.petition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.fenghuo.core.model.NormalizedEvent;
import org.junit.jupiter.api.Test;

class FeedWatermarksTest {
    static final long MINUTE = 60_000L;
    static final long DAY = 24 * 60 * MINUTE;
    static final long T0 = 1_772_668_800_000L; // 2026-03-05

    final List<Long> emitted = new ArrayList<>();
    final WatermarkOutput out = new WatermarkOutput() {
        @Override public void emitWatermark(Watermark w) { emitted.add(w.getTimestamp()); }
        @Override public void markIdle() { }
        @Override public void markActive() { }
    };
    long wall = 1_000_000L;
    final FeedWatermarks gen = new FeedWatermarks(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofDays(1), 3, () -> wall);
    int n;

    NormalizedEvent grid(long t) { return gridReport("GR-" + n++).at(t).build(); }

    long watermarkAfter(long... gridTimes) {
        for (long t : gridTimes) gen.onEvent(grid(t), t, out);
        return emit();
    }

    long emit() {
        gen.onPeriodicEmit(out);
        return emitted.isEmpty() ? Long.MIN_VALUE : emitted.get(emitted.size() - 1);
    }

    @Test
    void followsTheStreamLessItsOutOfOrderness() {
        assertThat(watermarkAfter(T0, T0 + MINUTE, T0 + 30_000)).isEqualTo(T0 + MINUTE - MINUTE - 1);
        assertThat(watermarkAfter(T0 + 10 * MINUTE)).isEqualTo(T0 + 9 * MINUTE - 1);
    }

    @Test
    void aFeedThatLagsBehindHoldsEventTimeBackWhileItIsStillDelivering() {
        // the ingest caught up on the grid reports first: they are days ahead of the calls in the same partition
        watermarkAfter(T0 + 5 * DAY);
        gen.onEvent(linkageCall("JJ-1").at(T0).build(), T0, out);
        assertThat(emit()).as("the calls hold event time back").isEqualTo(T0 + 5 * DAY - MINUTE - 1);
        gen.onEvent(linkageCall("JJ-2").at(T0 + DAY).build(), T0 + DAY, out);
        gen.onEvent(grid(T0 + 6 * DAY), T0 + 6 * DAY, out);
        // nothing was emitted below what had already been emitted: event time never goes back
        assertThat(emitted).allMatch(w -> w == T0 + 5 * DAY - MINUTE - 1);
        for (int d = 2; d <= 7; d++) gen.onEvent(linkageCall("JJ-" + (d + 1)).at(T0 + d * DAY).build(), T0 + d * DAY, out);
        assertThat(emit()).as("the calls caught up: the grid reports are now the slowest").isEqualTo(T0 + 6 * DAY - MINUTE - 1);
    }

    @Test
    void twoPartitionsOfOneFeedAreFollowedSeparately() {
        // the ingest read partition 1 of the grid reports two days further than partition 0
        gen.onEvent(gridReport("GR-a").partition(0).at(T0).build(), T0, out);
        gen.onEvent(gridReport("GR-b").partition(1).at(T0 + DAY).build(), T0 + DAY, out);
        gen.onEvent(gridReport("GR-c").partition(1).at(T0 + 2 * DAY).build(), T0 + 2 * DAY, out);
        assertThat(emit()).isEqualTo(T0 - MINUTE - 1);
        gen.onEvent(gridReport("GR-d").partition(0).at(T0 + DAY).build(), T0 + DAY, out);
        assertThat(emit()).isEqualTo(T0 + DAY - MINUTE - 1);
    }

    @Test
    void aLaggingFeedStartingFreshHoldsBackEventTimeUntilItCatchesUp() {
        gen.onEvent(petition("XF-1").at(T0).build(), T0, out);
        gen.onEvent(grid(T0 + 3 * DAY), T0 + 3 * DAY, out);
        assertThat(emit()).isEqualTo(T0 - MINUTE - 1);
        gen.onEvent(petition("XF-2").at(T0 + DAY).build(), T0 + DAY, out);
        gen.onEvent(petition("XF-3").at(T0 + 2 * DAY).build(), T0 + 2 * DAY, out);
        assertThat(emit()).isEqualTo(T0 + 2 * DAY - MINUTE - 1);
    }

    @Test
    void aQuietFeedStopsHoldingEventTimeBackAndWhenAllAreQuietTheNewestRecordLeads() {
        gen.onEvent(petition("XF-1").at(T0).build(), T0, out);
        wall += 20_000;
        gen.onEvent(grid(T0 + 2 * DAY), T0 + 2 * DAY, out);
        assertThat(emit()).isEqualTo(T0 - MINUTE - 1);
        wall += 15_000; // petitions quiet for 35 s, grid reports for 15 s
        assertThat(emit()).isEqualTo(T0 + 2 * DAY - MINUTE - 1);
        wall += 60_000; // everything quiet
        assertThat(emit()).isEqualTo(T0 + 2 * DAY - MINUTE - 1);
    }

    @Test
    void oneWildRecordOfAFeedDoesNotThrowEventTimeForward() {
        watermarkAfter(T0, T0 + MINUTE);
        assertThat(watermarkAfter(T0 + 200 * DAY, T0 + 2 * MINUTE)).isEqualTo(T0 + MINUTE - 1);
    }

    @Test
    void nothingIsEmittedBeforeTheFirstRecord() {
        gen.onPeriodicEmit(out);
        assertThat(emitted).isEmpty();
    }
}

package org.fenghuo.jobs.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.gridReport;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.linkageCall;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.petition;

import java.time.Duration;
import java.util.List;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.jobs.common.RecordedWatermarks;
import org.junit.jupiter.api.Test;

class FeedWatermarksTest {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long T0 = 1_772_668_800_000L; // 2026-03-05

    final RecordedWatermarks out = new RecordedWatermarks();
    final List<Long> emitted = out.emitted;
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
        return out.last();
    }

    /** Three records at {@code t} (the guard's warm-up after a start), then the test's own. */
    void settle(java.util.function.Function<Long, NormalizedEvent> source, long t) {
        for (int i = 0; i < 3; i++) gen.onEvent(source.apply(t), t, out);
    }

    NormalizedEvent call(long t) { return linkageCall("JJ-" + n++).at(t).build(); }

    NormalizedEvent pet(long t) { return petition("XF-" + n++).at(t).build(); }

    @Test
    void followsTheStreamLessItsOutOfOrderness() {
        settle(this::grid, T0);
        assertThat(watermarkAfter(T0 + MINUTE, T0 + 30_000)).isEqualTo(T0 + MINUTE - MINUTE - 1);
        assertThat(watermarkAfter(T0 + 10 * MINUTE)).isEqualTo(T0 + 9 * MINUTE - 1);
    }

    @Test
    void afterAStartTheFirstRecordsCannotThrowEventTimeForward() {
        // the first record seen after a restart is a wild one: the clock waits for the others and takes their median
        assertThat(watermarkAfter(T0 + 200 * DAY, T0 + MINUTE)).isEqualTo(T0 + MINUTE - MINUTE - 1);
        assertThat(watermarkAfter(T0 + 2 * MINUTE)).isEqualTo(T0 + 2 * MINUTE - MINUTE - 1);
    }

    @Test
    void aFeedThatLagsBehindHoldsEventTimeBackWhileItIsStillDelivering() {
        // the ingest caught up on the grid reports first: they are days ahead of the calls in the same partition
        settle(this::grid, T0 + 5 * DAY);
        assertThat(emit()).isEqualTo(T0 + 5 * DAY - MINUTE - 1);
        settle(this::call, T0);
        gen.onEvent(call(T0 + DAY), T0 + DAY, out);
        gen.onEvent(grid(T0 + 6 * DAY), T0 + 6 * DAY, out);
        assertThat(emit()).as("the calls hold event time back, and it never goes back").isEqualTo(T0 + 5 * DAY - MINUTE - 1);
        assertThat(emitted).allMatch(w -> w == T0 + 5 * DAY - MINUTE - 1);
        for (int d = 2; d <= 7; d++) gen.onEvent(call(T0 + d * DAY), T0 + d * DAY, out);
        assertThat(emit()).as("the calls caught up: the grid reports are now the slowest").isEqualTo(T0 + 6 * DAY - MINUTE - 1);
    }

    @Test
    void aFeedPartitionThatHasNotDeliveredYetHoldsEventTimeUntilItDoes() {
        // after a start the ingest caught up on the grid reports first; the calls' partition exists but is not here yet
        String calls = FeedWatermarks.sourceOf(call(T0));
        FeedWatermarks waiting = new FeedWatermarks(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofDays(1), 3, () -> wall,
                java.util.Set.of(FeedWatermarks.sourceOf(grid(T0)), calls));
        for (int i = 0; i < 3; i++) waiting.onEvent(grid(T0 + 2 * DAY), T0 + 2 * DAY, out);
        wall += 20_000;
        waiting.onPeriodicEmit(out);
        assertThat(emitted).as("nothing while the calls are awaited").isEmpty();
        waiting.onEvent(call(T0), T0, out);
        waiting.onPeriodicEmit(out);
        assertThat(emitted).as("the calls arrived two days behind and now hold event time").containsExactly(T0 - MINUTE - 1);
    }

    @Test
    void anAwaitedFeedPartitionSilentSinceTheStartStopsHoldingEventTimeAfterTheIdleTime() {
        FeedWatermarks waiting = new FeedWatermarks(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofDays(1), 3, () -> wall,
                java.util.Set.of(FeedWatermarks.sourceOf(pet(T0))));
        for (int i = 0; i < 3; i++) waiting.onEvent(grid(T0 + DAY), T0 + DAY, out);
        wall += 29_000;
        waiting.onPeriodicEmit(out);
        assertThat(emitted).isEmpty();
        waiting.onEvent(grid(T0 + DAY), T0 + DAY, out);
        wall += 1_000;
        waiting.onPeriodicEmit(out);
        assertThat(emitted).containsExactly(T0 + DAY - MINUTE - 1);
    }

    @Test
    void twoPartitionsOfOneFeedAreFollowedSeparately() {
        // the ingest read partition 1 of the grid reports two days further than partition 0
        settle(t -> gridReport("GR-" + n++).partition(0).at(t).build(), T0);
        settle(t -> gridReport("GR-" + n++).partition(1).at(t).build(), T0 + 2 * DAY);
        assertThat(emit()).isEqualTo(T0 - MINUTE - 1);
        gen.onEvent(gridReport("GR-d").partition(0).at(T0 + DAY).build(), T0 + DAY, out);
        assertThat(emit()).isEqualTo(T0 + DAY - MINUTE - 1);
    }

    @Test
    void aQuietFeedStopsHoldingEventTimeBackAndWhenAllAreQuietEventTimeStays() {
        settle(this::pet, T0);
        wall += 20_000;
        settle(this::grid, T0 + 2 * DAY);
        assertThat(emit()).isEqualTo(T0 - MINUTE - 1);
        wall += 15_000; // petitions quiet for 35 s, grid reports for 15 s
        assertThat(emit()).isEqualTo(T0 + 2 * DAY - MINUTE - 1);
        gen.onEvent(pet(T0 + HOUR), T0 + HOUR, out);
        wall += 60_000; // everything quiet: a paused ingest must not let event time run to the newest source
        assertThat(emit()).isEqualTo(T0 + 2 * DAY - MINUTE - 1);
        assertThat(emitted).hasSize(2);
    }

    @Test
    void afterAPauseOfEveryFeedTheFirstToDeliverAgainWaitsForTheOthers() {
        // the ingest stalled (Elasticsearch away) longer than the idle time; when it resumes, it writes the grid
        // reports' backlog a moment before the petitions': event time must not run ahead to the grid reports
        settle(this::pet, T0);
        settle(this::grid, T0);
        assertThat(emit()).isEqualTo(T0 - MINUTE - 1);
        wall += 120_000;
        assertThat(emit()).as("everything silent: event time stays").isEqualTo(T0 - MINUTE - 1);
        gen.onEvent(grid(T0 + HOUR), T0 + HOUR, out);
        wall += 1_000;
        assertThat(emit()).as("only the grid reports are back: the petitions are waited for").isEqualTo(T0 - MINUTE - 1);
        gen.onEvent(pet(T0 + 10 * MINUTE), T0 + 10 * MINUTE, out);
        wall += 1_000;
        assertThat(emit()).as("the petitions are back, and hold event time at theirs").isEqualTo(T0 + 9 * MINUTE - 1);
    }

    @Test
    void afterAPauseAFeedThatStaysSilentIsWaitedForOnlyTheIdleTime() {
        settle(this::pet, T0);
        settle(this::grid, T0);
        emit();
        wall += 120_000;
        emit();
        gen.onEvent(grid(T0 + HOUR), T0 + HOUR, out);
        wall += 1_000;
        assertThat(emit()).isEqualTo(T0 - MINUTE - 1);
        wall += 29_000;
        gen.onEvent(grid(T0 + HOUR), T0 + HOUR, out);
        assertThat(emit()).isEqualTo(T0 - MINUTE - 1);
        wall += 1_000;
        gen.onEvent(grid(T0 + HOUR), T0 + HOUR, out);
        assertThat(emit()).as("the petitions stayed silent for the idle time: the grid reports lead").isEqualTo(T0 + HOUR - MINUTE - 1);
    }

    @Test
    void aFeedWhoseNewestRecordsAreAnUnconfirmedJumpNeitherHoldsBackNorMovesEventTime() {
        settle(this::grid, T0);
        settle(this::call, T0);
        // the calls resume after a weekend with no calls: two days ahead, not yet confirmed
        gen.onEvent(call(T0 + 2 * DAY), T0 + 2 * DAY, out);
        assertThat(watermarkAfter(T0 + 3 * HOUR)).isEqualTo(T0 + 3 * HOUR - MINUTE - 1);
        // an older call in between neither settles the jump nor undoes it
        gen.onEvent(call(T0 - HOUR), T0 - HOUR, out);
        assertThat(watermarkAfter(T0 + 4 * HOUR)).isEqualTo(T0 + 4 * HOUR - MINUTE - 1);
        gen.onEvent(call(T0 + 2 * DAY + 1), T0 + 2 * DAY + 1, out);
        gen.onEvent(call(T0 + 2 * DAY + 2), T0 + 2 * DAY + 2, out);
        assertThat(watermarkAfter(T0 + 5 * HOUR)).as("the jump confirmed: the grid reports are the slowest").isEqualTo(T0 + 5 * HOUR - MINUTE - 1);
        assertThat(watermarkAfter(T0 + 3 * DAY)).as("and now the calls, from the earliest of their jump").isEqualTo(T0 + 2 * DAY - MINUTE - 1);
    }

    @Test
    void oneWildRecordOfAFeedDoesNotThrowEventTimeForward() {
        settle(this::grid, T0);
        assertThat(watermarkAfter(T0 + MINUTE, T0 + 200 * DAY, T0 + 2 * MINUTE)).isEqualTo(T0 + MINUTE - 1);
    }

    @Test
    void nothingIsEmittedBeforeTheFirstRecord() {
        gen.onPeriodicEmit(out);
        assertThat(emitted).isEmpty();
    }
}

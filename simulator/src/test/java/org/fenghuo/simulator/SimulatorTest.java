package org.fenghuo.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.simulator.city.DemoCity;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    final DemoCity city = TestCity.get();

    @Test
    void generateGivesExactCounts() {
        Simulator sim = new Simulator(city, SimulatorConfig.builder().build());
        InMemoryFeedSink sink = new InMemoryFeedSink();
        SimulationStats stats = sim.generate(sink, 20_000);
        assertThat(sink.size()).isEqualTo(20_000);
        assertThat(stats.total()).isEqualTo(20_000);
        assertThat(stats.validUnique() + stats.malformed() + stats.duplicates()).isEqualTo(20_000);
        assertThat(stats.perFeed().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
        assertThat(stats.malformedByKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(stats.malformed());
        // what an ingest job should make of it
        DeadLetterOracle oracle = new DeadLetterOracle(city.regions());
        Set<String> eventIds = new HashSet<>();
        long deadLetters = 0;
        for (var r : sink.records()) {
            // arrival is not in the sink; the simulated clock is at most a few hours past any event time here
            if (oracle.reason(r.feed(), r.value(), r.eventTimeMillis()) != null) deadLetters++;
            else eventIds.add(r.feed() + ":" + r.key());
        }
        assertThat(deadLetters).isEqualTo(stats.malformed());
        assertThat(eventIds).hasSize((int) stats.validUnique());
        assertThat(stats.scenarioRecords()).isEqualTo(41);
    }

    @Test
    void sameConfigSameRecordsOtherSeedOtherRecords() {
        SimulatorConfig config = SimulatorConfig.builder().seed(7).build();
        InMemoryFeedSink a = new InMemoryFeedSink(), b = new InMemoryFeedSink(), c = new InMemoryFeedSink();
        new Simulator(city, config).generate(a, 5000);
        new Simulator(city, config).generate(b, 5000);
        new Simulator(city, config.toBuilder().seed(8).build()).generate(c, 5000);
        for (int i = 0; i < 5000; i++) {
            assertThat(a.records().get(i).value()).isEqualTo(b.records().get(i).value());
            assertThat(a.records().get(i).eventTimeMillis()).isEqualTo(b.records().get(i).eventTimeMillis());
        }
        assertThat(c.records().get(100).value()).isNotEqualTo(a.records().get(100).value());
    }

    @Test
    void eventTimesFollowTheConfiguredStartNotTheWallClock() {
        Instant start = Instant.parse("2031-07-01T00:00:00Z");
        InMemoryFeedSink sink = new InMemoryFeedSink();
        new Simulator(city, SimulatorConfig.builder().start(start).scenarios(false).malformedRate(0).lateRate(0).build()).generate(sink, 1000);
        assertThat(sink.records()).allSatisfy(r -> assertThat(r.eventTimeMillis()).isGreaterThanOrEqualTo(start.toEpochMilli() - 3 * 3_600_000L));
        assertThat(sink.records().get(0).key()).contains("-3107010800-");
    }

    @Test
    void historyIsSentBeforeTheStart() {
        Instant start = SimulatorConfig.DEFAULT_START;
        InMemoryFeedSink sink = new InMemoryFeedSink();
        new Simulator(city, SimulatorConfig.builder().history(Duration.ofDays(2)).build()).generate(sink, 500);
        assertThat(sink.records().get(0).eventTimeMillis()).isLessThan(start.minus(Duration.ofDays(1)).toEpochMilli());
    }

    @Test
    void pacesAgainstTheWallClockAndStopsWhenAsked() {
        // 1 simulated hour per wall second, one simulated hour in all
        SimulatorConfig config = SimulatorConfig.builder().speed(Speed.factor(3600)).baseRatePerHour(2000)
                .maxSimulatedDuration(Duration.ofHours(1)).build();
        InMemoryFeedSink sink = new InMemoryFeedSink();
        AtomicInteger reports = new AtomicInteger();
        long t0 = System.nanoTime();
        SimulationStats stats = new Simulator(city, config).run(sink, () -> false, s -> reports.incrementAndGet());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).isBetween(0.8, 5.0);
        assertThat(stats.simulatedTime()).isBefore(config.start().plus(Duration.ofHours(1)));
        assertThat(stats.total()).isGreaterThan(300);
        assertThat(reports.get()).isGreaterThanOrEqualTo(1);

        long t1 = System.nanoTime();
        long deadline = System.currentTimeMillis() + 300;
        new Simulator(city, config.toBuilder().speed(Speed.realtime()).build())
                .run(new InMemoryFeedSink(), () -> System.currentTimeMillis() > deadline);
        assertThat((System.nanoTime() - t1) / 1e9).isLessThan(2.0);
    }

    @Test
    void catchUpNeverGetsAheadOfTheWallClock() {
        Instant start = Instant.now().minus(Duration.ofMinutes(30));
        SimulatorConfig config = SimulatorConfig.builder().start(start).speed(Speed.catchUp(100_000)).baseRatePerHour(3000)
                .scenarios(false).malformedRate(0).build();
        InMemoryFeedSink sink = new InMemoryFeedSink();
        long deadline = System.currentTimeMillis() + 1500;
        new Simulator(city, config).run(sink, () -> System.currentTimeMillis() > deadline);
        assertThat(sink.size()).isGreaterThan(50);
        assertThat(sink.records()).allSatisfy(r -> assertThat(r.eventTimeMillis()).isLessThanOrEqualTo(System.currentTimeMillis()));
    }

    @Test
    void maxRecordsStopsTheRun() {
        SimulationStats stats = new Simulator(city, SimulatorConfig.builder().speed(Speed.max()).maxRecords(1234).build())
                .run(new InMemoryFeedSink(), () -> false);
        assertThat(stats.total()).isEqualTo(1234);
    }

    @Test
    void configIsValidatedWithClearMessages() {
        assertThatThrownBy(() -> SimulatorConfig.builder().malformedRate(1.2).duplicateRate(-0.1).baseRatePerHour(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformedRate must be between 0 and 0.5, was 1.2")
                .hasMessageContaining("duplicateRate must be between 0 and 0.5, was -0.1")
                .hasMessageContaining("baseRatePerHour must be > 0");
        assertThatThrownBy(() -> SimulatorConfig.builder().scenarioOffset(ScenarioType.DISPUTE_HOTSPOT, Duration.ofMinutes(-1)).build())
                .hasMessageContaining("scenario offset of DISPUTE_HOTSPOT must be zero or positive");
        assertThatThrownBy(() -> SimulatorConfig.builder().maxRecords(-1).build()).hasMessageContaining("maxRecords");
        assertThatThrownBy(() -> SimulatorConfig.builder().start(null).build()).hasMessageContaining("start is required");
        assertThatThrownBy(() -> Speed.factor(0)).hasMessageContaining("speed factor must be > 0");
        assertThat(Speed.parse("x60")).isEqualTo(Speed.factor(60));
        assertThat(Speed.parse("catchup:30")).isEqualTo(Speed.catchUp(30));
        assertThat(Speed.parse("max").toString()).isEqualTo("max");
        assertThatThrownBy(() -> Speed.parse("fast")).hasMessageContaining("speed must be");
    }

    @Test
    void commandLineStartTimes() {
        Instant now = Instant.parse("2026-03-05T01:00:00Z");
        assertThat(SimulatorMain.parseStart("now", now)).isEqualTo(now);
        assertThat(SimulatorMain.parseStart("now-PT3H", now)).isEqualTo(Instant.parse("2026-03-04T22:00:00Z"));
        assertThat(SimulatorMain.parseStart("2026-03-05T08:00:00+08:00", now)).isEqualTo(Instant.parse("2026-03-05T00:00:00Z"));
    }

    @Test
    void everyFeedIsProduced() {
        InMemoryFeedSink sink = new InMemoryFeedSink();
        new Simulator(city, SimulatorConfig.builder().build()).generate(sink, 3000);
        for (Feed f : Feed.values()) assertThat(sink.records(f)).as(f.name()).isNotEmpty();
        assertThat(List.of(sink.records().get(0).key())).allSatisfy(k -> assertThat(k).matches("(GR|JJ|XF|LJ|SCN-\\w+)-.*"));
    }
}

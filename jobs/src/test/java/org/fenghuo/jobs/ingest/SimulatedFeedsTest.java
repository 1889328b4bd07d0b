package org.fenghuo.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.simulator.InMemoryFeedSink;
import org.fenghuo.simulator.MalformedKind;
import org.fenghuo.simulator.SimulationStats;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.Speed;
import org.fenghuo.simulator.city.DemoCity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's own account of what it sent against the ingest's verdict on it: the records it made malformed are
 * exactly the dead letters, kind by kind, and the valid ones (with their redeliveries) are exactly the events. The
 * verdict is {@link NormalizeFeedRecords}'s, as in the job, which judges "in the future" by the wall clock: today,
 * not the simulated clock of the run, whose default start lies in the past like any replay.
 */
class SimulatedFeedsTest {
    private static final byte[] SECRET = "simulated-feeds-test-secret".getBytes(StandardCharsets.UTF_8);

    @Test
    void theIngestDeadLettersExactlyTheRecordsTheSimulatorMadeMalformed(@TempDir Path tmp) throws Exception {
        DemoCity city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        Path regions = tmp.resolve("city.geojson");
        city.writeGeoJson(regions);
        // the input of FlinkClusterIT (four days of history, six live hours), without its pacing: same records
        InMemoryFeedSink sink = new InMemoryFeedSink();
        SimulationStats stats = new Simulator(city, SimulatorConfig.builder().seed(23).speed(Speed.max())
                .history(Duration.ofDays(4)).maxSimulatedDuration(Duration.ofHours(6)).build()).run(sink, () -> false);

        List<InMemoryFeedSink.SentRecord> sent = sink.records();
        List<NormalizedEvent> events;
        List<DeadLetter> deadLetters;
        try (OneInputStreamOperatorTestHarness<RawFeedRecord, NormalizedEvent> h = ProcessFunctionTestHarnesses.forProcessFunction(
                new NormalizeFeedRecords(regions.toString(), SECRET))) {
            long offset = 0;
            for (InMemoryFeedSink.SentRecord r : sent) {
                h.processElement(new RawFeedRecord(r.feed().topic(), 0, offset++, r.key().getBytes(StandardCharsets.UTF_8),
                        r.value(), r.eventTimeMillis()), r.eventTimeMillis());
            }
            events = h.extractOutputValues();
            deadLetters = h.getSideOutput(NormalizeFeedRecords.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
        }

        assertThat(events.size() + deadLetters.size()).as("every record leaves as one event or one dead letter").isEqualTo(sent.size());
        Map<MalformedKind, Long> deadByKind = new EnumMap<>(MalformedKind.class);
        for (DeadLetter d : deadLetters) deadByKind.merge(kindOf(d.reason()), 1L, Long::sum);
        // a kind the ingest does not reject shows here with the simulator's count against a smaller one (or none)
        assertThat(deadByKind).as("dead letters by the kind of their reason").isEqualTo(stats.malformedByKind());
        assertThat(deadLetters).as("dead letters").hasSize((int) stats.malformed());
        Set<String> eventIds = new HashSet<>();
        events.forEach(e -> eventIds.add(e.eventId()));
        assertThat(eventIds).as("distinct event ids, as deduplication leaves them").hasSize((int) stats.validUnique());
        assertThat(events).as("events before deduplication: the valid records and their redeliveries")
                .hasSize((int) (stats.validUnique() + stats.duplicates()));
    }

    /** The simulator's kind of break that a dead letter's class (as the deadLetters metric labels it) stands for. */
    private static MalformedKind kindOf(String reason) {
        return switch (RejectionClass.of(reason)) {
            case NOT_JSON -> MalformedKind.NOT_JSON;
            case NOT_AN_OBJECT -> MalformedKind.NOT_AN_OBJECT;
            case MISSING_FIELD -> MalformedKind.MISSING_REQUIRED_FIELD;
            case WRONG_TYPE -> MalformedKind.WRONG_TYPE;
            case UNKNOWN_VALUE -> MalformedKind.UNKNOWN_ENUM_VALUE;
            case OUT_OF_RANGE -> MalformedKind.NUMBER_OUT_OF_RANGE;
            case TOO_LONG -> MalformedKind.STRING_TOO_LONG;
            case PATTERN_MISMATCH -> MalformedKind.PATTERN_MISMATCH;
            case UNKNOWN_REGION -> MalformedKind.UNKNOWN_REGION_CODE;
            case FUTURE_TIME -> MalformedKind.FUTURE_TIMESTAMP;
            case INTERNAL_ERROR, OTHER -> throw new AssertionError("a dead letter the metric cannot classify: " + reason);
        };
    }

}

package org.fenghuo.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.fenghuo.core.model.EventDetails;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateEventsTest {
    private static final long HOUR = 3_600_000L;
    private KeyedOneInputStreamOperatorTestHarness<String, NormalizedEvent, NormalizedEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents(Duration.ofHours(48))), NormalizedEvent::eventId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static NormalizedEvent event(String id, long at) {
        return event(id, at, "OTHER", Instant.EPOCH);
    }

    static NormalizedEvent event(String id, long at, String category, Instant ingestedAt) {
        OffsetDateTime t = OffsetDateTime.ofInstant(Instant.ofEpochMilli(at), ZoneOffset.ofHours(8));
        return new NormalizedEvent(id, "petition", id, "feed.petitions", 0, t, ingestedAt, EventRegion.UNKNOWN, null,
                category, null, 1, null, List.of(), "t", null, null, List.of(), List.of(), EventDetails.EMPTY, List.of());
    }

    private List<String> outputIds() {
        return harness.extractOutputValues().stream().map(NormalizedEvent::eventId).toList();
    }

    @Test
    void secondDeliveryOfTheSameIdIsDropped() throws Exception {
        harness.processElement(event("petition:1", 10 * HOUR), 10 * HOUR);
        harness.processElement(event("petition:2", 10 * HOUR), 10 * HOUR);
        harness.processElement(event("petition:1", 10 * HOUR, "OTHER", Instant.now()), 11 * HOUR); // redelivered later
        assertThat(outputIds()).containsExactly("petition:1", "petition:2");
    }

    @Test
    void theSameIdWithChangedContentPassesAsAnUpdate() throws Exception {
        harness.processElement(event("grid-report:1", 10 * HOUR, "DISPUTE", Instant.EPOCH), 10 * HOUR);
        harness.processElement(event("grid-report:1", 10 * HOUR, "GATHERING", Instant.EPOCH), 10 * HOUR);
        harness.processElement(event("grid-report:1", 10 * HOUR, "GATHERING", Instant.now()), 10 * HOUR);
        assertThat(harness.extractOutputValues()).extracting(NormalizedEvent::category).containsExactly("DISPUTE", "GATHERING");
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void stateAndTimerAreReleasedAfterRetentionInEventTime() throws Exception {
        harness.processElement(event("petition:1", 10 * HOUR), 10 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2); // expiry and fingerprint
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(10 * HOUR + 47 * HOUR);
        harness.processElement(event("petition:1", 10 * HOUR), 57 * HOUR);
        assertThat(outputIds()).containsExactly("petition:1"); // still remembered at 47 h

        harness.processWatermark(10 * HOUR + 48 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void lateEventIsRememberedForTheFullRetentionFromTheWatermark() throws Exception {
        harness.processWatermark(100 * HOUR);
        harness.processElement(event("petition:old", 10 * HOUR), 10 * HOUR);
        harness.processWatermark(147 * HOUR);
        harness.processElement(event("petition:old", 10 * HOUR), 10 * HOUR);
        assertThat(outputIds()).containsExactly("petition:old");
        harness.processWatermark(148 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}

package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.Signal;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventDetails;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.rules.RuleSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link BaselineDetector} with the default {@code region.baseline-surge} rule (DAY periods in +08:00, history 28 d,
 * guard band 2 d, min count 5, p &lt; 0.01; community YELLOW, street ORANGE), driven through its keyed broadcast
 * operator. "Today" is {@link #TODAY}; history days are fed one by one with the watermark following them.
 */
class BaselineDetectorTest {
    static final ZoneOffset CST = ZoneOffset.ofHours(8);
    static final long DAY = 86_400_000L;
    static final LocalDate TODAY = LocalDate.of(2026, 3, 5);
    static final String DISTRICT = "110105";
    static final String STREET = "110105001";
    static final String COMMUNITY = "110105001001";
    static final String OTHER_COMMUNITY = "110105001002";
    static final String GRID = "110105001001001";
    static final String RULE_ID = "region.baseline-surge";

    static final RuleSet rules = CorrelationFixtures.defaultRules();
    static final CompiledRule rule = CorrelationFixtures.defaultRule(RULE_ID);

    private KeyedTwoInputStreamOperatorTestHarness<String, RuleInput, String, Detection> harness;
    private int seq;

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    // ---- fixtures ---------------------------------------------------------------------------------------------

    static KeyedTwoInputStreamOperatorTestHarness<String, RuleInput, String, Detection> newHarness(Duration lateness,
                                                                                               OperatorSubtaskState restore) throws Exception {
        return CorrelationFixtures.detector(new BaselineDetector(rules, null, lateness), restore);
    }

    private void open() throws Exception {
        harness = newHarness(Duration.ofDays(1), null);
    }

    static OffsetDateTime at(int dayOffset, int hour, int minute) {
        return OffsetDateTime.of(TODAY.plusDays(dayOffset), LocalTime.of(hour, minute), CST);
    }

    /** Start of a day (+08:00) in epoch millis. */
    static long dayStart(int dayOffset) {
        return at(dayOffset, 0, 0).toInstant().toEpochMilli();
    }

    static NormalizedEvent event(String recordId, OffsetDateTime time, String category, String grid) {
        EventRegion region = new EventRegion(grid.substring(0, 6), grid.substring(0, 9), grid.substring(0, 12), grid);
        return new NormalizedEvent("grid-report:" + recordId, "grid-report", recordId, "feed.grid-reports", 0, time,
                Instant.EPOCH, region, null, category, null, 1, null, List.of(), "网格上报 " + recordId, null, null,
                List.of(), List.of(), EventDetails.EMPTY, List.of());
    }

    static RuleInput input(String regionCode, NormalizedEvent e) {
        String key = "REG:" + regionCode;
        return RouteEventsToRules.input(RULE_ID + "|" + key, rule, RuleInput.EVENT, SubjectType.REGION, key,
                "区域" + regionCode, e, 1, 0, 0);
    }

    private String send(String regionCode, OffsetDateTime time, String category) throws Exception {
        return send(regionCode, time, category, regionCode.length() == 12 ? regionCode + "001" : GRID);
    }

    private String send(String regionCode, OffsetDateTime time, String category, String grid) throws Exception {
        NormalizedEvent e = event("r" + (++seq), time, category, grid);
        harness.processElement1(input(regionCode, e), e.occurredAtMillis());
        return e.eventId();
    }

    private void resend(String regionCode, String eventId, OffsetDateTime time, String category, String grid) throws Exception {
        NormalizedEvent e = event(eventId.substring(eventId.indexOf(':') + 1), time, category, grid);
        harness.processElement1(input(regionCode, e), e.occurredAtMillis());
    }

    private void watermark(long t) throws Exception {
        harness.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(t));
    }

    /** {@code perDay(offset)} events of a category a day in a region. */
    record Series(String regionCode, String category, IntUnaryOperator perDay) {}

    /**
     * Feeds days {@code from}..{@code to} (offsets from today, inclusive) with each series' events, spread over the
     * day, the watermark following the end of each day.
     */
    private void history(int from, int to, Series... series) throws Exception {
        for (int d = from; d <= to; d++) {
            for (Series s : series) {
                int n = s.perDay().applyAsInt(d);
                for (int i = 0; i < n; i++) send(s.regionCode(), at(d, 8, 0).plusMinutes(i * 10L), s.category());
            }
            watermark(dayStart(d + 1) - 1);
        }
    }

    private void history(String regionCode, String category, int from, int to, IntUnaryOperator perDay) throws Exception {
        history(from, to, new Series(regionCode, category, perDay));
    }

    private long period(int dayOffset) {
        return BaselineDetector.periods(rule.rule.baseline()).of(dayStart(dayOffset));
    }

    private List<Detection> detections() {
        return new ArrayList<>(harness.extractOutputValues());
    }

    private List<Signal> signals() {
        Collection<StreamRecord<Signal>> q = harness.getSideOutput(RuleDetector.SIGNALS);
        List<Signal> out = new ArrayList<>();
        if (q != null) for (StreamRecord<Signal> r : q) out.add(r.getValue());
        return out;
    }

    private void clearOutput() {
        harness.getOutput().clear();
        Collection<StreamRecord<Signal>> q = harness.getSideOutput(RuleDetector.SIGNALS);
        if (q != null) q.clear();
    }

    @SuppressWarnings("unchecked")
    private BaselineCounts state(String regionCode) throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().<String>getKeyedStateBackend();
        backend.setCurrentKey(RULE_ID + "|REG:" + regionCode);
        ValueState<BaselineCounts> s = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("baseline-counts", BaselineCounts.Serializer.INSTANCE));
        return s.value();
    }

    /** The period's events of one category as kept in state (null when none are). */
    @SuppressWarnings("unchecked")
    private List<RuleInput> events(String regionCode, long period, String category) throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().<String>getKeyedStateBackend();
        backend.setCurrentKey(RULE_ID + "|REG:" + regionCode);
        org.apache.flink.api.common.state.MapState<String, List<RuleInput>> m = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, new org.apache.flink.api.common.state.MapStateDescriptor<>("baseline-events",
                        org.apache.flink.api.common.typeinfo.Types.STRING, RuleInputSerializer.listType()));
        return m.get(BaselineDetector.eventsKey(period, category));
    }

    /** Every other day one event: mean 0.5 over the 28 days D-30 … D-3. */
    private static int everyOtherDay(int d) {
        return Math.floorMod(d, 2) == 0 ? 1 : 0;
    }

    // ---- tests ------------------------------------------------------------------------------------------------

    @Test
    void aCachedHistoryIsCountedAgainWhenARecordLandsInOneOfItsQuietDays() {
        BaselineCounts s = new BaselineCounts();
        for (long q = 0; q < 10; q++) {
            if (q != 5) s.sealed.put(q, new java.util.HashMap<>(java.util.Map.of("DISPUTE", 2)));
        }
        s.firstPeriod = 0;
        assertThat(s.history("DISPUTE", 0, 10).mean()).isEqualTo(1.8);

        // day 5 had nothing yet; a record for it is still within the lateness, so it opens
        s.open.put(5L, new java.util.HashMap<>(java.util.Map.of("DISPUTE", 10)));
        s.added(5);
        assertThat(s.history("DISPUTE", 0, 10).mean()).isEqualTo(2.8);
        // sealed: the same count, now from the sealed days, not the summary cached before the record came
        s.sealed.put(5L, new java.util.HashMap<>(java.util.Map.of("DISPUTE", 10)));
        s.open.clear();
        assertThat(s.history("DISPUTE", 0, 10).mean()).isEqualTo(2.8);
        assertThat(s.history("DISPUTE", 1, 10).mean()).isEqualTo(26 / 9.0);
    }

    @Test
    void aQuietCommunityWithFiveInADayIsYellowWithExpectedAgainstObserved() throws Exception {
        open();
        history(COMMUNITY, "DISPUTE", -30, -1, BaselineDetectorTest::everyOtherDay);
        assertThat(detections()).as("0–1 a day never alerts").isEmpty();
        clearOutput();

        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            send(COMMUNITY, at(0, 9 + i, 0), "DISPUTE");
            times.add(at(0, 9 + i, 0).toInstant().toEpochMilli());
        }
        // P(X ≥ 4 | 0.5) ≈ 0.0018 < 0.01: only the minimum count holds it back
        assertThat(detections()).as("4 in a day is below the minimum count").isEmpty();
        assertThat(signals()).isEmpty();

        send(COMMUNITY, at(0, 14, 0), "DISPUTE");
        List<Detection> ds = detections();
        assertThat(ds).hasSize(1);
        Detection d = ds.get(0);
        assertThat(d.ruleId()).isEqualTo(RULE_ID);
        assertThat(d.kind()).isEqualTo(SignalKind.BASELINE);
        assertThat(d.level()).isEqualTo(AlertLevel.YELLOW);
        assertThat(d.subject().type()).isEqualTo(SubjectType.REGION);
        assertThat(d.subject().key()).isEqualTo("REG:" + COMMUNITY);
        assertThat(d.observed()).isEqualTo(5.0);
        assertThat(d.expected()).isCloseTo(0.5, within(1e-9)); // 14 events over the 28 history days
        assertThat(d.limit()).isEqualTo(5.0);
        assertThat(d.evidenceCount()).isEqualTo(5);
        assertThat(d.evidence()).hasSize(5);
        assertThat(d.sources()).containsExactly("grid-report");
        assertThat(d.since()).as("the fifth event made the day anomalous").isEqualTo(at(0, 14, 0).toInstant().toEpochMilli());
        assertThat(d.eventTime()).isEqualTo(at(0, 14, 0).toInstant().toEpochMilli());
        assertThat(d.holdsUntil()).isEqualTo(dayStart(1));
        assertThat(d.region()).isEqualTo(new EventRegion(DISTRICT, STREET, COMMUNITY, null));
        assertThat(d.explanation()).contains("已达5件").contains("预期0.5件").contains("p<0.01").contains("过去28天").contains("不含最近2天")
                .contains("3月5日").contains("黄色");
        assertThat(d.levelReason()).contains("5件").contains("预期0.5");
    }

    @Test
    void aStreetSurgeIsOrange() throws Exception {
        open();
        history(STREET, "DISPUTE", -30, -1, BaselineDetectorTest::everyOtherDay);
        clearOutput();
        for (int i = 0; i < 5; i++) send(STREET, at(0, 9 + i, 0), "DISPUTE");
        assertThat(detections()).extracting(Detection::level).containsExactly(AlertLevel.ORANGE);
        assertThat(detections().get(0).region()).isEqualTo(new EventRegion(DISTRICT, STREET, null, null));
    }

    @Test
    void aBusyCommunityAtItsUsualRateIsNotASurge() throws Exception {
        open();
        history(COMMUNITY, "DISPUTE", -30, -1, d -> 6);
        assertThat(detections()).as("a steady 6 a day never alerts").isEmpty();
        for (int i = 0; i < 8; i++) send(COMMUNITY, at(0, 8, 0).plusMinutes(i * 20L), "DISPUTE");
        // P(X ≥ 8 | 6) ≈ 0.26
        assertThat(detections()).as("8 against a usual 6 is not improbable").isEmpty();
        for (int i = 8; i < 12; i++) send(COMMUNITY, at(0, 8, 0).plusMinutes(i * 20L), "DISPUTE");
        assertThat(detections()).as("12 against 6: p ≈ 0.020").isEmpty();
        send(COMMUNITY, at(0, 20, 0), "DISPUTE");
        // 13 against 6: p ≈ 0.0088
        assertThat(detections()).hasSize(1);
        assertThat(detections().get(0).observed()).isEqualTo(13.0);
        assertThat(detections().get(0).expected()).isCloseTo(6.0, within(1e-9));
    }

    @Test
    void aRegionNeedsSevenDaysOfHistory() throws Exception {
        open();
        // COMMUNITY first seen on D-8: history D-8 … D-3 is 6 days; OTHER_COMMUNITY first seen on D-9: 7 days
        send(COMMUNITY, at(-8, 10, 0), "OTHER");
        send(OTHER_COMMUNITY, at(-9, 10, 0), "OTHER");
        watermark(dayStart(0) - 1);
        for (int i = 0; i < 10; i++) {
            send(COMMUNITY, at(0, 9, i), "DISPUTE");
            send(OTHER_COMMUNITY, at(0, 9, i), "DISPUTE");
        }
        assertThat(detections()).extracting(d -> d.subject().key()).containsOnly("REG:" + OTHER_COMMUNITY).isNotEmpty();
        assertThat(detections().get(0).explanation()).contains("过去7天");
    }

    @Test
    void theTwoDaysBeforeTodayAreAGuardBandAndDoNotCountInTheBaseline() throws Exception {
        open();
        // both communities: one event every 4 days (mean 0.25), plus 30 events on each of two days
        IntUnaryOperator sparse = d -> Math.floorMod(d, 4) == 2 ? 1 : 0; // D-30, D-26, … D-6
        history(-30, -1, new Series(COMMUNITY, "DISPUTE", d -> sparse.applyAsInt(d) + (d == -1 || d == -2 ? 30 : 0)),
                new Series(OTHER_COMMUNITY, "DISPUTE", d -> sparse.applyAsInt(d) + (d == -3 || d == -4 ? 30 : 0)));
        assertThat(state(COMMUNITY).count(period(-2), "DISPUTE")).isEqualTo(31); // 30 + the sparse one
        assertThat(state(OTHER_COMMUNITY).count(period(-3), "DISPUTE")).isEqualTo(30);
        assertThat(state(OTHER_COMMUNITY).count(period(-30), "DISPUTE")).isEqualTo(1);
        clearOutput();
        for (int i = 0; i < 5; i++) {
            send(COMMUNITY, at(0, 9 + i, 0), "DISPUTE");
            send(OTHER_COMMUNITY, at(0, 9 + i, 0), "DISPUTE");
        }
        // COMMUNITY: the build-up is in the guard band, the baseline stays 7/28 = 0.25 and 5 is a surge.
        // OTHER_COMMUNITY: the same build-up one day earlier is history: mean 67/28 ≈ 2.4, p(≥5) ≈ 0.095.
        List<Detection> ds = detections();
        assertThat(ds).extracting(d -> d.subject().key()).containsExactly("REG:" + COMMUNITY);
        assertThat(ds.get(0).expected()).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void daysAreCountedInChinaStandardTime() throws Exception {
        open();
        history(-30, -1, new Series(COMMUNITY, "DISPUTE", BaselineDetectorTest::everyOtherDay),
                new Series(OTHER_COMMUNITY, "DISPUTE", BaselineDetectorTest::everyOtherDay));
        clearOutput();
        // COMMUNITY: 07:00 +08:00 is still the previous day in UTC, 23:30 +08:00 is today's last half hour
        for (int i = 0; i < 4; i++) send(COMMUNITY, at(0, 7, i), "DISPUTE");
        send(COMMUNITY, at(0, 23, 30), "DISPUTE");
        // OTHER_COMMUNITY: 00:30 +08:00 tomorrow is still today in UTC, but belongs to tomorrow
        for (int i = 0; i < 4; i++) send(OTHER_COMMUNITY, at(0, 10, i), "DISPUTE");
        send(OTHER_COMMUNITY, at(1, 0, 30), "DISPUTE");

        List<Detection> ds = detections();
        assertThat(ds).extracting(d -> d.subject().key()).containsExactly("REG:" + COMMUNITY);
        assertThat(ds.get(0).observed()).isEqualTo(5.0);
        assertThat(ds.get(0).holdsUntil()).isEqualTo(dayStart(1));
        List<Signal> ss = signals();
        assertThat(ss).hasSize(1);
        assertThat(ss.get(0).windowStart()).isEqualTo(Instant.parse("2026-03-04T16:00:00Z"));
        assertThat(ss.get(0).windowEnd()).isEqualTo(Instant.parse("2026-03-05T16:00:00Z"));
    }

    @Test
    void aSignalPerAnomalousCategoryWithADeterministicId() throws Exception {
        open();
        history(-30, -1, new Series(COMMUNITY, "DISPUTE", BaselineDetectorTest::everyOtherDay),
                new Series(COMMUNITY, "ENVIRONMENT", d -> Math.floorMod(d, 7) == 0 ? 1 : 0));
        clearOutput();
        for (int i = 0; i < 5; i++) send(COMMUNITY, at(0, 9, i), "DISPUTE");
        for (int i = 0; i < 6; i++) send(COMMUNITY, at(0, 10, i), "ENVIRONMENT");
        send(COMMUNITY, at(0, 11, 0), "SAFETY_HAZARD"); // not anomalous: below the minimum count

        String prefix = RULE_ID + ":REG:" + COMMUNITY + ":";
        List<Signal> ss = signals();
        assertThat(ss).isNotEmpty();
        assertThat(ss).extracting(Signal::signalId).containsOnly(prefix + "DISPUTE:2026-03-04T16:00:00Z",
                prefix + "ENVIRONMENT:2026-03-04T16:00:00Z");
        assertThat(ss).extracting(Signal::kind).containsOnly(SignalKind.BASELINE);
        Signal last = ss.get(ss.size() - 1);
        Signal env = ss.stream().filter(s -> s.signalId().contains("ENVIRONMENT")).reduce((a, b) -> b).orElseThrow();
        assertThat(env.observed()).isEqualTo(6.0);
        assertThat(env.expected()).isCloseTo(4.0 / 28, within(1e-9)); // days -28, -21, -14, -7
        assertThat(env.level()).isEqualTo(AlertLevel.YELLOW);
        assertThat(last.evidence()).isNotEmpty();

        // the latest detection names both categories; the most improbable one gives the headline numbers
        Detection d = detections().get(detections().size() - 1);
        assertThat(d.explanation()).contains("矛盾纠纷").contains("环境").doesNotContain("安全隐患");
        assertThat(d.evidenceCount()).isEqualTo(11);
    }

    @Test
    void aRedeliveredEventCountsOnce() throws Exception {
        open();
        history(COMMUNITY, "DISPUTE", -30, -1, BaselineDetectorTest::everyOtherDay);
        clearOutput();
        String last = null;
        for (int i = 0; i < 4; i++) last = send(COMMUNITY, at(0, 9 + i, 0), "DISPUTE");
        resend(COMMUNITY, last, at(0, 12, 0), "DISPUTE", GRID);
        resend(COMMUNITY, last, at(0, 12, 0), "DISPUTE", GRID);
        assertThat(detections()).isEmpty();
    }

    @Test
    void onRocksDbASurgeIsFoundFromItsOwnCategoryAndItsDayIsSealedAsOnTheHeap() throws Exception {
        // with RocksDB a value read from state is a copy: what is changed and not written back is lost
        harness = CorrelationFixtures.detector(new BaselineDetector(rules, null, Duration.ofDays(1)), null,
                new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend());
        history(COMMUNITY, "DISPUTE", -30, -1, BaselineDetectorTest::everyOtherDay);
        history(COMMUNITY, "OTHER", -30, -1, d -> 3);
        clearOutput();
        for (int i = 0; i < 4; i++) send(COMMUNITY, at(0, 9 + i, 0), "DISPUTE");
        send(COMMUNITY, at(0, 13, 30), "OTHER");
        assertThat(detections()).isEmpty();
        send(COMMUNITY, at(0, 14, 0), "DISPUTE");
        List<Detection> ds = detections();
        assertThat(ds).hasSize(1);
        assertThat(ds.get(0).observed()).isEqualTo(5.0);
        assertThat(ds.get(0).expected()).isCloseTo(0.5, within(1e-9));
        assertThat(ds.get(0).evidence()).hasSize(5).allMatch(e -> e.category().equals("DISPUTE"));
        long today = period(0);
        assertThat(state(COMMUNITY).open.get(today)).containsEntry("DISPUTE", 5).containsEntry("OTHER", 1);

        watermark(dayStart(2));
        assertThat(state(COMMUNITY).open).isEmpty();
        assertThat(state(COMMUNITY).sealed.get(today)).containsEntry("DISPUTE", 5).containsEntry("OTHER", 1);
        assertThat(events(COMMUNITY, today, "DISPUTE")).isNull();
        assertThat(events(COMMUNITY, today, "OTHER")).isNull();
        watermark(dayStart(0) + 35 * DAY);
        assertThat(state(COMMUNITY)).as("a region quiet for longer than its history is forgotten").isNull();
    }

    @Test
    void sealedDaysBecomeCountsOldHistoryIsDroppedAndAQuietRegionIsForgotten() throws Exception {
        open();
        history(COMMUNITY, "DISPUTE", -40, -1, d -> 1);
        for (int i = 0; i < 5; i++) send(COMMUNITY, at(0, 9 + i, 0), "DISPUTE");
        // the day is open (late events may still come) until its end plus the allowed lateness (1 day)
        watermark(dayStart(2) - 1);
        BaselineCounts s = state(COMMUNITY);
        long today = period(0);
        assertThat(s.open).containsOnlyKeys(today);
        assertThat(s.open.get(today)).containsEntry("DISPUTE", 5);
        assertThat(events(COMMUNITY, today, "DISPUTE")).hasSize(5).extracting(RuleInput::time).isSorted();
        watermark(dayStart(2));
        s = state(COMMUNITY);
        assertThat(s.open).isEmpty();
        assertThat(events(COMMUNITY, today, "DISPUTE")).as("a sealed day's events are dropped").isNull();
        assertThat(s.sealed.get(today)).containsEntry("DISPUTE", 5);
        // the next day that can still take events is tomorrow: it needs history back to D+1-30 = D-29;
        // anything before D-30 is gone
        assertThat(s.sealed.firstKey()).isBetween(today - 30, today - 29);
        assertThat(s.sealed.keySet()).contains(today - 29);

        // a late event for a sealed day is too late: the count stays
        send(COMMUNITY, at(0, 20, 0), "DISPUTE");
        assertThat(state(COMMUNITY).sealed.get(today)).containsEntry("DISPUTE", 5);
        assertThat(state(COMMUNITY).open).isEmpty();

        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        // today's count is history for days up to D+30, which take late events until D+32
        watermark(dayStart(0) + 31 * DAY);
        assertThat(harness.numKeyedStateEntries()).as("today is still history").isEqualTo(1);
        assertThat(state(COMMUNITY).count(today, "DISPUTE")).isEqualTo(5);
        watermark(dayStart(0) + 35 * DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void historyALateEventStillNeedsIsKeptWhenTheLatenessIsLongerThanADay() throws Exception {
        harness = newHarness(Duration.ofDays(2), null);
        // a single busy day 30 days before today (the first day of today's history), then one other event a day
        for (int i = 0; i < 60; i++) send(COMMUNITY, at(-30, 8, 0).plusMinutes(i), "DISPUTE");
        for (int d = -29; d <= 1; d++) {
            send(COMMUNITY, at(d, 10, 0), "OTHER");
            watermark(dayStart(d + 1));
        }
        // event time is 2.5 days past today's start; today still takes late events (2 days of lateness)
        watermark(dayStart(2) + DAY / 2);
        for (int i = 0; i < 5; i++) send(COMMUNITY, at(0, 9 + i, 0), "DISPUTE");
        // with the busy day in the baseline, 60/28 ≈ 2.1 a day: 5 is p ≈ 0.066, no surge
        // (had that day been dropped, the baseline would be empty and 5 a surge)
        assertThat(detections()).isEmpty();
        assertThat(state(COMMUNITY).count(period(-30), "DISPUTE")).isEqualTo(60);
    }

    @Test
    void stateSurvivesACheckpointAndRestore() throws Exception {
        open();
        history(COMMUNITY, "DISPUTE", -30, -1, BaselineDetectorTest::everyOtherDay);
        for (int i = 0; i < 4; i++) send(COMMUNITY, at(0, 9 + i, 0), "DISPUTE");
        OperatorSubtaskState snapshot = harness.snapshot(1, dayStart(0));
        harness.close();

        harness = newHarness(Duration.ofDays(1), snapshot);
        send(COMMUNITY, at(0, 14, 0), "DISPUTE");
        assertThat(detections()).hasSize(1);
        assertThat(detections().get(0).observed()).isEqualTo(5.0);
        assertThat(detections().get(0).expected()).isCloseTo(0.5, within(1e-9));
    }
}

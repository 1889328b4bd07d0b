package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.Signal;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EnterpriseRef;
import org.fenghuo.core.model.EventDetails;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.rules.RuleSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link RiskScoreAccumulator} with the default {@code entity.risk} rule (half-life 7 d, source cap 70, YELLOW ≥ 50,
 * ORANGE ≥ 100 with 2 feeds, RED ≥ 200 with 3 feeds; points per feed from the default rules file).
 */
class RiskScoreAccumulatorTest {
    static final ZoneOffset CST = ZoneOffset.ofHours(8);
    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long T0 = OffsetDateTime.of(2026, 3, 5, 9, 0, 0, 0, CST).toInstant().toEpochMilli();
    static final String RULE_ID = "entity.risk";
    static final String CREDIT_CODE = "91110105MA01ABCD2X";
    static final String ENT = "ENT:" + CREDIT_CODE;
    static final String GRID = "110105001001001";

    static final RuleSet rules = CorrelationFixtures.defaultRules();
    static final CompiledRule rule = CorrelationFixtures.defaultRule(RULE_ID);

    private KeyedTwoInputStreamOperatorTestHarness<String, RuleInput, String, Detection> harness;
    private int seq;

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    // ---- fixtures ---------------------------------------------------------------------------------------------

    private void open() throws Exception {
        harness = CorrelationFixtures.detector(new RiskScoreAccumulator(rules, null, Duration.ofDays(1)), null);
    }

    static NormalizedEvent event(String feed, String recordId, long time, String category, Integer petitioners) {
        EventRegion region = new EventRegion(GRID.substring(0, 6), GRID.substring(0, 9), GRID.substring(0, 12), GRID);
        EventDetails details = petitioners == null ? EventDetails.EMPTY
                : new EventDetails(null, null, null, null, null, null, null, petitioners, null, null, null);
        return new NormalizedEvent(feed + ":" + recordId, feed, recordId, "feed." + feed + "s", 0,
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(time), CST), Instant.EPOCH, region, null, category, null, 2,
                null, List.of(ENT), feed + " " + recordId, null, null, List.of(),
                List.of(new EnterpriseRef(ENT, CREDIT_CODE, "某某建筑劳务有限公司", true)), details, List.of());
    }

    NormalizedEvent wageArrears(long time) { return event("labor-inspection", "L" + (++seq), time, "WAGE_ARREARS", null); }
    NormalizedEvent petition(long time) { return event("petition", "P" + (++seq), time, "LABOR", 1); }
    NormalizedEvent collectivePetition(long time) { return event("petition", "P" + (++seq), time, "LABOR", 12); }
    NormalizedEvent gatheringCall(long time) { return event("linkage-call", "C" + (++seq), time, "GATHERING", null); }
    NormalizedEvent gridReport(long time) { return event("grid-report", "G" + (++seq), time, "DISPUTE", null); }

    static RuleInput input(NormalizedEvent e) {
        double points = rule.points(e);
        return RouteEventsToRules.input(RULE_ID + "|" + ENT, rule, RuleInput.EVENT, SubjectType.ENTERPRISE, ENT,
                "某某建筑劳务有限公司", e, 1, points, 0);
    }

    private void send(NormalizedEvent e) throws Exception {
        harness.processElement1(input(e), e.occurredAtMillis());
    }

    private void watermark(long t) throws Exception {
        harness.processWatermark1(new Watermark(t));
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

    private AlertLevel highestLevel() {
        AlertLevel best = null;
        for (Detection d : detections()) best = AlertLevel.max(best, d.level());
        return best;
    }

    private List<RuleInput> contributions() throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().<String>getKeyedStateBackend();
        backend.setCurrentKey(RULE_ID + "|" + ENT);
        ValueState<List<RuleInput>> s = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("contributions", RuleInputSerializer.listType()));
        return s.value();
    }

    /** Points of a record under the running rules file (the defaults are tuned there, so tests take them from it). */
    static double points(NormalizedEvent e) {
        return rule.points(e);
    }

    /** The smallest number of records of {@code points} each whose sum reaches {@code target}. */
    static int recordsFor(double target, double points) {
        return (int) Math.ceil(target / points);
    }

    static double decayed(double points, long age) {
        return points * Math.pow(0.5, (double) age / (7 * DAY));
    }

    static double cap() {
        return rule.rule.risk().sourceCap();
    }

    // ---- tests ------------------------------------------------------------------------------------------------

    @Test
    void theDefaultRuleIsTheDesignedOne() {
        assertThat(rule.rule.risk().halfLife()).isEqualTo(Duration.ofDays(7));
        assertThat(cap()).isEqualTo(70.0);
        assertThat(rule.levels).extracting(l -> l.level() + ">=" + l.atLeast() + "/" + l.sources())
                .containsExactly("YELLOW>=50.0/null", "ORANGE>=100.0/2", "RED>=200.0/3");
        for (NormalizedEvent e : List.of(wageArrears(T0), petition(T0), collectivePetition(T0), gatheringCall(T0), gridReport(T0))) {
            assertThat(points(e)).as("points of %s", e.eventId()).isPositive();
        }
        assertThat(points(collectivePetition(T0))).isGreaterThan(points(petition(T0)));
    }

    @Test
    void oneFeedAloneCountsAtMostTheCapAndNeverReachesOrange() throws Exception {
        open();
        double p = points(petition(T0));
        int yellowAt = recordsFor(50.1, p); // the margin covers a few minutes of decay
        int n = recordsFor(2 * cap(), p); // twice the cap, uncapped
        for (int i = 0; i < n; i++) send(petition(T0 + i * MINUTE));
        List<Signal> ss = signals();
        assertThat(ss).hasSize(n);
        assertThat(ss.get(0).score()).isEqualTo(p);
        assertThat(ss.get(n - 1).score()).as("capped").isEqualTo(cap());
        assertThat(detections()).as("YELLOW from the record that reaches 50").hasSize(n - yellowAt + 1)
                .extracting(Detection::level).containsOnly(AlertLevel.YELLOW);
        assertThat(detections().get(0).since()).isEqualTo(T0 + (yellowAt - 1) * MINUTE);

        // a token record of a second feed: cap + a few points stays YELLOW (uncapped: ≥ 140 from 2 feeds, ORANGE)
        double g = points(gridReport(T0));
        assertThat(cap() + g).as("fixture: a grid report does not lift the cap to 100").isLessThan(100);
        send(gridReport(T0 + n * MINUTE));
        Signal last = signals().get(signals().size() - 1);
        assertThat(last.score()).isCloseTo(cap() + g, within(0.01));
        assertThat(last.sources()).containsExactly("grid-report", "petition");
        assertThat(highestLevel()).isEqualTo(AlertLevel.YELLOW);
        Detection d = detections().get(detections().size() - 1);
        assertThat(d.explanation()).contains("单一来源最多计70分").contains("半衰期7天");
    }

    @Test
    void twoFeedsReachingAHundredAreOrange() throws Exception {
        open();
        // one feed to YELLOW on its own, then the second feed's records until the two pass 100
        double pl = points(wageArrears(T0));
        double pp = points(collectivePetition(T0));
        int labour = recordsFor(50.1, pl);
        double labourSum = Math.min(cap(), labour * pl);
        int petitions = recordsFor(101 - labourSum, pp);
        assertThat(labourSum + Math.min(cap(), (petitions - 1) * pp)).as("fixture: one record short of 100").isLessThan(100);
        long t = T0;
        for (int i = 0; i < labour; i++) send(wageArrears(t += MINUTE));
        for (int i = 0; i < petitions - 1; i++) send(collectivePetition(t += MINUTE));
        assertThat(highestLevel()).isEqualTo(AlertLevel.YELLOW);
        send(collectivePetition(t += MINUTE));
        List<Detection> ds = detections();
        Detection d = ds.get(ds.size() - 1);
        double expected = labourSum + Math.min(cap(), petitions * pp);
        assertThat(d.level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(d.kind()).isEqualTo(SignalKind.RISK_SCORE);
        assertThat(d.subject().key()).isEqualTo(ENT);
        assertThat(d.subject().type()).isEqualTo(SubjectType.ENTERPRISE);
        assertThat(d.observed()).isCloseTo(expected, within(0.5)); // a few minutes of decay
        assertThat(d.limit()).isEqualTo(100.0);
        assertThat(d.sources()).containsExactly("labor-inspection", "petition");
        assertThat(d.evidenceCount()).isEqualTo(labour + petitions);
        assertThat(d.evidence()).allSatisfy(e -> assertThat(e.points()).isPositive());
        assertThat(d.since()).isEqualTo(t);
        assertThat(d.eventTime()).isEqualTo(t);
        assertThat(d.holdsUntil()).isEqualTo(t + 7 * DAY);
        assertThat(d.cooldownMillis()).isEqualTo(7 * DAY);
        assertThat(d.levelReason()).contains("≥100分且来源≥2类");
    }

    @Test
    void threeFeedsAtTheirCapsAreRed() throws Exception {
        open();
        long t = T0;
        for (NormalizedEvent kind : List.of(wageArrears(T0), collectivePetition(T0), gatheringCall(T0))) {
            int n = recordsFor(cap() + 5, points(kind));
            for (int i = 0; i < n; i++) {
                t += MINUTE;
                send(event(kind.feed(), kind.recordId() + "-" + i, t, kind.category(), kind.details().petitionerCount()));
            }
        }
        assertThat(highestLevel()).isEqualTo(AlertLevel.RED);
        Detection d = detections().get(detections().size() - 1);
        assertThat(d.observed()).isEqualTo(3 * cap()); // each feed capped
        assertThat(d.sources()).hasSize(3);
    }

    @Test
    void pointsDecaySoTheSamePointsSpreadOverWeeksStayBelowYellow() throws Exception {
        List<NormalizedEvent> kinds = List.of(wageArrears(T0), collectivePetition(T0), gatheringCall(T0));
        double sum = 0;
        for (NormalizedEvent e : kinds) sum += points(e);
        assertThat(sum).as("fixture: the three records together reach YELLOW").isGreaterThanOrEqualTo(52);

        open();
        long[] spread = {T0, T0 + 14 * DAY, T0 + 28 * DAY};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            NormalizedEvent k = kinds.get(i);
            send(event(k.feed(), "w" + i, spread[i], k.category(), k.details().petitionerCount()));
            expected += decayed(points(k), spread[2] - spread[i]);
        }
        assertThat(detections()).isEmpty();
        assertThat(signals().get(2).score()).isCloseTo(expected, within(0.01)).isLessThan(50);
        harness.close();

        open();
        long[] close = {T0, T0 + 4 * HOUR, T0 + 8 * HOUR};
        expected = 0;
        for (int i = 0; i < 3; i++) {
            NormalizedEvent k = kinds.get(i);
            send(event(k.feed(), "d" + i, close[i], k.category(), k.details().petitionerCount()));
            expected += decayed(points(k), close[2] - close[i]);
        }
        assertThat(highestLevel()).isEqualTo(AlertLevel.YELLOW);
        assertThat(signals().get(2).score()).isCloseTo(expected, within(0.01));
    }

    @Test
    void everyContributionIsASignalWithScoreAndDelta() throws Exception {
        open();
        NormalizedEvent a = wageArrears(T0);
        NormalizedEvent b = petition(T0 + DAY);
        send(a);
        send(b);
        List<Signal> ss = signals();
        assertThat(ss).hasSize(2);
        Signal first = ss.get(0);
        assertThat(first.signalId()).isEqualTo("entity.risk:" + ENT + ":" + a.eventId());
        assertThat(first.kind()).isEqualTo(SignalKind.RISK_SCORE);
        assertThat(first.ruleId()).isEqualTo(RULE_ID);
        assertThat(first.subject().key()).isEqualTo(ENT);
        assertThat(first.score()).isEqualTo(points(a));
        assertThat(first.delta()).isEqualTo(points(a));
        assertThat(first.level()).isNull();
        assertThat(first.triggeredAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(first.evidence()).hasSize(1);
        assertThat(first.evidence().get(0).eventId()).isEqualTo(a.eventId());
        assertThat(first.evidence().get(0).points()).isEqualTo(points(a));
        Signal second = ss.get(1);
        assertThat(second.signalId()).isEqualTo("entity.risk:" + ENT + ":" + b.eventId());
        assertThat(second.delta()).isEqualTo(points(b));
        assertThat(second.score()).isCloseTo(decayed(points(a), DAY) + points(b), within(0.01));
        assertThat(second.sources()).containsExactly("labor-inspection", "petition");
        assertThat(second.explanation()).contains("加" + Explain.number(points(b)) + "分");
    }

    @Test
    void outOfOrderArrivalGivesTheSameLevelsAndScores() throws Exception {
        List<NormalizedEvent> events = new ArrayList<>();
        long t = T0;
        for (int i = 0; i < 3; i++) {
            events.add(wageArrears(t += HOUR));
            events.add(collectivePetition(t += HOUR));
            events.add(gridReport(t += HOUR));
        }
        events.add(gatheringCall(t + DAY));
        open();
        for (NormalizedEvent e : events) send(e);
        AlertLevel inOrder = highestLevel();
        Map<String, Double> inOrderScores = finalScores();
        assertThat(inOrder).isIn(AlertLevel.ORANGE, AlertLevel.RED);
        harness.close();

        List<NormalizedEvent> reversed = new ArrayList<>(events);
        Collections.reverse(reversed);
        List<NormalizedEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(42));
        for (List<NormalizedEvent> order : List.of(reversed, shuffled)) {
            open();
            for (NormalizedEvent e : order) send(e);
            assertThat(highestLevel()).isEqualTo(inOrder);
            assertThat(finalScores()).as("each record's score, as last reported").isEqualTo(inOrderScores);
            harness.close();
        }
        harness = null;
    }

    /** The last score reported per signal id (what the index holds after overwriting). */
    private Map<String, Double> finalScores() {
        Map<String, Double> m = new TreeMap<>();
        for (Signal s : signals()) m.put(s.signalId(), s.score());
        return m;
    }

    @Test
    void decayedContributionsAreForgottenAndTheStateIsReleased() throws Exception {
        open();
        NormalizedEvent small = gridReport(T0);
        NormalizedEvent large = wageArrears(T0);
        assertThat(points(small)).isLessThan(points(large));
        // a contribution is forgotten once decayed below the floor (0.5): after log2(points / 0.5) half-lives
        long smallLife = RiskScoreAccumulator.lifetime(rule.rule.risk(), points(small));
        long largeLife = RiskScoreAccumulator.lifetime(rule.rule.risk(), points(large));
        assertThat(smallLife).isCloseTo((long) (Math.log(points(small) / 0.5) / Math.log(2) * 7 * DAY), within(1L));
        send(small);
        send(large);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
        watermark(T0 + smallLife - HOUR);
        assertThat(contributions()).hasSize(2);
        watermark(T0 + smallLife + HOUR);
        assertThat(contributions()).extracting(RuleInput::feed).containsExactly("labor-inspection");
        watermark(T0 + largeLife - HOUR);
        assertThat(contributions()).hasSize(1);
        watermark(T0 + largeLife + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // a record whose points would already have decayed below the floor is too late: no signal, no state
        int signalsBefore = signals().size();
        send(gridReport(T0 + DAY));
        assertThat(signals()).hasSize(signalsBefore);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}

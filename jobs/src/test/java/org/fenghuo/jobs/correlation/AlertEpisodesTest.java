package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.fenghuo.core.alert.ActionType;
import org.fenghuo.core.alert.Alert;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.alert.AlertIds;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertNotification;
import org.fenghuo.core.alert.AlertStatus;
import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.Escalation;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@link AlertEpisodes}: detections (input 1) and people's actions (input 2) per rule and subject. Wall-clock is the
 * harness's processing time (escalation); event time is the detections' watermark (cooldown after closing, state
 * retention) — the actions input carries the end of time, as in the job.
 */
class AlertEpisodesTest {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** Event time the situation starts. */
    static final long T0 = OffsetDateTime.of(2026, 3, 5, 9, 0, 0, 0, ZoneOffset.ofHours(8)).toInstant().toEpochMilli();
    /** Wall-clock when the first detection arrives: a live run, five minutes behind the events. */
    static final long NOW = T0 + 5 * MINUTE;
    static final long COOLDOWN = DAY;
    static final Duration RETENTION = Duration.ofDays(30);
    static final String RULE = "labor.wage-arrears-escalation";
    static final String ENT = "ENT:91110105MA01ABCD2X";
    static final String ENT2 = "ENT:91110105MA01ABCE0Y";
    static final String DISTRICT = "110105";
    static final String STREET = "110105001";
    static final String COMMUNITY = "110105001001";
    static final String GRID = "110105001001001";
    static final EventRegion REGION = new EventRegion(DISTRICT, STREET, COMMUNITY, GRID);

    private KeyedTwoInputStreamOperatorTestHarness<String, Detection, AlertAction, Alert> harness;
    private int actions;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness(null);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    // ---- fixtures ---------------------------------------------------------------------------------------------

    static KeyedTwoInputStreamOperatorTestHarness<String, Detection, AlertAction, Alert> newHarness(OperatorSubtaskState restore) throws Exception {
        AlertEpisodes fn = new AlertEpisodes(AlertEpisodes.defaultEscalationLimits(), Duration.ofHours(24), RETENTION);
        KeyedTwoInputStreamOperatorTestHarness<String, Detection, AlertAction, Alert> h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn), Detection::episodeKey, AlertEpisodes::keyOf, Types.STRING);
        if (restore != null) h.initializeState(restore);
        h.open();
        h.setProcessingTime(NOW);
        h.processWatermark2(new Watermark(Long.MAX_VALUE));
        return h;
    }

    static Evidence evidence(String recordId, long at) {
        return new Evidence("grid-report", recordId, Instant.ofEpochMilli(at), "GATHERING", "网格上报 " + recordId, GRID, null, null);
    }

    /** A detection whose evidence records are {@code recordIds}, the newest at {@code eventTime}; it holds for a day. */
    static Detection detection(String subjectKey, AlertLevel level, long since, long eventTime, EventRegion region, String... recordIds) {
        List<Evidence> ev = new ArrayList<>();
        for (int i = 0; i < recordIds.length; i++) ev.add(evidence(recordIds[i], eventTime - (recordIds.length - 1 - i) * MINUTE));
        return new Detection(RULE, "欠薪事件升级", SignalKind.CORRELATION, new AlertSubject(SubjectType.ENTERPRISE, subjectKey, "某某公司"),
                level, "欠薪事件升级 · 某某公司", level + " 的理由", level + " 的说明", since, eventTime, eventTime + DAY, (double) recordIds.length,
                null, 2.0, ev, recordIds.length, List.of("grid-report"), region, null, COOLDOWN, 50);
    }

    static Detection detection(AlertLevel level, long since, long eventTime, String... recordIds) {
        return detection(ENT, level, since, eventTime, REGION, recordIds);
    }

    /** A detection, then event time moves on to its newest record (as the detectors' watermark follows the events). */
    private void detect(Detection d) throws Exception {
        harness.processElement1(d, d.eventTime());
        if (d.eventTime() > watermark) watermark(d.eventTime());
    }

    private AlertAction action(String alertId, ActionType type, String actor, String unit) {
        return action("act-" + (++actions), alertId, type, actor, unit);
    }

    private AlertAction action(String actionId, String alertId, ActionType type, String actor, String unit) {
        return new AlertAction(actionId, alertId, type, actor, "DUTY_OFFICER", Instant.ofEpochMilli(harness.getProcessingTime()),
                "备注", unit, null, null, null, null, null);
    }

    private void act(AlertAction a) throws Exception {
        harness.processElement2(a, harness.getProcessingTime());
    }

    private void time(long processingTime) throws Exception {
        harness.setProcessingTime(processingTime);
    }

    private long watermark = Long.MIN_VALUE;

    private void watermark(long t) throws Exception {
        watermark = t;
        harness.processWatermark1(new Watermark(t));
    }

    private List<Alert> alerts() {
        return new ArrayList<>(harness.extractOutputValues());
    }

    private Alert lastAlert() {
        List<Alert> l = alerts();
        assertThat(l).isNotEmpty();
        return l.get(l.size() - 1);
    }

    private <T> List<T> side(org.apache.flink.util.OutputTag<T> tag) {
        Collection<StreamRecord<T>> q = harness.getSideOutput(tag);
        List<T> out = new ArrayList<>();
        if (q != null) for (StreamRecord<T> r : q) out.add(r.getValue());
        return out;
    }

    private List<AlertAction> audit() {
        return side(AlertEpisodes.AUDIT);
    }

    private List<AlertNotification> notifications() {
        return side(AlertEpisodes.NOTIFICATIONS);
    }

    private void clearOutput() {
        harness.getOutput().clear();
        for (org.apache.flink.util.OutputTag<?> t : List.of(AlertEpisodes.AUDIT, AlertEpisodes.NOTIFICATIONS)) {
            Collection<?> q = harness.getSideOutput(t);
            if (q != null) q.clear();
        }
    }

    private void assertNothingEmitted() {
        assertThat(alerts()).isEmpty();
        assertThat(audit()).isEmpty();
        assertThat(notifications()).isEmpty();
    }

    private String openAlert(String subjectKey, AlertLevel level) throws Exception {
        detect(detection(subjectKey, level, T0, T0, REGION, subjectKey + "-r1"));
        String id = AlertIds.alertId(RULE, subjectKey, Instant.ofEpochMilli(T0));
        assertThat(alerts()).extracting(Alert::alertId).contains(id);
        return id;
    }

    // ---- opening and updating ---------------------------------------------------------------------------------

    @Test
    void theFirstDetectionOpensANewAlert() throws Exception {
        detect(detection(AlertLevel.ORANGE, T0, T0 + 2 * MINUTE, "r1", "r2", "r3"));

        String id = AlertIds.alertId(RULE, ENT, Instant.ofEpochMilli(T0));
        assertThat(id).isEqualTo(RULE + ":" + ENT + ":20260305T010000Z");
        assertThat(alerts()).hasSize(1);
        Alert a = alerts().get(0);
        assertThat(a.alertId()).isEqualTo(id);
        assertThat(a.ruleId()).isEqualTo(RULE);
        assertThat(a.episode()).isEqualTo(1);
        assertThat(a.status()).isEqualTo(AlertStatus.NEW);
        assertThat(a.level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(a.triggeredAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(a.raisedAt()).isEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(a.updatedAt()).isEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(a.lastEventAt()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * MINUTE));
        assertThat(a.evidence()).extracting(Evidence::recordId).containsExactly("r1", "r2", "r3");
        assertThat(a.evidenceCount()).isEqualTo(3);
        assertThat(a.sources()).containsExactly("grid-report");
        assertThat(a.region()).isEqualTo(REGION);
        assertThat(a.responsibleLevel()).isEqualTo("GRID");
        assertThat(a.responsibleRegion()).isEqualTo(GRID);
        assertThat(a.escalationDueAt()).isEqualTo(Instant.ofEpochMilli(NOW + 30 * MINUTE));
        assertThat(a.levelHistory()).hasSize(1);
        assertThat(a.levelHistory().get(0).level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(a.escalations()).isEmpty();

        assertThat(audit()).hasSize(1);
        AlertAction raise = audit().get(0);
        assertThat(raise.action()).isEqualTo(ActionType.RAISE);
        assertThat(raise.actionId()).isEqualTo(id + "/raise");
        assertThat(raise.alertId()).isEqualTo(id);
        assertThat(raise.actor()).isEqualTo("system");
        assertThat(raise.outcome()).isEqualTo("APPLIED");
        assertThat(raise.status()).isEqualTo(AlertStatus.NEW);
        assertThat(raise.level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(raise.at()).isEqualTo(Instant.ofEpochMilli(NOW));

        assertThat(notifications()).hasSize(1);
        AlertNotification n = notifications().get(0);
        assertThat(n.reason()).isEqualTo(AlertNotification.Reason.NEW);
        assertThat(n.notificationId()).isEqualTo(id + "/NEW/0");
        assertThat(n.alert()).isEqualTo(a);
        assertThat(n.summary()).contains("橙色").contains("新告警");
    }

    @Test
    void newEvidenceUpdatesTheOpenAlertAndTheLevelOnlyGoesUp() throws Exception {
        detect(detection(AlertLevel.YELLOW, T0, T0 + MINUTE, "r1", "r2"));
        String id = alerts().get(0).alertId();
        clearOutput();

        time(NOW + MINUTE);
        detect(detection(AlertLevel.YELLOW, T0 + HOUR, T0 + HOUR, "r2", "r3"));
        assertThat(alerts()).hasSize(1);
        Alert a = lastAlert();
        assertThat(a.alertId()).isEqualTo(id);
        assertThat(a.evidence()).extracting(Evidence::recordId).containsExactly("r1", "r2", "r3");
        assertThat(a.evidenceCount()).isEqualTo(3);
        assertThat(a.updatedAt()).isEqualTo(Instant.ofEpochMilli(NOW + MINUTE));
        assertThat(a.raisedAt()).isEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(a.triggeredAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(a.lastEventAt()).isEqualTo(Instant.ofEpochMilli(T0 + HOUR));
        assertThat(audit()).isEmpty();
        assertThat(notifications()).as("more evidence at the same level is not a new push").isEmpty();
        clearOutput();

        time(NOW + 2 * MINUTE);
        detect(detection(AlertLevel.RED, T0 + 2 * HOUR, T0 + 2 * HOUR, "r1", "r2", "r3", "r4"));
        a = lastAlert();
        assertThat(a.alertId()).isEqualTo(id);
        assertThat(a.level()).isEqualTo(AlertLevel.RED);
        assertThat(a.evidenceCount()).isEqualTo(4);
        assertThat(a.levelHistory()).extracting(l -> l.level()).containsExactly(AlertLevel.YELLOW, AlertLevel.RED);
        assertThat(a.explanation()).isEqualTo("RED 的说明");
        assertThat(audit()).extracting(AlertAction::action).containsExactly(ActionType.LEVEL_UP);
        assertThat(audit().get(0).actionId()).isEqualTo(id + "/level/2");
        assertThat(audit().get(0).level()).isEqualTo(AlertLevel.RED);
        assertThat(notifications()).extracting(AlertNotification::reason).containsExactly(AlertNotification.Reason.LEVEL_RAISED);
        assertThat(notifications().get(0).notificationId()).isEqualTo(id + "/LEVEL_RAISED/2");
        clearOutput();

        Detection lower = detection(AlertLevel.YELLOW, T0 + 3 * HOUR, T0 + 3 * HOUR, "r5");
        detect(lower);
        a = lastAlert();
        assertThat(a.level()).as("never lowered").isEqualTo(AlertLevel.RED);
        assertThat(a.explanation()).as("the numbers of the higher level stay").isEqualTo("RED 的说明");
        assertThat(a.evidence()).extracting(Evidence::recordId).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(a.evidenceCount()).isEqualTo(5);
        assertThat(a.levelHistory()).hasSize(2);
        assertThat(audit()).isEmpty();
        assertThat(notifications()).isEmpty();
        clearOutput();

        detect(lower); // redelivered
        detect(detection(AlertLevel.RED, T0 + 2 * HOUR, T0 + 2 * HOUR, "r1", "r2", "r3", "r4"));
        assertNothingEmitted();
    }

    @Test
    void aDetectionAfterTheHoldAndTheCooldownOpensANewEpisode() throws Exception {
        detect(detection(AlertLevel.YELLOW, T0, T0, "r1"));                 // holds until T0 + 1 d
        String first = alerts().get(0).alertId();
        clearOutput();

        // starts exactly when the cooldown ends: still the same episode (holds until T0 + 3 d now)
        detect(detection(AlertLevel.YELLOW, T0 + 2 * DAY, T0 + 2 * DAY, "r2"));
        assertThat(lastAlert().alertId()).isEqualTo(first);
        assertThat(notifications()).isEmpty();
        clearOutput();

        long later = T0 + 4 * DAY + MINUTE;                                   // after T0 + 3 d + cooldown
        detect(detection(AlertLevel.YELLOW, later, later, "r3"));
        Alert second = lastAlert();
        assertThat(second.alertId()).isEqualTo(AlertIds.alertId(RULE, ENT, Instant.ofEpochMilli(later))).isNotEqualTo(first);
        assertThat(second.episode()).isEqualTo(2);
        assertThat(second.status()).isEqualTo(AlertStatus.NEW);
        assertThat(second.evidence()).extracting(Evidence::recordId).containsExactly("r3");
        assertThat(audit()).extracting(AlertAction::action).containsExactly(ActionType.RAISE);
        assertThat(notifications()).extracting(AlertNotification::reason).containsExactly(AlertNotification.Reason.NEW);
        assertThat(notifications().get(0).notificationId()).isEqualTo(second.alertId() + "/NEW/0");

        // the earlier episode can still be acted on
        clearOutput();
        act(action(first, ActionType.RESOLVE, "张三", null));
        assertThat(lastAlert().alertId()).isEqualTo(first);
        assertThat(lastAlert().status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(audit().get(0).outcome()).isEqualTo("APPLIED");
    }

    @Test
    void aReplayedEpisodeOpensOnceEventTimePassesItsStartSoThatAFindingStillOnItsWayCanMoveTheStartBack() throws Exception {
        // a replay (a month later) where partitions race: the later, lower finding arrives first
        time(NOW + 30 * DAY);
        harness.processElement1(detection(AlertLevel.YELLOW, T0 + HOUR, T0 + HOUR, "b1"), T0 + HOUR);
        harness.processElement1(detection(AlertLevel.ORANGE, T0, T0 + MINUTE, "a1", "a2"), T0 + MINUTE);
        assertNothingEmitted();
        watermark(T0);
        assertThat(alerts()).hasSize(1);
        Alert a = lastAlert();
        assertThat(a.alertId()).isEqualTo(AlertIds.alertId(RULE, ENT, Instant.ofEpochMilli(T0)));
        assertThat(a.triggeredAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(a.level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(a.evidence()).extracting(Evidence::recordId).containsExactly("a1", "a2", "b1");
        assertThat(a.status()).isEqualTo(AlertStatus.NEW);
        assertThat(notifications()).isEmpty();
        assertThat(audit()).extracting(AlertAction::action).containsExactly(ActionType.RAISE);
    }

    @Test
    void aLiveSituationIsRaisedTheMomentItIsDetectedWithoutWaitingForEventTime() throws Exception {
        // processing time NOW is five minutes after T0: someone is on duty, and the watermark still trails behind
        watermark(T0 - HOUR);
        harness.processElement1(detection(AlertLevel.YELLOW, T0, T0, "l1"), T0);
        assertThat(alerts()).hasSize(1);
        Alert a = lastAlert();
        assertThat(a.alertId()).isEqualTo(AlertIds.alertId(RULE, ENT, Instant.ofEpochMilli(T0)));
        assertThat(a.escalationDueAt()).isEqualTo(Instant.ofEpochMilli(NOW + 2 * HOUR));
        assertThat(notifications()).extracting(AlertNotification::reason).containsExactly(AlertNotification.Reason.NEW);
        // a record of the same situation that arrives later, even one from before the start, updates the same alert
        harness.processElement1(detection(AlertLevel.ORANGE, T0 - 10 * MINUTE, T0 + MINUTE, "l0", "l2"), T0 + MINUTE);
        assertThat(alerts()).extracting(Alert::alertId).containsOnly(a.alertId());
        assertThat(lastAlert().level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(lastAlert().evidence()).extracting(Evidence::recordId).containsExactlyInAnyOrder("l0", "l1", "l2");
    }

    // ---- actions ----------------------------------------------------------------------------------------------

    @Test
    void actionsMoveTheStatusAndAreAudited() throws Exception {
        String id = openAlert(ENT, AlertLevel.ORANGE);
        clearOutput();

        time(NOW + 3 * MINUTE);
        AlertAction ack = action(id, ActionType.ACKNOWLEDGE, "张三", null);
        act(ack);
        Alert a = lastAlert();
        assertThat(a.status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
        assertThat(a.acknowledgedBy()).isEqualTo("张三");
        assertThat(a.acknowledgedAt()).isEqualTo(ack.at());
        assertThat(a.escalationDueAt()).isNull();
        assertThat(a.updatedAt()).isEqualTo(Instant.ofEpochMilli(NOW + 3 * MINUTE));
        assertThat(a.actionCount()).isEqualTo(1);
        AlertAction audited = audit().get(0);
        assertThat(audited.actionId()).isEqualTo(ack.actionId());
        assertThat(audited.action()).isEqualTo(ActionType.ACKNOWLEDGE);
        assertThat(audited.outcome()).isEqualTo("APPLIED");
        assertThat(audited.status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
        assertThat(audited.level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(audited.ruleId()).isEqualTo(RULE);
        assertThat(audited.region()).isEqualTo(REGION);
        clearOutput();

        act(action(id, ActionType.COMMENT, "张三", null));
        assertThat(lastAlert().status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
        assertThat(lastAlert().actionCount()).isEqualTo(2);
        assertThat(audit()).extracting(AlertAction::outcome).containsExactly("APPLIED");
        clearOutput();

        act(action(id, ActionType.DISPATCH, "张三", "辖区派出所"));
        assertThat(lastAlert().status()).isEqualTo(AlertStatus.DISPATCHED);
        assertThat(lastAlert().dispatchedTo()).isEqualTo("辖区派出所");
        assertThat(lastAlert().acknowledgedBy()).isEqualTo("张三");
        assertThat(audit()).extracting(AlertAction::status).containsExactly(AlertStatus.DISPATCHED);
        clearOutput();

        time(NOW + HOUR);
        act(action(id, ActionType.RESOLVE, "李四", null));
        a = lastAlert();
        assertThat(a.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(a.resolvedAt()).isEqualTo(Instant.ofEpochMilli(NOW + HOUR));
        assertThat(a.closedAt()).isEqualTo(Instant.ofEpochMilli(NOW + HOUR));
        assertThat(a.actionCount()).isEqualTo(4);
        assertThat(audit()).extracting(AlertAction::outcome).containsExactly("APPLIED");
        clearOutput();

        // another alert: dispatched straight from NEW, then dismissed
        String other = openAlert(ENT2, AlertLevel.YELLOW);
        clearOutput();
        act(action(other, ActionType.DISPATCH, "王五", "劳动监察大队"));
        assertThat(lastAlert().status()).isEqualTo(AlertStatus.DISPATCHED);
        assertThat(lastAlert().acknowledgedBy()).as("dispatching acknowledges").isEqualTo("王五");
        act(action(other, ActionType.DISMISS, "王五", null));
        assertThat(lastAlert().status()).isEqualTo(AlertStatus.DISMISSED);
        assertThat(lastAlert().closedAt()).isNotNull();
        assertThat(lastAlert().resolvedAt()).isNull();
        assertThat(audit()).extracting(AlertAction::outcome).containsExactly("APPLIED", "APPLIED");
    }

    @Test
    void invalidActionsAreRefusedWithAReasonAndChangeNothing() throws Exception {
        String id = openAlert(ENT, AlertLevel.RED);
        clearOutput();

        act(action(id, ActionType.ACKNOWLEDGE, null, null));
        act(action(id, ActionType.ACKNOWLEDGE, " ", null));
        act(action(AlertIds.alertId(RULE, ENT, Instant.ofEpochMilli(T0 - DAY)), ActionType.ACKNOWLEDGE, "张三", null));
        act(action("not-an-alert-id", ActionType.ACKNOWLEDGE, "张三", null));
        act(action(id, ActionType.DISPATCH, "张三", null));
        act(action(id, ActionType.ESCALATE, "张三", null));
        act(action(id, null, "张三", null));

        assertThat(alerts()).as("no alert changed").isEmpty();
        assertThat(notifications()).isEmpty();
        List<AlertAction> refused = audit();
        assertThat(refused).hasSize(7);
        assertThat(refused).allSatisfy(r -> assertThat(r.outcome()).startsWith("REFUSED"));
        assertThat(refused.get(0).outcome()).contains("actor is missing");
        assertThat(refused.get(1).outcome()).contains("actor is missing");
        assertThat(refused.get(2).outcome()).contains("unknown alert");
        assertThat(refused.get(3).outcome()).contains("not-an-alert-id").contains("is not of the form");
        assertThat(refused.get(4).outcome()).contains("DISPATCH needs a unit");
        assertThat(refused.get(5).outcome()).contains("ESCALATE");
        assertThat(refused.get(6).outcome()).contains("action is missing");
        assertThat(refused.get(2).ruleId()).isEqualTo(RULE);
        assertThat(refused.get(3).ruleId()).isNull();
        clearOutput();

        // still NEW: the escalation runs as if nothing had been sent
        time(NOW + 15 * MINUTE);
        assertThat(lastAlert().escalations()).hasSize(1);
        assertThat(lastAlert().status()).isEqualTo(AlertStatus.NEW);
        clearOutput();

        act(action(id, ActionType.RESOLVE, "张三", null));
        assertThat(lastAlert().status()).isEqualTo(AlertStatus.RESOLVED);
        clearOutput();
        act(action(id, ActionType.RESOLVE, "李四", null));
        act(action(id, ActionType.ACKNOWLEDGE, "李四", null));
        act(action(id, ActionType.DISPATCH, "李四", "辖区派出所"));
        assertThat(alerts()).isEmpty();
        assertThat(audit()).extracting(AlertAction::outcome).containsExactly("REFUSED: alert is already RESOLVED",
                "REFUSED: alert is RESOLVED; it cannot be acknowledged", "REFUSED: alert is RESOLVED; it cannot be dispatched");
        assertThat(audit()).extracting(AlertAction::status).containsOnly(AlertStatus.RESOLVED);
    }

    @Test
    void aRedeliveredActionIsAppliedOnce() throws Exception {
        String id = openAlert(ENT, AlertLevel.ORANGE);
        clearOutput();
        AlertAction comment = action("comment-1", id, ActionType.COMMENT, "张三", null);
        act(comment);
        act(comment);
        AlertAction ack = action("ack-1", id, ActionType.ACKNOWLEDGE, "张三", null);
        act(ack);
        act(ack);
        act(comment);
        assertThat(alerts()).hasSize(2);
        assertThat(lastAlert().actionCount()).isEqualTo(2);
        assertThat(audit()).extracting(AlertAction::actionId).containsExactly("comment-1", "ack-1");
    }

    // ---- escalation -------------------------------------------------------------------------------------------

    @Test
    void anUnacknowledgedRedAlertIsEscalatedLevelByLevelEveryFifteenMinutes() throws Exception {
        String id = openAlert(ENT, AlertLevel.RED);
        assertThat(lastAlert().escalationDueAt()).isEqualTo(Instant.ofEpochMilli(NOW + 15 * MINUTE));
        clearOutput();

        time(NOW + 15 * MINUTE - 1);
        assertNothingEmitted();

        time(NOW + 15 * MINUTE);
        Alert a = lastAlert();
        assertThat(alerts()).hasSize(1);
        assertThat(a.alertId()).isEqualTo(id);
        assertThat(a.status()).isEqualTo(AlertStatus.NEW);
        assertThat(a.responsibleLevel()).isEqualTo("COMMUNITY");
        assertThat(a.responsibleRegion()).isEqualTo(COMMUNITY);
        assertThat(a.escalatedTo()).isEqualTo("COMMUNITY");
        assertThat(a.escalations()).hasSize(1);
        Escalation e = a.escalations().get(0);
        assertThat(e.at()).isEqualTo(Instant.ofEpochMilli(NOW + 15 * MINUTE));
        assertThat(e.from()).isEqualTo("GRID");
        assertThat(e.to()).isEqualTo("COMMUNITY");
        assertThat(e.regionCode()).isEqualTo(COMMUNITY);
        assertThat(e.reason()).contains("15分钟");
        assertThat(a.escalationDueAt()).isEqualTo(Instant.ofEpochMilli(NOW + 30 * MINUTE));
        assertThat(audit()).hasSize(1);
        assertThat(audit().get(0).action()).isEqualTo(ActionType.ESCALATE);
        assertThat(audit().get(0).actionId()).isEqualTo(id + "/escalate/1");
        assertThat(audit().get(0).outcome()).isEqualTo("APPLIED");
        assertThat(notifications()).hasSize(1);
        assertThat(notifications().get(0).reason()).isEqualTo(AlertNotification.Reason.ESCALATED);
        assertThat(notifications().get(0).notificationId()).isEqualTo(id + "/ESCALATED/1");
        assertThat(notifications().get(0).summary()).contains("社区");
        clearOutput();

        time(NOW + 30 * MINUTE);
        a = lastAlert();
        assertThat(a.escalations()).extracting(Escalation::to).containsExactly("COMMUNITY", "STREET");
        assertThat(a.escalations().get(1).regionCode()).isEqualTo(STREET);
        assertThat(a.responsibleRegion()).isEqualTo(STREET);
        assertThat(notifications()).extracting(AlertNotification::notificationId).containsExactly(id + "/ESCALATED/2");

        time(NOW + 45 * MINUTE);
        time(NOW + 60 * MINUTE);
        a = lastAlert();
        assertThat(a.escalations()).extracting(Escalation::to).containsExactly("COMMUNITY", "STREET", "DISTRICT", "CITY");
        assertThat(a.escalations().get(2).regionCode()).isEqualTo(DISTRICT);
        assertThat(a.escalations().get(3).regionCode()).isNull();
        assertThat(a.responsibleLevel()).isEqualTo("CITY");
        assertThat(a.escalationDueAt()).as("nobody above the city").isNull();
        clearOutput();

        time(NOW + 10 * HOUR);
        assertNothingEmitted();
    }

    @Test
    void eachLevelHasItsOwnTimeLimitAndBlueNone() throws Exception {
        String orange = openAlert("ENT:ORANGE", AlertLevel.ORANGE);
        String yellow = openAlert("ENT:YELLOW", AlertLevel.YELLOW);
        String blue = openAlert("ENT:BLUE", AlertLevel.BLUE);
        assertThat(alerts()).filteredOn(a -> a.alertId().equals(blue)).extracting(Alert::escalationDueAt).containsOnlyNulls();
        clearOutput();

        time(NOW + 30 * MINUTE - 1);
        assertNothingEmitted();
        time(NOW + 30 * MINUTE);
        assertThat(alerts()).extracting(Alert::alertId).containsExactly(orange);
        clearOutput();
        time(NOW + 2 * HOUR - 1);
        assertThat(alerts()).extracting(Alert::alertId).containsOnly(orange); // ORANGE goes on every 30 min
        clearOutput();
        time(NOW + 2 * HOUR);
        assertThat(alerts()).extracting(Alert::alertId).contains(yellow);
        clearOutput();
        time(NOW + 3 * DAY);
        assertThat(alerts()).extracting(Alert::alertId).doesNotContain(blue);
    }

    @Test
    void acknowledgingOrDispatchingBeforeTheDeadlineStopsTheEscalation() throws Exception {
        String acked = openAlert(ENT, AlertLevel.ORANGE);
        String dispatched = openAlert(ENT2, AlertLevel.RED);
        time(NOW + 10 * MINUTE);
        act(action(acked, ActionType.ACKNOWLEDGE, "张三", null));
        act(action(dispatched, ActionType.DISPATCH, "张三", "辖区派出所"));
        clearOutput();
        time(NOW + 10 * HOUR);
        assertNothingEmitted();
        // a higher level on an acknowledged alert does not restart the clock
        detect(detection(AlertLevel.RED, T0 + HOUR, T0 + HOUR, "x1"));
        assertThat(lastAlert().level()).isEqualTo(AlertLevel.RED);
        assertThat(lastAlert().escalationDueAt()).isNull();
        clearOutput();
        time(NOW + 20 * HOUR);
        assertNothingEmitted();
    }

    @Test
    void aLevelRaiseBringsThePendingDeadlineForwardButNeverPutsItOff() throws Exception {
        String yellow = openAlert(ENT, AlertLevel.YELLOW);                  // due NOW + 2 h
        String orange = openAlert(ENT2, AlertLevel.ORANGE);                 // due NOW + 30 min
        time(NOW + 10 * MINUTE);
        detect(detection(ENT, AlertLevel.RED, T0 + 10 * MINUTE, T0 + 10 * MINUTE, REGION, "y2"));
        assertThat(lastAlert().escalationDueAt()).isEqualTo(Instant.ofEpochMilli(NOW + 25 * MINUTE));
        time(NOW + 20 * MINUTE);
        detect(detection(ENT2, AlertLevel.RED, T0 + 20 * MINUTE, T0 + 20 * MINUTE, REGION, "o2"));
        assertThat(lastAlert().escalationDueAt()).as("RED from now would be later").isEqualTo(Instant.ofEpochMilli(NOW + 30 * MINUTE));
        clearOutput();

        time(NOW + 25 * MINUTE - 1);
        assertNothingEmitted();
        time(NOW + 25 * MINUTE);
        assertThat(alerts()).extracting(Alert::alertId).containsExactly(yellow);
        assertThat(lastAlert().escalationDueAt()).isEqualTo(Instant.ofEpochMilli(NOW + 40 * MINUTE)); // RED's 15 min
        clearOutput();
        time(NOW + 30 * MINUTE);
        assertThat(alerts()).extracting(Alert::alertId).containsExactly(orange);
    }

    @Test
    void aHistoricalSituationIsNeitherNotifiedNorEscalated() throws Exception {
        long old = NOW - 25 * HOUR;                    // a replay: more than a day behind the wall-clock
        detect(detection(ENT, AlertLevel.YELLOW, old, old, REGION, "h1"));
        assertThat(lastAlert().escalationDueAt()).isNull();
        assertThat(notifications()).as("nobody is called at night for last month's replay").isEmpty();
        long recent = NOW - 23 * HOUR;                 // within a day: still someone to call
        detect(detection(ENT2, AlertLevel.RED, recent, recent, REGION, "h2"));
        assertThat(lastAlert().escalationDueAt()).isEqualTo(Instant.ofEpochMilli(NOW + 15 * MINUTE));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(notifications()).extracting(n -> n.alert().subject().key()).containsExactly(ENT2);
        // a raise on the historical one does not start a clock, nor call anyone
        detect(detection(ENT, AlertLevel.RED, old + HOUR, old + HOUR, REGION, "h3"));
        assertThat(lastAlert().level()).isEqualTo(AlertLevel.RED);
        assertThat(notifications()).extracting(n -> n.alert().subject().key()).containsExactly(ENT2);
        clearOutput();
        time(NOW + 10 * HOUR);
        assertThat(alerts()).isNotEmpty().extracting(a -> a.subject().key()).containsOnly(ENT2);
    }

    @Test
    void anAlertWithoutARegionIsHeldByTheCityAndHasNoDeadline() throws Exception {
        detect(detection(ENT, AlertLevel.RED, T0, T0, EventRegion.UNKNOWN, "u1"));
        Alert a = lastAlert();
        assertThat(a.responsibleLevel()).isEqualTo("CITY");
        assertThat(a.escalationDueAt()).isNull();
        clearOutput();
        time(NOW + 10 * HOUR);
        assertNothingEmitted();
        // and its state is released after the retention like any other
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> watermark(T0 + 2 * DAY + RETENTION.toMillis() + HOUR));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    // ---- closing, cooldown and state ----------------------------------------------------------------------------

    @Test
    void afterResolvingEvidenceWithinTheCooldownIsRecordedWithoutReopeningAndLaterEvidenceOpensANewEpisode() throws Exception {
        String id = openAlert(ENT, AlertLevel.YELLOW);
        watermark(T0 + HOUR);
        act(action(id, ActionType.RESOLVE, "张三", null));
        clearOutput();

        // closed at event time T0 + 1 h (the watermark); cooldown 1 day
        detect(detection(AlertLevel.RED, T0 + 20 * HOUR, T0 + 20 * HOUR, "late-1"));
        Alert a = lastAlert();
        assertThat(a.alertId()).isEqualTo(id);
        assertThat(a.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(a.level()).as("not reopened, not raised").isEqualTo(AlertLevel.YELLOW);
        assertThat(a.evidence()).extracting(Evidence::recordId).containsExactly(ENT + "-r1", "late-1");
        assertThat(a.evidenceCount()).isEqualTo(2);
        assertThat(notifications()).isEmpty();
        assertThat(audit()).isEmpty();
        clearOutput();

        long after = T0 + HOUR + COOLDOWN;
        detect(detection(AlertLevel.YELLOW, after, after, "new-1"));
        a = lastAlert();
        assertThat(a.alertId()).isEqualTo(AlertIds.alertId(RULE, ENT, Instant.ofEpochMilli(after)));
        assertThat(a.episode()).isEqualTo(2);
        assertThat(a.status()).isEqualTo(AlertStatus.NEW);
        assertThat(a.evidence()).extracting(Evidence::recordId).containsExactly("new-1");
        assertThat(notifications()).extracting(AlertNotification::reason).containsExactly(AlertNotification.Reason.NEW);
    }

    @Test
    void stateIsReleasedAfterTheRetentionInEventTime() throws Exception {
        String id = openAlert(ENT, AlertLevel.ORANGE);          // holds until T0 + 1 d, cooldown 1 d
        act(action(id, ActionType.ACKNOWLEDGE, "张三", null));
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
        long release = T0 + DAY + COOLDOWN + RETENTION.toMillis();
        watermark(release - HOUR);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
        watermark(release);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        clearOutput();
        act(action(id, ActionType.RESOLVE, "张三", null));
        assertThat(audit()).extracting(AlertAction::outcome).allSatisfy(o -> assertThat(o).contains("unknown alert"));
    }

    @Test
    void anEarlierEpisodeIsReleasedARetentionAfterTheNextOneBeganWhileTheNewerOneLivesOn() throws Exception {
        detect(detection(AlertLevel.YELLOW, T0, T0, "r1"));                 // holds until T0 + 1 d, cooldown 1 d
        String first = lastAlert().alertId();
        long second = T0 + 20 * DAY;
        detect(detection(AlertLevel.YELLOW, second, second, "s1"));
        assertThat(lastAlert().episode()).isEqualTo(2);
        // the second episode keeps getting evidence, so its own state stays; the first can still be acted on
        detect(detection(AlertLevel.YELLOW, second + 10 * DAY, second + 10 * DAY, "s2"));
        detect(detection(AlertLevel.YELLOW, second + 20 * DAY, second + 20 * DAY, "s3"));
        clearOutput();
        act(action(first, ActionType.COMMENT, "张三", null));
        assertThat(audit()).extracting(AlertAction::outcome).containsExactly("APPLIED");

        long after = second + RETENTION.toMillis() + HOUR;
        detect(detection(AlertLevel.YELLOW, after, after, "s4"));
        clearOutput();
        act(action(first, ActionType.COMMENT, "张三", null));
        assertThat(audit()).extracting(AlertAction::outcome).allSatisfy(o -> assertThat(o).contains("unknown alert"));
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isPositive();
    }

    @Test
    void anAlertStillWaitingForItsEscalationDoesNotStallEventTimeWhenTheRetentionPasses() throws Exception {
        openAlert(ENT, AlertLevel.RED);
        long release = T0 + DAY + COOLDOWN + RETENTION.toMillis();
        // event time races ahead of the wall-clock (the end of a bounded replay of recent data)
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> watermark(release + DAY));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> watermark(Long.MAX_VALUE));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        clearOutput();
        // the escalation timer finds nothing left to escalate
        time(NOW + HOUR);
        assertNothingEmitted();
    }

    @Test
    void alertsAndTheirDeadlinesSurviveACheckpointAndRestore() throws Exception {
        String id = openAlert(ENT, AlertLevel.RED);
        act(action("comment-1", id, ActionType.COMMENT, "张三", null));
        OperatorSubtaskState snapshot = harness.snapshot(1, NOW);
        harness.close();

        harness = newHarness(snapshot);
        act(action("comment-1", id, ActionType.COMMENT, "张三", null)); // redelivered after the restore
        assertNothingEmitted();
        time(NOW + 15 * MINUTE);
        Alert a = lastAlert();
        assertThat(a.alertId()).isEqualTo(id);
        assertThat(a.actionCount()).isEqualTo(1);
        assertThat(a.escalations()).extracting(Escalation::to).containsExactly("COMMUNITY");
        detect(detection(AlertLevel.RED, T0 + HOUR, T0 + HOUR, "r9"));
        assertThat(lastAlert().alertId()).isEqualTo(id);
        assertThat(lastAlert().evidenceCount()).isEqualTo(2);
    }
}

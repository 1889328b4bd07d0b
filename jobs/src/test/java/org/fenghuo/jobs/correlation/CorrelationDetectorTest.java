package org.fenghuo.jobs.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.DAY;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.GRID;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.GRID_2;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.HOUR;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.MINUTE;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.OTHER_GRID;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.SITE;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.T0;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.enterpriseKey;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.evidenceIds;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.gridReport;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.keyedStateEntries;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.laborInspection;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.linkageCall;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.offset;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.petition;

import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.jobs.correlation.CorrelationFixtures.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Router → {@link NearbySubjectMatcher} → {@link CorrelationDetector} with {@code labor.wage-arrears-escalation}:
 * wage-arrears labour record + petition naming the enterprise within 72 h → YELLOW; + a gathering within 1 km of the
 * enterprise or in its grid → RED; ≥ 30 workers or ≥ 500,000 CNY raises one level.
 */
class CorrelationDetectorTest {
    static final String RULE = "labor.wage-arrears-escalation";
    static final String ENTERPRISE = "东方建筑工程有限公司";

    private Flow flow;

    @BeforeEach
    void setUp() throws Exception {
        flow = new Flow();
    }

    @AfterEach
    void tearDown() throws Exception {
        flow.close();
    }

    /** The labour record: wage arrears at enterprise 1, in GRID at SITE, 12 workers. */
    static NormalizedEvent labour(long at) {
        return laborInspection("L1").at(at).build();
    }

    /** A petition naming enterprise 1 (received in the community, located at its centre, ~2 km from the site). */
    static NormalizedEvent petitionNaming(String id, long at) {
        return petition(id).enterprise(1, ENTERPRISE).at(at).build();
    }

    /** A 110 gathering call naming no enterprise, {@code north} metres from the site, in another grid. */
    static NormalizedEvent gathering(String id, long at, double north) {
        return linkageCall(id).region(north > 1000 ? OTHER_GRID : GRID_2).location(offset(SITE, north, 0)).at(at).build();
    }

    @Test
    void labourRecordAndPetitionNamingTheEnterpriseWithin72HoursAreYellow() throws Exception {
        flow.send(labour(T0));
        assertThat(flow.detections(RULE)).isEmpty();
        flow.send(petitionNaming("P1", T0 + 10 * HOUR));

        List<Detection> ds = flow.detections(RULE);
        assertThat(ds).hasSize(1);
        Detection d = ds.get(0);
        assertThat(d.level()).isEqualTo(AlertLevel.YELLOW);
        assertThat(d.kind()).isEqualTo(SignalKind.CORRELATION);
        assertThat(d.subject().type()).isEqualTo(SubjectType.ENTERPRISE);
        assertThat(d.subject().key()).isEqualTo(enterpriseKey(1));
        assertThat(d.subject().display()).isEqualTo(ENTERPRISE);
        assertThat(evidenceIds(d)).containsExactly("labor-inspection:L1", "petition:P1");
        assertThat(d.evidence()).extracting(e -> e.step()).containsExactly("labour", "petition");
        assertThat(d.sources()).containsExactly("labor-inspection", "petition");
        assertThat(d.since()).isEqualTo(T0 + 10 * HOUR);
        assertThat(d.holdsUntil()).isEqualTo(T0 + 10 * HOUR + 72 * HOUR);
        // the enterprise is where the labour record puts it, not where the petition was received
        assertThat(d.location()).isEqualTo(SITE);
        assertThat(d.region().grid()).isEqualTo(GRID);
        assertThat(d.explanation()).contains("【欠薪事件升级】" + ENTERPRISE, "3天内先后出现:劳动监察欠薪记录(3月5日09:00);信访(3月5日19:00)",
                "达到黄色预警标准(劳动监察欠薪记录+信访)");
    }

    @Test
    void aGatheringCall300MetresFromTheEnterpriseMakesItRed() throws Exception {
        flow.send(labour(T0), petitionNaming("P1", T0 + 10 * HOUR), gathering("C1", T0 + 20 * HOUR, 300));

        List<Detection> ds = flow.detections(RULE);
        assertThat(ds).extracting(Detection::level).containsExactly(AlertLevel.YELLOW, AlertLevel.RED);
        Detection red = ds.get(1);
        assertThat(red.subject().key()).isEqualTo(enterpriseKey(1));
        assertThat(red.subject().display()).isEqualTo(ENTERPRISE);
        assertThat(evidenceIds(red)).containsExactly("labor-inspection:L1", "petition:P1", "linkage-call:C1");
        assertThat(red.evidence()).extracting(e -> e.step()).containsExactly("labour", "petition", "gathering");
        assertThat(red.sources()).containsExactly("labor-inspection", "linkage-call", "petition");
        assertThat(red.explanation())
                .contains("劳动监察欠薪记录(3月5日09:00)", "信访(3月5日19:00)", "聚集(3月6日05:00,距其约300米)",
                        "劳动监察欠薪记录+信访+聚集", "红色", "110警情");
        assertThat(red.levelReason()).isEqualTo("劳动监察欠薪记录+信访+聚集");
        assertThat(red.location()).isEqualTo(SITE);
    }

    @Test
    void aGatheringGridReportNearTheEnterpriseAlsoCounts() throws Exception {
        flow.send(labour(T0), petitionNaming("P1", T0 + 10 * HOUR),
                gridReport("G1").category("GATHERING").region(GRID_2).location(offset(SITE, 0, 600)).at(T0 + 30 * HOUR).build());

        assertThat(flow.last(RULE).level()).isEqualTo(AlertLevel.RED);
        assertThat(evidenceIds(flow.last(RULE))).contains("grid-report:G1");
    }

    @Test
    void aGatheringCall1point5KmAwayInAnotherGridStaysYellow() throws Exception {
        flow.send(labour(T0), petitionNaming("P1", T0 + 10 * HOUR), gathering("C1", T0 + 20 * HOUR, 1500));

        assertThat(flow.detections(RULE)).extracting(Detection::level).containsOnly(AlertLevel.YELLOW);
        assertThat(flow.matched).isEmpty();
    }

    @Test
    void aGatheringCallInTheEnterprisesGridCountsWhateverTheDistance() throws Exception {
        NormalizedEvent inGrid = linkageCall("C1").region(GRID).location(offset(SITE, 1500, 0)).at(T0 + 20 * HOUR).build();
        flow.send(labour(T0), petitionNaming("P1", T0 + 10 * HOUR), inGrid);

        Detection d = flow.last(RULE);
        assertThat(d.level()).isEqualTo(AlertLevel.RED);
        assertThat(d.explanation()).contains("聚集(3月6日05:00,同一网格)");
    }

    @Test
    void aPetition73HoursAfterTheLabourRecordIsTooLate() throws Exception {
        flow.send(labour(T0), petitionNaming("P1", T0 + 73 * HOUR));
        assertThat(flow.detections(RULE)).isEmpty();

        // just under 72 h is inside (the window is (t - 72 h, t])
        try (Flow other = new Flow()) {
            other.send(labour(T0), petitionNaming("P1", T0 + 72 * HOUR - MINUTE));
            assertThat(other.detections(RULE)).hasSize(1);
        }
    }

    @Test
    void aPetitionNamingAnotherEnterpriseDoesNotCount() throws Exception {
        flow.send(labour(T0), petition("P1").enterprise(2, "西方纺织厂").at(T0 + HOUR).build(),
                petition("P2").at(T0 + 2 * HOUR).build());

        assertThat(flow.detections(RULE)).isEmpty();
    }

    @Test
    void aLabourRecordThatIsNotWageArrearsDoesNotCount() throws Exception {
        flow.send(laborInspection("L1").category("SOCIAL_INSURANCE").at(T0).build(), petitionNaming("P1", T0 + HOUR));

        assertThat(flow.detections(RULE)).isEmpty();
    }

    @Test
    void thirtyWorkersRaiseYellowToOrange() throws Exception {
        flow.send(laborInspection("L1").workers(30).at(T0).build(), petitionNaming("P1", T0 + 10 * HOUR));

        Detection d = flow.last(RULE);
        assertThat(d.level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(d.levelReason()).isEqualTo("劳动监察欠薪记录+信访"); // the base level's condition
        assertThat(d.explanation()).contains("黄色预警标准", "重特大劳资纠纷", "升一级", "当前预警级别:橙色");
    }

    @Test
    void twentyNineWorkersAndLessThan500000CnyDoNotRaise() throws Exception {
        flow.send(laborInspection("L1").workers(29).owed(499_999.0).at(T0).build(), petitionNaming("P1", T0 + 10 * HOUR));

        assertThat(flow.last(RULE).level()).isEqualTo(AlertLevel.YELLOW);
    }

    @Test
    void halfAMillionOwedRaisesAndRedStaysRed() throws Exception {
        flow.send(laborInspection("L1").owed(500_000.0).at(T0).build(), petitionNaming("P1", T0 + 10 * HOUR));
        assertThat(flow.last(RULE).level()).isEqualTo(AlertLevel.ORANGE);

        flow.send(gathering("C1", T0 + 11 * HOUR, 300));
        assertThat(flow.last(RULE).level()).isEqualTo(AlertLevel.RED);
    }

    @Test
    void aGatheringCallArrivingBeforeTheLabourRecordStillMatches() throws Exception {
        // the call comes first: nobody knows yet where the enterprise is
        flow.send(gathering("C1", T0 + 20 * HOUR, 300));
        assertThat(flow.matched).isEmpty();
        flow.send(labour(T0));
        assertThat(flow.matched).extracting(RuleInput::eventId, RuleInput::subjectKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("linkage-call:C1", enterpriseKey(1)));
        flow.send(petitionNaming("P1", T0 + 10 * HOUR));

        Detection d = flow.last(RULE);
        assertThat(d.level()).isEqualTo(AlertLevel.RED);
        assertThat(evidenceIds(d)).containsExactly("labor-inspection:L1", "petition:P1", "linkage-call:C1");
        assertThat(d.explanation()).contains("距其约300米");
    }

    @Test
    void aGatheringFarAwayThatArrivedBeforeTheLabourRecordDoesNotMatch() throws Exception {
        flow.send(gathering("C1", T0 + 20 * HOUR, 3000));
        flow.send(labour(T0), petitionNaming("P1", T0 + 10 * HOUR));

        assertThat(flow.matched).isEmpty();
        assertThat(flow.detections(RULE)).extracting(Detection::level).containsOnly(AlertLevel.YELLOW);
    }

    @Test
    void aGatheringBeforeTheLabourRecordInEventTimeCountsToo() throws Exception {
        flow.send(gathering("C1", T0 - 5 * HOUR, 300), petitionNaming("P1", T0 + 10 * HOUR), labour(T0));

        Detection d = flow.last(RULE);
        assertThat(d.level()).isEqualTo(AlertLevel.RED);
        assertThat(evidenceIds(d)).containsExactly("linkage-call:C1", "labor-inspection:L1", "petition:P1");
    }

    @Test
    void aGatheringMoreThan72HoursFromTheOthersDoesNotCount() throws Exception {
        flow.send(labour(T0), petitionNaming("P1", T0 + 10 * HOUR), gathering("C1", T0 + 80 * HOUR, 300));

        assertThat(flow.detections(RULE)).extracting(Detection::level).containsOnly(AlertLevel.YELLOW);
    }

    @Test
    void aGatheringThatHasLeftTheWindowIsNotSentOnWhenTheEnterprisesPlaceIsLearntLater() throws Exception {
        // kept until its rounded-up timer (the next minute); by then it could only be too late for the detector
        flow.send(gathering("C1", T0 + 30_000, 300));
        flow.watermark(T0 + 30_000 + 72 * HOUR + CorrelationFixtures.LATENESS.toMillis() + 10_000);
        assertThat(flow.nearby.numEventTimeTimers()).isPositive();
        flow.send(labour(T0 + 74 * HOUR));

        assertThat(flow.matched).isEmpty();
        assertThat(flow.correlationDetector.tooLate.getCount()).isZero();
    }

    @Test
    void aGatheringNearOneEnterpriseGoesToThatEnterpriseOnly() throws Exception {
        NormalizedEvent other = laborInspection("L2").enterprise(2, "西方纺织厂").region(OTHER_GRID)
                .location(offset(SITE, 5000, 0)).at(T0).build();
        flow.send(labour(T0), other, petitionNaming("P1", T0 + HOUR),
                petition("P2").enterprise(2, "西方纺织厂").at(T0 + HOUR).build(),
                gathering("C1", T0 + 2 * HOUR, 300));

        assertThat(flow.matched).extracting(RuleInput::subjectKey).containsExactly(enterpriseKey(1));
        assertThat(flow.detections(RULE)).filteredOn(d -> d.subject().key().equals(enterpriseKey(2)))
                .extracting(Detection::level).containsOnly(AlertLevel.YELLOW);
        assertThat(flow.detections(RULE)).filteredOn(d -> d.subject().key().equals(enterpriseKey(1)))
                .extracting(Detection::level).containsExactly(AlertLevel.YELLOW, AlertLevel.RED);
    }

    @Test
    void theDetectorsStateIsReleasedAfterWindowPlusLateness() throws Exception {
        flow.send(labour(T0), petitionNaming("P1", T0 + 10 * HOUR), gathering("C1", T0 + 20 * HOUR, 300));
        assertThat(keyedStateEntries(flow.correlation)).isEqualTo(1);

        flow.watermark(T0 + 20 * HOUR + 73 * HOUR);
        assertThat(keyedStateEntries(flow.correlation)).isZero();
        assertThat(flow.correlation.numEventTimeTimers()).isZero();
        // the matcher forgets the gathering after the window, but remembers where the enterprise is for 90 days
        // (locations are swept at day boundaries)
        assertThat(keyedStateEntries(flow.nearby)).isEqualTo(1);
        flow.watermark(T0 + 89 * DAY);
        assertThat(keyedStateEntries(flow.nearby)).isEqualTo(1);
        flow.watermark(T0 + 91 * DAY);
        assertThat(keyedStateEntries(flow.nearby)).isZero();
        assertThat(flow.nearby.numEventTimeTimers()).isZero();
    }
}

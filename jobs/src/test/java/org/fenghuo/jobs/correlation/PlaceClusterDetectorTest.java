package org.fenghuo.jobs.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.COMMUNITY;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.DISTRICT;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.HOUR;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.MINUTE;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.OTHER_COMMUNITY;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.OTHER_GRID;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.SITE;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.STREET;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.T0;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.evidenceIds;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.gridReport;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.keyedStateEntries;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.linkageCall;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.offset;

import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.jobs.correlation.CorrelationFixtures.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * {@link PlaceClusterDetector} behind the router with {@code linkage.gathering-cluster} (≥ 3 calls, 1 km, 2 h → ORANGE).
 * Event time follows the calls ({@link Flow#sendAndAdvance}): the detector may hold calls until event time has passed
 * them.
 */
class PlaceClusterDetectorTest {
    static final String CLUSTER = "linkage.gathering-cluster";

    private Flow flow;

    @BeforeEach
    void setUp() throws Exception {
        flow = new Flow();
    }

    @AfterEach
    void tearDown() throws Exception {
        flow.close();
    }

    @Test
    void threeGatheringCallsWithin1KmAnd2HoursAreOrangeAtThePlaceOfTheFirst() throws Exception {
        GeoPoint east400 = offset(SITE, 0, 400);
        GeoPoint north300 = offset(SITE, 300, 0);
        flow.sendAndAdvance(linkageCall("c1").at(T0).location(SITE).build(),
                linkageCall("c2").at(T0 + 30 * MINUTE).region(OTHER_GRID).location(east400).build());
        assertThat(flow.detections(CLUSTER)).isEmpty();
        flow.sendAndAdvance(linkageCall("c3").at(T0 + 60 * MINUTE).location(north300).build());

        List<Detection> ds = flow.detections(CLUSTER);
        assertThat(ds).hasSize(1);
        Detection d = ds.get(0);
        assertThat(d.level()).isEqualTo(AlertLevel.ORANGE);
        assertThat(d.subject().type()).isEqualTo(SubjectType.PLACE);
        assertThat(d.subject().key()).isEqualTo("REG:" + COMMUNITY); // c1's community, though c2 is in another
        assertThat(d.subject().display()).isEqualTo(COMMUNITY + "附近");
        assertThat(evidenceIds(d)).containsExactly("linkage-call:c1", "linkage-call:c2", "linkage-call:c3");
        assertThat(d.observed()).isEqualTo(3.0);
        assertThat(d.region()).isEqualTo(new EventRegion(DISTRICT, STREET, COMMUNITY, null));
        // the alert's location is the middle of the calls
        assertThat(d.location().lat()).isCloseTo((SITE.lat() + east400.lat() + north300.lat()) / 3, within(1e-9));
        assertThat(d.location().lon()).isCloseTo((SITE.lon() + east400.lon() + north300.lon()) / 3, within(1e-9));
        assertThat(d.explanation()).contains("聚集警情集中", "2小时", "110警情", "共3条", "橙色");
    }

    @Test
    void aCall1point2KmAwayDoesNotJoin() throws Exception {
        flow.sendAndAdvance(linkageCall("c1").at(T0).location(SITE).build(),
                linkageCall("c2").at(T0 + 30 * MINUTE).location(offset(SITE, -200, 0)).build(),
                linkageCall("c3").at(T0 + 60 * MINUTE).location(offset(SITE, 1200, 0)).build());

        assertThat(flow.routedFor(CLUSTER)).hasSize(3);
        assertThat(flow.detections(CLUSTER)).isEmpty();
    }

    @Test
    void threeCallsOver2point5HoursAreOutsideTheWindow() throws Exception {
        flow.sendAndAdvance(linkageCall("c1").at(T0).build(),
                linkageCall("c2").at(T0 + 75 * MINUTE).build(),
                linkageCall("c3").at(T0 + 150 * MINUTE).build());

        assertThat(flow.detections(CLUSTER)).isEmpty();
    }

    @Test
    void otherCallTypesAndGridReportsDoNotCount() throws Exception {
        flow.sendAndAdvance(linkageCall("c1").at(T0).build(),
                linkageCall("c2").at(T0 + 10 * MINUTE).category("DISPUTE").build(),
                gridReport("g1").at(T0 + 20 * MINUTE).category("GATHERING").build(),
                linkageCall("c3").at(T0 + 30 * MINUTE).build());

        assertThat(flow.detections(CLUSTER)).isEmpty();
    }

    @Test
    void aCallWithoutGridCodeIsPlacedByItsLocation() throws Exception {
        flow.sendAndAdvance(linkageCall("c1").at(T0).location(SITE).build(),
                linkageCall("c2").at(T0 + 20 * MINUTE).location(offset(SITE, 0, -500)).build(),
                linkageCall("c3").at(T0 + 40 * MINUTE).districtOnly(offset(SITE, 500, 0)).build());

        Detection d = flow.last(CLUSTER);
        assertThat(d).isNotNull();
        assertThat(evidenceIds(d)).containsExactly("linkage-call:c1", "linkage-call:c2", "linkage-call:c3");
        assertThat(d.subject().key()).isEqualTo("REG:" + COMMUNITY);
    }

    @Test
    void aCallWithoutLocationCannotBePlaced() throws Exception {
        flow.sendAndAdvance(linkageCall("c1").at(T0).build(),
                linkageCall("c2").at(T0 + 20 * MINUTE).build(),
                linkageCall("c3").at(T0 + 40 * MINUTE).noLocation().build());

        assertThat(flow.routedFor(CLUSTER)).extracting(RuleInput::eventId).containsExactly("linkage-call:c1", "linkage-call:c2");
        assertThat(flow.detections(CLUSTER)).isEmpty();
    }

    @Test
    void aFourthCallJoinsTheSameSubject() throws Exception {
        flow.sendAndAdvance(linkageCall("c1").at(T0).location(SITE).build(),
                linkageCall("c2").at(T0 + 30 * MINUTE).location(offset(SITE, 0, 400)).build(),
                linkageCall("c3").at(T0 + 60 * MINUTE).location(offset(SITE, 300, 0)).build());
        // in the neighbouring community, and the earliest of all: it arrives late but still belongs to this gathering
        flow.sendAndAdvance(linkageCall("c0").at(T0 - 10 * MINUTE).region(OTHER_GRID).location(offset(SITE, -300, -300)).build());
        flow.sendAndAdvance(linkageCall("c4").at(T0 + 90 * MINUTE).region(OTHER_GRID).location(offset(SITE, -200, 200)).build());

        List<Detection> ds = flow.detections(CLUSTER);
        assertThat(ds).hasSize(3);
        assertThat(ds).extracting(d -> d.subject().key()).containsOnly("REG:" + COMMUNITY);
        assertThat(ds).extracting(Detection::evidenceCount).containsExactly(3, 4, 5);
        assertThat(evidenceIds(ds.get(2))).containsExactly("linkage-call:c0", "linkage-call:c1", "linkage-call:c2",
                "linkage-call:c3", "linkage-call:c4");
        // the alert's region stays that of its subject
        assertThat(ds).extracting(d -> d.region().community()).containsOnly(COMMUNITY);
    }

    @Test
    void aSeparateGatheringElsewhereIsAnotherSubject() throws Exception {
        GeoPoint far = offset(SITE, 5000, 5000);
        flow.sendAndAdvance(linkageCall("c1").at(T0).build(), linkageCall("c2").at(T0 + MINUTE).build(),
                linkageCall("c3").at(T0 + 2 * MINUTE).build());
        flow.sendAndAdvance(linkageCall("f1").at(T0 + 3 * MINUTE).region(OTHER_GRID).location(far).build(),
                linkageCall("f2").at(T0 + 4 * MINUTE).region(OTHER_GRID).location(offset(far, 100, 0)).build(),
                linkageCall("f3").at(T0 + 5 * MINUTE).region(OTHER_GRID).location(offset(far, 0, 100)).build());

        assertThat(flow.detections(CLUSTER)).extracting(d -> d.subject().key() + " " + evidenceIds(d))
                .containsExactly(
                        "REG:" + COMMUNITY + " [linkage-call:c1, linkage-call:c2, linkage-call:c3]",
                        "REG:" + OTHER_COMMUNITY + " [linkage-call:f1, linkage-call:f2, linkage-call:f3]");
    }

    @Test
    void aRedeliveredCallCountsOnce() throws Exception {
        flow.sendAndAdvance(linkageCall("c1").at(T0).build(), linkageCall("c2").at(T0 + MINUTE).build(),
                linkageCall("c2").at(T0 + MINUTE).build(), linkageCall("c1").at(T0).build());

        assertThat(flow.detections(CLUSTER)).isEmpty();
    }

    @Test
    void callsAreNotLostWhenEventTimeJumpsFarAhead() throws Exception {
        // e.g. the end of a bounded input (the final watermark), or a source that was idle for hours
        flow.send(linkageCall("c1").at(T0).build(), linkageCall("c2").at(T0 + MINUTE).build(),
                linkageCall("c3").at(T0 + 2 * MINUTE).build());
        flow.watermark(Long.MAX_VALUE);

        assertThat(flow.detections(CLUSTER)).singleElement()
                .satisfies(d -> assertThat(evidenceIds(d)).containsExactly("linkage-call:c1", "linkage-call:c2", "linkage-call:c3"));
        assertThat(flow.placeDetector.tooLate.getCount()).isZero();
        assertThat(keyedStateEntries(flow.places)).isZero();
        assertThat(flow.places.numEventTimeTimers()).isZero();
    }

    @Test
    void stateAndTimersAreReleasedAfterTheWatermarkPasses() throws Exception {
        flow.sendAndAdvance(linkageCall("c1").at(T0).build(), linkageCall("c2").at(T0 + MINUTE).build(),
                linkageCall("c3").at(T0 + 2 * MINUTE).build());
        assertThat(flow.detections(CLUSTER)).hasSize(1);
        assertThat(keyedStateEntries(flow.places)).isEqualTo(2); // one key: the calls, and the cluster of each call
        assertThat(flow.places.numEventTimeTimers()).isEqualTo(3);

        flow.watermark(T0 + 2 * MINUTE + 3 * HOUR - 1); // window 2 h + lateness 1 h
        assertThat(keyedStateEntries(flow.places)).isEqualTo(2);
        flow.watermark(T0 + 2 * MINUTE + 3 * HOUR);
        assertThat(keyedStateEntries(flow.places)).isZero();
        assertThat(flow.places.numEventTimeTimers()).isZero();

        // a new gathering at the same place after the state was released is a new cluster with the same subject
        flow.sendAndAdvance(linkageCall("d1").at(T0 + 4 * HOUR).build(), linkageCall("d2").at(T0 + 4 * HOUR + MINUTE).build(),
                linkageCall("d3").at(T0 + 4 * HOUR + 2 * MINUTE).build());
        assertThat(evidenceIds(flow.last(CLUSTER))).containsExactly("linkage-call:d1", "linkage-call:d2", "linkage-call:d3");
        assertThat(flow.last(CLUSTER).subject().key()).isEqualTo("REG:" + COMMUNITY);
    }
}

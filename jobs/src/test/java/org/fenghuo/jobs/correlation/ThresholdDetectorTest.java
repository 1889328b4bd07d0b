package org.fenghuo.jobs.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.COMMUNITY;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.DAY;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.DISTRICT;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.GRID;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.GRID_2;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.HOUR;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.MINUTE;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.OTHER_GRID;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.STREET;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.T0;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.enterpriseKey;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.evidenceIds;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.gridReport;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.keyedStateEntries;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.linkageCall;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.personKey;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.petition;

import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.jobs.correlation.CorrelationFixtures.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * {@link ThresholdDetector} behind the router, with the default rules ({@code grid.dispute-hotspot},
 * {@code petition.collective}, {@code petition.repeat}) and an allowed lateness of 1 h.
 */
class ThresholdDetectorTest {
    static final String HOTSPOT = "grid.dispute-hotspot";
    static final String COLLECTIVE = "petition.collective";
    static final String REPEAT = "petition.repeat";

    private Flow flow;

    @BeforeEach
    void setUp() throws Exception {
        flow = new Flow();
    }

    @AfterEach
    void tearDown() throws Exception {
        flow.close();
    }

    /** {@code n} DISPUTE reports in {@link CorrelationFixtures#COMMUNITY}, the first at {@code start}, {@code step} apart, alternating two grids. */
    static List<NormalizedEvent> disputes(String prefix, int n, long start, long step) {
        List<NormalizedEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(gridReport(prefix + (i + 1)).region(i % 2 == 0 ? GRID : GRID_2).at(start + i * step).build());
        }
        return out;
    }

    @Nested
    class DisputeHotspot {
        @Test
        void fiveDisputesInOneCommunityWithin24HoursAreYellow() throws Exception {
            flow.send(disputes("g", 5, T0, 4 * HOUR));

            List<Detection> ds = flow.detections(HOTSPOT);
            assertThat(ds).hasSize(1);
            Detection d = ds.get(0);
            assertThat(d.level()).isEqualTo(AlertLevel.YELLOW);
            assertThat(d.kind()).isEqualTo(SignalKind.THRESHOLD);
            assertThat(d.subject().type()).isEqualTo(SubjectType.REGION);
            assertThat(d.subject().key()).isEqualTo("REG:" + COMMUNITY);
            assertThat(evidenceIds(d)).containsExactly("grid-report:g1", "grid-report:g2", "grid-report:g3",
                    "grid-report:g4", "grid-report:g5");
            assertThat(d.evidenceCount()).isEqualTo(5);
            assertThat(d.observed()).isEqualTo(5.0);
            assertThat(d.limit()).isEqualTo(5.0);
            assertThat(d.since()).isEqualTo(T0 + 16 * HOUR);
            assertThat(d.eventTime()).isEqualTo(T0 + 16 * HOUR);
            assertThat(d.holdsUntil()).isEqualTo(T0 + 16 * HOUR + DAY);
            assertThat(d.sources()).containsExactly("grid-report");
            // a community alert starts at the community: no grid in its region
            assertThat(d.region()).isEqualTo(new EventRegion(DISTRICT, STREET, COMMUNITY, null));
            assertThat(d.explanation()).contains("矛盾纠纷高发", "24小时", "共5条", "黄色", "≥5条");
        }

        @Test
        void fourDisputesAreJustBelowTheLimit() throws Exception {
            flow.send(disputes("g", 4, T0, 4 * HOUR));

            assertThat(flow.routedFor(HOTSPOT)).hasSize(4);
            assertThat(flow.detections(HOTSPOT)).isEmpty();
        }

        @Test
        void fiveDisputesSpreadOver25HoursAreOutsideTheWindow() throws Exception {
            flow.send(disputes("g", 5, T0, 6 * HOUR + 15 * MINUTE)); // last at T0 + 25 h

            assertThat(flow.detections(HOTSPOT)).isEmpty();
            // the same five with the last one 2 hours earlier are within 24 h
            // one more 2 hours before the last brings five within 24 h
            flow.send(gridReport("g6").at(T0 + 23 * HOUR).build());
            assertThat(flow.detections(HOTSPOT)).singleElement().extracting(Detection::level).isEqualTo(AlertLevel.YELLOW);
        }

        @Test
        void tenDisputesRaiseTheLevelToOrange() throws Exception {
            flow.send(disputes("g", 10, T0, HOUR));

            List<Detection> ds = flow.detections(HOTSPOT);
            assertThat(ds).extracting(Detection::level).containsExactly(AlertLevel.YELLOW, AlertLevel.YELLOW,
                    AlertLevel.YELLOW, AlertLevel.YELLOW, AlertLevel.YELLOW, AlertLevel.ORANGE);
            Detection last = ds.get(ds.size() - 1);
            assertThat(last.evidenceCount()).isEqualTo(10);
            assertThat(last.observed()).isEqualTo(10.0);
            assertThat(last.limit()).isEqualTo(10.0);
            assertThat(last.levelReason()).contains("共10条", "≥10条");
            assertThat(last.explanation()).contains("橙色");
        }

        @Test
        void otherCategoriesAndOtherFeedsDoNotCount() throws Exception {
            flow.send(disputes("g", 4, T0, HOUR));
            flow.send(gridReport("s1").category("SAFETY_HAZARD").at(T0 + 5 * HOUR).build(),
                    gridReport("s2").category("GATHERING").at(T0 + 6 * HOUR).build(),
                    linkageCall("c1").category("DISPUTE").at(T0 + 7 * HOUR).build());

            assertThat(flow.routedFor(HOTSPOT)).extracting(RuleInput::eventId)
                    .containsExactly("grid-report:g1", "grid-report:g2", "grid-report:g3", "grid-report:g4");
            assertThat(flow.detections(HOTSPOT)).isEmpty();
        }

        @Test
        void reportsInAnotherCommunityDoNotCount() throws Exception {
            flow.send(disputes("g", 4, T0, HOUR));
            flow.send(gridReport("x1").region(OTHER_GRID).at(T0 + 5 * HOUR).build());
            assertThat(flow.detections(HOTSPOT)).isEmpty();

            flow.send(gridReport("g5").at(T0 + 6 * HOUR).build());
            Detection d = flow.last(HOTSPOT);
            assertThat(d.subject().key()).isEqualTo("REG:" + COMMUNITY);
            assertThat(evidenceIds(d)).hasSize(5).doesNotContain("grid-report:x1");
        }

        @Test
        void aRedeliveredEventCountsOnce() throws Exception {
            List<NormalizedEvent> four = disputes("g", 4, T0, HOUR);
            flow.send(four);
            flow.send(four.get(3), four.get(0)); // at-least-once delivery
            assertThat(flow.detections(HOTSPOT)).isEmpty();

            flow.send(gridReport("g5").at(T0 + 5 * HOUR).build());
            Detection d = flow.last(HOTSPOT);
            assertThat(d.evidenceCount()).isEqualTo(5);
            assertThat(evidenceIds(d)).doesNotHaveDuplicates();
        }

        @Test
        void anEventThatJoinsNoWindowThatHoldsIsSilent() throws Exception {
            flow.send(disputes("g", 5, T0 + 2 * DAY, HOUR));
            assertThat(flow.detections(HOTSPOT)).hasSize(1);
            // two days older: its own windows hold one report; the finding about the later five is not repeated
            flow.send(gridReport("old").at(T0).build());
            assertThat(flow.detections(HOTSPOT)).hasSize(1);
        }

        @Test
        void aLateEventWithinTheAllowedLatenessStillCounts() throws Exception {
            flow.send(disputes("g", 4, T0 + HOUR, HOUR)); // T0+1h … T0+4h
            // event time has moved past the window of an event at T0, but not past window + lateness (25 h)
            flow.watermark(T0 + 24 * HOUR + 30 * MINUTE);
            flow.send(gridReport("late").at(T0).build());

            Detection d = flow.last(HOTSPOT);
            assertThat(d).isNotNull();
            assertThat(d.level()).isEqualTo(AlertLevel.YELLOW);
            assertThat(evidenceIds(d)).startsWith("grid-report:late").hasSize(5);
            assertThat(d.since()).isEqualTo(T0 + 4 * HOUR);
            assertThat(flow.thresholdDetector.tooLate.getCount()).isZero();
        }

        @Test
        void anEventOlderThanWatermarkMinusWindowMinusLatenessIsDroppedAndCounted() throws Exception {
            flow.send(disputes("g", 4, T0 + 2 * HOUR, HOUR)); // T0+2h … T0+5h
            flow.watermark(T0 + 25 * HOUR); // = T0 + window + lateness
            int stateBefore = keyedStateEntries(flow.threshold);
            flow.send(gridReport("too-late").at(T0).build());

            assertThat(flow.detections(HOTSPOT)).isEmpty();
            assertThat(flow.thresholdDetector.tooLate.getCount()).isEqualTo(1);
            assertThat(keyedStateEntries(flow.threshold)).isEqualTo(stateBefore);
            // one more in-time report completes the five without the dropped one
            flow.send(gridReport("g5").at(T0 + 25 * HOUR).build());
            assertThat(evidenceIds(flow.last(HOTSPOT))).hasSize(5).doesNotContain("grid-report:too-late");
        }

        @Test
        void outOfOrderArrivalGivesTheSameFinalDetection() throws Exception {
            List<NormalizedEvent> inOrder = disputes("g", 10, T0, 2 * HOUR); // T0 … T0+18h
            Detection expected = runAlone(inOrder);
            assertThat(expected.level()).isEqualTo(AlertLevel.ORANGE);

            for (long seed = 1; seed <= 5; seed++) {
                // the others in any order, the newest last: the final evaluation sees the same windows
                List<NormalizedEvent> shuffled = new ArrayList<>(inOrder.subList(0, 9));
                Collections.shuffle(shuffled, new Random(seed));
                shuffled.add(inOrder.get(9));
                Detection actual = runAlone(shuffled);
                assertThat(actual.level()).as("seed %d", seed).isEqualTo(expected.level());
                assertThat(actual.since()).as("seed %d", seed).isEqualTo(expected.since());
                assertThat(evidenceIds(actual)).as("seed %d", seed).isEqualTo(evidenceIds(expected));
                assertThat(actual.eventTime()).isEqualTo(expected.eventTime());
                assertThat(actual.holdsUntil()).isEqualTo(expected.holdsUntil());
                assertThat(actual.explanation()).isEqualTo(expected.explanation());
            }
        }

        @Test
        void anyArrivalOrderReachesTheSameMostSevereFinding() throws Exception {
            List<NormalizedEvent> inOrder = disputes("g", 10, T0, 2 * HOUR);
            Detection expected = mostSevere(inOrder);
            List<NormalizedEvent> reversed = new ArrayList<>(inOrder);
            Collections.reverse(reversed);
            for (List<NormalizedEvent> order : List.of(reversed, shuffled(inOrder, 7), shuffled(inOrder, 11))) {
                Detection actual = mostSevere(order);
                assertThat(actual.level()).isEqualTo(AlertLevel.ORANGE);
                assertThat(evidenceIds(actual)).isEqualTo(evidenceIds(expected));
                assertThat(actual.observed()).isEqualTo(10.0);
            }
        }

        private static List<NormalizedEvent> shuffled(List<NormalizedEvent> events, long seed) {
            List<NormalizedEvent> l = new ArrayList<>(events);
            Collections.shuffle(l, new Random(seed));
            return l;
        }

        private static Detection runAlone(List<NormalizedEvent> events) throws Exception {
            try (Flow f = new Flow()) {
                f.send(events);
                return f.last(HOTSPOT);
            }
        }

        private static Detection mostSevere(List<NormalizedEvent> events) throws Exception {
            try (Flow f = new Flow()) {
                f.send(events);
                return f.detections(HOTSPOT).stream()
                        .max(Comparator.comparing(Detection::level).thenComparing(Detection::evidenceCount)).orElseThrow();
            }
        }

        @Test
        void stateAndTimersAreReleasedOnceTheWatermarkPassesWindowPlusLateness() throws Exception {
            flow.send(disputes("g", 5, T0, HOUR)); // T0 … T0+4h
            assertThat(keyedStateEntries(flow.threshold)).isEqualTo(1); // one key (the community), its evidence list
            assertThat(flow.threshold.numEventTimeTimers()).isEqualTo(5);

            flow.watermark(T0 + 4 * HOUR + 25 * HOUR - 1);
            assertThat(keyedStateEntries(flow.threshold)).isEqualTo(1);
            assertThat(flow.threshold.numEventTimeTimers()).isEqualTo(1);

            flow.watermark(T0 + 4 * HOUR + 25 * HOUR);
            assertThat(keyedStateEntries(flow.threshold)).isZero();
            assertThat(flow.threshold.numEventTimeTimers()).isZero();
        }

        @Test
        void evictionDropsOnlyWhatIsOlderThanWatermarkMinusWindowMinusLateness() throws Exception {
            flow.send(disputes("g", 4, T0, HOUR)); // T0 … T0+3h
            flow.watermark(T0 + 26 * HOUR); // g1 (T0) and g2 (T0+1h) are now too old; g3, g4 are not
            flow.send(gridReport("l1").at(T0 + 3 * HOUR + 30 * MINUTE).build(),
                    gridReport("l2").at(T0 + 4 * HOUR).build(),
                    gridReport("l3").at(T0 + 5 * HOUR).build());

            Detection d = flow.last(HOTSPOT);
            assertThat(d).isNotNull();
            assertThat(evidenceIds(d)).containsExactly("grid-report:g3", "grid-report:g4", "grid-report:l1",
                    "grid-report:l2", "grid-report:l3");
        }
    }

    @Nested
    class CollectivePetition {
        @Test
        void fivePetitionersAreOrangeKeyedByTheEnterpriseNamed() throws Exception {
            flow.send(petition("p1").petitioners(5).enterprise(7, "南方服装有限公司").build());

            Detection d = flow.last(COLLECTIVE);
            assertThat(d.level()).isEqualTo(AlertLevel.ORANGE);
            assertThat(d.subject().type()).isEqualTo(SubjectType.ENTERPRISE);
            assertThat(d.subject().key()).isEqualTo(enterpriseKey(7));
            assertThat(d.subject().display()).isEqualTo("南方服装有限公司");
            assertThat(d.observed()).isEqualTo(5.0);
            assertThat(d.explanation()).contains("集体访", "信访人数最多5人", "≥5人", "橙色");
            assertThat(evidenceIds(d)).containsExactly("petition:p1");
        }

        @Test
        void fourPetitionersAreNotACollectivePetition() throws Exception {
            flow.send(petition("p1").petitioners(4).enterprise(7, "南方服装有限公司").build());

            assertThat(flow.routedFor(COLLECTIVE)).isEmpty();
            assertThat(flow.detections(COLLECTIVE)).isEmpty();
        }

        @Test
        void fiftyPetitionersAreRed() throws Exception {
            flow.send(petition("p1").petitioners(50).enterprise(7, "南方服装有限公司").build());

            assertThat(flow.last(COLLECTIVE).level()).isEqualTo(AlertLevel.RED);
            assertThat(flow.last(COLLECTIVE).limit()).isEqualTo(50.0);
        }

        @Test
        void theLargestPetitionCountsNotTheSum() throws Exception {
            flow.send(petition("p1").petitioners(30).enterprise(7, "南方服装有限公司").at(T0).build(),
                    petition("p2").petitioners(30).enterprise(7, "南方服装有限公司").at(T0 + HOUR).build());

            assertThat(flow.detections(COLLECTIVE)).extracting(Detection::level).containsOnly(AlertLevel.ORANGE);
            assertThat(flow.last(COLLECTIVE).observed()).isEqualTo(30.0);
        }

        @Test
        void withoutANamedEnterpriseItIsKeyedByCommunity() throws Exception {
            flow.send(petition("p1").petitioners(8).build());

            Detection d = flow.last(COLLECTIVE);
            assertThat(d.level()).isEqualTo(AlertLevel.ORANGE);
            assertThat(d.subject().type()).isEqualTo(SubjectType.REGION);
            assertThat(d.subject().key()).isEqualTo("REG:" + COMMUNITY);
        }

        @Test
        void anUnverifiedCreditCodeIsNotUsedAsKey() throws Exception {
            flow.send(petition("p1").petitioners(8).unverifiedEnterprise(7, "南方服装有限公司").build());

            Detection d = flow.last(COLLECTIVE);
            assertThat(d.subject().key()).isEqualTo("REG:" + COMMUNITY);
            assertThat(flow.routedFor(COLLECTIVE)).extracting(RuleInput::subjectKey).containsExactly("REG:" + COMMUNITY);
        }

        @Test
        void twoEnterprisesAreTwoSubjects() throws Exception {
            flow.send(petition("p1").petitioners(6).enterprise(7, "南方服装有限公司").build(),
                    petition("p2").petitioners(60).enterprise(8, "北方机械厂").at(T0 + HOUR).build());

            assertThat(flow.detections(COLLECTIVE)).extracting(d -> d.subject().key() + "=" + d.level())
                    .containsExactly(enterpriseKey(7) + "=ORANGE", enterpriseKey(8) + "=RED");
        }
    }

    @Nested
    class RepeatPetition {
        @Test
        void thePersonPetitioningThreeTimesIn30DaysIsYellow() throws Exception {
            flow.send(petition("p1").petitioner("张三").at(T0).build(),
                    petition("p2").petitioner("张三").at(T0 + 10 * DAY).build(),
                    petition("p3").petitioner("张三").at(T0 + 20 * DAY).build());

            List<Detection> ds = flow.detections(REPEAT);
            assertThat(ds).hasSize(1);
            Detection d = ds.get(0);
            assertThat(d.level()).isEqualTo(AlertLevel.YELLOW);
            assertThat(d.subject().type()).isEqualTo(SubjectType.PERSON);
            assertThat(d.subject().key()).isEqualTo(personKey("张三"));
            assertThat(d.subject().display()).isEqualTo("张*"); // masked, never the full name
            assertThat(evidenceIds(d)).containsExactly("petition:p1", "petition:p2", "petition:p3");
            assertThat(d.explanation()).contains("重复信访", "30天", "共3条").doesNotContain("张三");
        }

        @Test
        void twoPetitionsAreNotARepeat() throws Exception {
            flow.send(petition("p1").petitioner("张三").at(T0).build(),
                    petition("p2").petitioner("张三").at(T0 + DAY).build());
            assertThat(flow.detections(REPEAT)).isEmpty();
        }

        @Test
        void threePetitionsSpreadOver31DaysAreOutsideTheWindow() throws Exception {
            flow.send(petition("p1").petitioner("张三").at(T0).build(),
                    petition("p2").petitioner("张三").at(T0 + 15 * DAY).build(),
                    petition("p3").petitioner("张三").at(T0 + 31 * DAY).build());
            assertThat(flow.detections(REPEAT)).isEmpty();
        }

        @Test
        void onePetitionAtCityLevelMakesItOrange() throws Exception {
            flow.send(petition("p1").petitioner("张三").at(T0).build(),
                    petition("p2").petitioner("张三").receivingLevel("CITY").at(T0 + 5 * DAY).build());
            assertThat(flow.detections(REPEAT)).isEmpty(); // 越级 alone is not a repeat

            flow.send(petition("p3").petitioner("张三").at(T0 + 9 * DAY).build());
            Detection d = flow.last(REPEAT);
            assertThat(d.level()).isEqualTo(AlertLevel.ORANGE);
            assertThat(d.explanation()).contains("受理层级为市级", "橙色");
        }

        @Test
        void aCityLevelPetitionThatLeftTheWindowNoLongerRaises() throws Exception {
            flow.send(petition("p0").petitioner("张三").receivingLevel("PROVINCE").at(T0).build(),
                    petition("p1").petitioner("张三").at(T0 + 31 * DAY).build(),
                    petition("p2").petitioner("张三").at(T0 + 32 * DAY).build(),
                    petition("p3").petitioner("张三").at(T0 + 33 * DAY).build());

            Detection d = flow.last(REPEAT);
            assertThat(d.level()).isEqualTo(AlertLevel.YELLOW);
            assertThat(evidenceIds(d)).containsExactly("petition:p1", "petition:p2", "petition:p3");
        }

        @Test
        void differentPersonsDoNotAddUp() throws Exception {
            flow.send(petition("p1").petitioner("张三").at(T0).build(),
                    petition("p2").petitioner("李四").at(T0 + DAY).build(),
                    petition("p3").petitioner("王五").at(T0 + 2 * DAY).build(),
                    petition("p4").petitioner("张三").at(T0 + 3 * DAY).build(),
                    petition("p5").petitioner("李四").at(T0 + 4 * DAY).build());
            assertThat(flow.detections(REPEAT)).isEmpty();

            flow.send(petition("p6").petitioner("李四").at(T0 + 5 * DAY).build());
            assertThat(flow.detections(REPEAT)).singleElement()
                    .satisfies(d -> assertThat(d.subject().key()).isEqualTo(personKey("李四")))
                    .satisfies(d -> assertThat(evidenceIds(d)).containsExactly("petition:p2", "petition:p5", "petition:p6"));
        }
    }
}

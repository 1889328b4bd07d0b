package org.fenghuo.jobs.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.COMMUNITY;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.GRID;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.HOUR;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.SITE;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.STREET;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.T0;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.defaultRules;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.drain;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.enterpriseKey;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.evidenceIds;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.gridReport;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.laborInspection;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.linkageCall;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.personKey;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.pollAll;
import static org.fenghuo.jobs.correlation.CorrelationFixtures.route;

import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.rules.LevelSpec;
import org.fenghuo.core.rules.PointsSpec;
import org.fenghuo.core.rules.Rule;
import org.fenghuo.core.rules.RuleUpdate;
import org.fenghuo.core.rules.RulesFile;
import org.fenghuo.jobs.correlation.CorrelationFixtures.Flow;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** {@link RouteEventsToRules}: which inputs an event gives, and rule updates through the broadcast side. */
class RouteEventsToRulesTest {
    static final String HOTSPOT = "grid.dispute-hotspot";
    static final String SAFETY = "grid.safety-hotspot";

    /** A rule that is not among the defaults: ≥ 2 SAFETY_HAZARD reports in one grid within 12 h → YELLOW. */
    static final Rule SAFETY_RULE = rule("""
            - id: grid.safety-hotspot
              kind: THRESHOLD
              title: 安全隐患集中
              match:
                feed: [grid-report]
                category: [SAFETY_HAZARD]
              key:
                - region: GRID
              window: PT12H
              levels:
                - level: YELLOW
                  atLeast: 2
            """);

    static Rule rule(String yamlListEntry) {
        String file = "version: 1\nrules:\n" + yamlListEntry.indent(2);
        return RulesFile.parse(file.getBytes(StandardCharsets.UTF_8), "test-rule.yaml").rules().get(0);
    }

    static RuleUpdate upsert(String requestId, Rule rule) {
        return new RuleUpdate(RuleUpdate.Type.UPSERT, requestId, null, rule.id(), rule, null, "tester", "test", null, null, null, null);
    }

    static RuleUpdate byId(RuleUpdate.Type type, String requestId, String ruleId) {
        return new RuleUpdate(type, requestId, null, ruleId, null, null, "tester", "test", null, null, null, null);
    }

    static Rule hotspotWith(double yellowAtLeast) {
        Rule r = defaultRules().find(HOTSPOT).orElseThrow();
        return new Rule(r.id(), r.kind(), r.enabled(), r.title(), r.description(), r.match(), r.key(), r.window(),
                r.aggregate(), List.of(new LevelSpec(AlertLevel.YELLOW, yellowAtLeast, null, null, null),
                new LevelSpec(AlertLevel.ORANGE, 10.0, null, null, null)), r.raise(), r.cooldown(), r.evidenceCap(),
                r.baseline(), r.steps(), r.ordered(), r.risk());
    }

    // ---- routing ----------------------------------------------------------------------------------------------------

    @Test
    void aDisputeReportGoesToTheHotspotRuleByCommunityAndToTheBaselineByCommunityAndStreet() throws Exception {
        NormalizedEvent e = gridReport("g1").at(T0).build();
        Map<OutputTag<RuleInput>, List<RuleInput>> out = routeByTag(e);

        assertThat(out.get(null)).singleElement().satisfies(in -> {
            assertThat(in.partitionKey()).isEqualTo(HOTSPOT + "|REG:" + COMMUNITY);
            assertThat(in.ruleId()).isEqualTo(HOTSPOT);
            assertThat(in.role()).isEqualTo(RuleInput.EVENT);
            assertThat(in.subjectType()).isEqualTo(SubjectType.REGION);
            assertThat(in.subjectKey()).isEqualTo("REG:" + COMMUNITY);
            assertThat(in.eventId()).isEqualTo("grid-report:g1");
            assertThat(in.feed()).isEqualTo("grid-report");
            assertThat(in.recordId()).isEqualTo("g1");
            assertThat(in.time()).isEqualTo(T0);
            assertThat(in.category()).isEqualTo("DISPUTE");
            assertThat(in.grid()).isEqualTo(GRID);
            assertThat(in.location()).isEqualTo(SITE);
            assertThat(in.value()).isEqualTo(1.0);
        });
        assertThat(out.get(RouteEventsToRules.BASELINE)).extracting(RuleInput::partitionKey)
                .containsExactlyInAnyOrder("region.baseline-surge|REG:" + COMMUNITY, "region.baseline-surge|REG:" + STREET);
        assertThat(out.get(RouteEventsToRules.PLACES)).isEmpty();
        assertThat(out.get(RouteEventsToRules.CORRELATION)).isEmpty();
        assertThat(out.get(RouteEventsToRules.NEARBY)).isEmpty();
        assertThat(out.get(RouteEventsToRules.RISK)).isEmpty(); // names no enterprise and no person
    }

    @Test
    void aWageArrearsRecordGoesToTheCorrelationByEnterpriseTeachesWhereItIsAndScoresItsEntities() throws Exception {
        NormalizedEvent e = laborInspection("L1").complainant("赵六").at(T0).build();
        Map<OutputTag<RuleInput>, List<RuleInput>> out = routeByTag(e);

        assertThat(out.get(RouteEventsToRules.CORRELATION)).singleElement().satisfies(in -> {
            assertThat(in.partitionKey()).isEqualTo("labor.wage-arrears-escalation|" + enterpriseKey(1));
            assertThat(in.subjectType()).isEqualTo(SubjectType.ENTERPRISE);
            assertThat(in.mask()).isEqualTo(1L); // step 0 (labour); 12 workers do not raise
        });
        assertThat(out.get(RouteEventsToRules.NEARBY)).singleElement().satisfies(in -> {
            assertThat(in.partitionKey()).isEqualTo("labor.wage-arrears-escalation|@near");
            assertThat(in.role()).isEqualTo(RuleInput.LOCATION);
            assertThat(in.subjectKey()).isEqualTo(enterpriseKey(1));
            assertThat(in.location()).isEqualTo(SITE);
        });
        double points = riskPoints("labor-inspection", "WAGE_ARREARS");
        assertThat(points).isGreaterThan(riskPoints("labor-inspection", "OVERTIME"));
        assertThat(out.get(RouteEventsToRules.RISK)).extracting(RuleInput::subjectKey, RuleInput::points)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(enterpriseKey(1), points),
                        org.assertj.core.groups.Tuple.tuple(personKey("赵六"), points));
        assertThat(out.get(null)).isEmpty();
    }

    @Test
    void thirtyWorkersSetTheRaiseBit() throws Exception {
        RuleInput in = CorrelationFixtures.input("labor.wage-arrears-escalation", laborInspection("L1").workers(30).build());
        assertThat(in.mask()).isEqualTo(1L | 1L << 3); // labour step, and the raise after the three steps
    }

    @Test
    void aGatheringCallGoesToThePlaceClustersAndAsANearEventToTheMatcher() throws Exception {
        NormalizedEvent e = linkageCall("C1").caller("孙七").at(T0).build();
        Map<OutputTag<RuleInput>, List<RuleInput>> out = routeByTag(e);

        assertThat(out.get(RouteEventsToRules.PLACES)).singleElement().satisfies(in -> {
            assertThat(in.partitionKey()).isEqualTo("linkage.gathering-cluster|@place");
            assertThat(in.subjectType()).isEqualTo(SubjectType.PLACE);
        });
        assertThat(out.get(RouteEventsToRules.NEARBY)).singleElement().satisfies(in -> {
            assertThat(in.role()).isEqualTo(RuleInput.NEAR);
            assertThat(in.subjectKey()).isNull();
            assertThat(in.mask()).isEqualTo(1L << 2); // the gathering step
        });
        assertThat(out.get(RouteEventsToRules.CORRELATION)).isEmpty(); // names no enterprise
        assertThat(out.get(RouteEventsToRules.RISK)).extracting(RuleInput::subjectKey, RuleInput::points)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(personKey("孙七"), riskPoints("linkage-call", "GATHERING")));
        assertThat(route(defaultRules(), linkageCall("C2").noLocation().build()))
                .extracting(RuleInput::ruleId).doesNotContain("linkage.gathering-cluster");
    }

    /** The default {@code entity.risk} points of an event of this feed and category (entries without field conditions). */
    static double riskPoints(String feed, String category) {
        double sum = 0;
        for (PointsSpec p : defaultRules().find("entity.risk").orElseThrow().risk().points()) {
            var m = p.match();
            if (m.where() != null || m.anyOf() != null || m.subcategory() != null) continue;
            if (m.feed() != null && !m.feed().contains(feed)) continue;
            if (m.category() != null && !m.category().contains(category)) continue;
            sum += p.points();
        }
        return sum;
    }

    private static Map<OutputTag<RuleInput>, List<RuleInput>> routeByTag(NormalizedEvent e) throws Exception {
        try (BroadcastOperatorTestHarness<NormalizedEvent, RuleUpdate, RuleInput> h =
                     CorrelationFixtures.router(new RouteEventsToRules(defaultRules(), null), 1, 0)) {
            h.processElement(e, e.occurredAtMillis());
            return drain(h);
        }
    }

    // ---- rule updates -------------------------------------------------------------------------------------------------

    @Test
    void anUpsertedRuleTakesEffectForLaterEvents() throws Exception {
        try (Flow flow = new Flow()) {
            flow.send(gridReport("s1").category("SAFETY_HAZARD").at(T0).build());
            assertThat(flow.routedFor(SAFETY)).isEmpty();

            RuleUpdate status = flow.update(upsert("req-1", SAFETY_RULE));
            assertThat(status.type()).isEqualTo(RuleUpdate.Type.STATUS);
            assertThat(status.accepted()).isTrue();
            assertThat(status.requestId()).isEqualTo("req-1");
            assertThat(status.version()).isEqualTo(2);
            assertThat(status.ruleIds()).contains(SAFETY, HOTSPOT);

            flow.send(gridReport("s2").category("SAFETY_HAZARD").at(T0 + HOUR).build(),
                    gridReport("s3").category("SAFETY_HAZARD").at(T0 + 2 * HOUR).build());
            assertThat(flow.routedFor(SAFETY)).extracting(RuleInput::partitionKey)
                    .containsOnly(SAFETY + "|REG:" + GRID).hasSize(2);
            // the detectors learnt the new rule from the router's broadcast
            Detection d = flow.last(SAFETY);
            assertThat(d).isNotNull();
            assertThat(d.level()).isEqualTo(AlertLevel.YELLOW);
            assertThat(evidenceIds(d)).containsExactly("grid-report:s2", "grid-report:s3");
        }
    }

    @Test
    void anUpsertThatReplacesARuleChangesItsNumbers() throws Exception {
        try (Flow flow = new Flow()) {
            assertThat(flow.update(upsert("req-1", hotspotWith(3))).accepted()).isTrue();
            flow.send(TestEvents.disputes(3));
            assertThat(flow.last(HOTSPOT)).isNotNull();
            assertThat(flow.last(HOTSPOT).limit()).isEqualTo(3.0);
        }
    }

    @Test
    void disableStopsRoutingAndTheOtherRulesKeepWorking() throws Exception {
        try (Flow flow = new Flow()) {
            RuleUpdate status = flow.update(byId(RuleUpdate.Type.DISABLE, "req-2", HOTSPOT));
            assertThat(status.accepted()).isTrue();
            assertThat(status.version()).isEqualTo(2);

            flow.send(TestEvents.disputes(6));
            assertThat(flow.routedFor(HOTSPOT)).isEmpty();
            assertThat(flow.detections(HOTSPOT)).isEmpty();
            assertThat(flow.routedFor("region.baseline-surge")).hasSize(12);

            // enabled again: routed again
            assertThat(flow.update(byId(RuleUpdate.Type.ENABLE, "req-3", HOTSPOT)).version()).isEqualTo(3);
            flow.send(gridReport("g7").at(T0 + 7 * HOUR).build());
            assertThat(flow.routedFor(HOTSPOT)).extracting(RuleInput::eventId).containsExactly("grid-report:g7");
        }
    }

    @Test
    void aDisabledRulesStateIsDroppedByTheDetector() throws Exception {
        try (Flow flow = new Flow()) {
            flow.send(TestEvents.disputes(4));
            assertThat(CorrelationFixtures.keyedStateEntries(flow.threshold)).isEqualTo(1);
            flow.update(byId(RuleUpdate.Type.DELETE, "req-4", HOTSPOT));
            // the first eviction timer (g1's) finds the rule gone and drops the whole list, g2…g4 included
            flow.watermark(T0 + 25 * HOUR);
            assertThat(CorrelationFixtures.keyedStateEntries(flow.threshold)).isZero();
        }
    }

    @Test
    void anInvalidRuleIsRefusedAndTheRunningRulesKeepWorking() throws Exception {
        try (Flow flow = new Flow()) {
            RuleUpdate status = flow.update(upsert("req-5", hotspotWith(-3)));
            assertThat(status.accepted()).isFalse();
            assertThat(status.requestId()).isEqualTo("req-5");
            assertThat(status.version()).isEqualTo(1);
            assertThat(status.reason()).contains("levels[0].atLeast", "positive");

            flow.send(TestEvents.disputes(5));
            Detection d = flow.last(HOTSPOT);
            assertThat(d).isNotNull();
            assertThat(d.limit()).isEqualTo(5.0);
        }
    }

    @Test
    void onlySubtaskZeroAnswersAndPublishesButEverySubtaskApplies() throws Exception {
        try (var first = CorrelationFixtures.router(new RouteEventsToRules(defaultRules(), null), 2, 0);
             var second = CorrelationFixtures.router(new RouteEventsToRules(defaultRules(), null), 2, 1)) {
            for (var h : List.of(first, second)) {
                h.processBroadcastElement(upsert("req-6", SAFETY_RULE), 0);
                h.processBroadcastElement(upsert("req-7", hotspotWith(-1)), 0); // refused
            }
            assertThat(pollAll(first.getSideOutput(RouteEventsToRules.STATUS)))
                    .extracting(RuleUpdate::requestId, RuleUpdate::accepted)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("req-6", true),
                            org.assertj.core.groups.Tuple.tuple("req-7", false));
            assertThat(pollAll(first.getSideOutput(RouteEventsToRules.RULES))).singleElement()
                    .satisfies(json -> assertThat(json).contains(SAFETY));
            assertThat(pollAll(second.getSideOutput(RouteEventsToRules.STATUS))).isEmpty();
            assertThat(pollAll(second.getSideOutput(RouteEventsToRules.RULES))).isEmpty();

            NormalizedEvent e = gridReport("s1").category("SAFETY_HAZARD").at(T0).build();
            second.processElement(e, T0);
            assertThat(drain(second).get(null)).extracting(RuleInput::ruleId).containsExactly(SAFETY);
        }
    }

    @Test
    void statusMessagesReadBackFromTheTopicAreIgnored() throws Exception {
        try (var h = CorrelationFixtures.router(new RouteEventsToRules(defaultRules(), null), 1, 0)) {
            RuleUpdate echo = RuleUpdate.status(upsert("req-8", SAFETY_RULE), true, "added", 2, List.of(SAFETY), null);
            h.processBroadcastElement(echo, 0);
            assertThat(pollAll(h.getSideOutput(RouteEventsToRules.STATUS))).isEmpty();
            assertThat(pollAll(h.getSideOutput(RouteEventsToRules.RULES))).isEmpty();
            h.processElement(gridReport("s1").category("SAFETY_HAZARD").build(), T0);
            assertThat(drain(h).get(null)).isEmpty();
        }
    }

    @Test
    void aStaleVersionIsRefused() throws Exception {
        try (Flow flow = new Flow()) {
            RuleUpdate stale = new RuleUpdate(RuleUpdate.Type.UPSERT, "req-9", 1, SAFETY, SAFETY_RULE, null, "tester",
                    "test", null, null, null, null);
            RuleUpdate status = flow.update(stale);
            assertThat(status.accepted()).isFalse();
            assertThat(status.reason()).contains("stale version 1");
            flow.send(gridReport("s1").category("SAFETY_HAZARD").build());
            assertThat(flow.routedFor(SAFETY)).isEmpty();
        }
    }

    /** Dispute reports g1…gN in the community, an hour apart from {@link CorrelationFixtures#T0}. */
    static final class TestEvents {
        static NormalizedEvent[] disputes(int n) {
            NormalizedEvent[] out = new NormalizedEvent[n];
            for (int i = 0; i < n; i++) out[i] = gridReport("g" + (i + 1)).at(T0 + i * HOUR).build();
            return out;
        }
    }
}

package org.fenghuo.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.fenghuo.core.model.EventDetails;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.junit.jupiter.api.Test;

class EventMatcherTest {

    private static final EventRegion REGION = new EventRegion("339901", "339901001", "339901001001", "339901001001001");

    private static NormalizedEvent event(String feed, String category, String subcategory, Integer peopleCount,
                                         EventDetails details, EventRegion region, String... flags) {
        return new NormalizedEvent(feed + ":1", feed, "1", "feed.x", 0, OffsetDateTime.parse("2026-03-05T09:30:00+08:00"), null,
                region, null, category, subcategory, 2, peopleCount, List.of(), "t", null, null, List.of(), List.of(), details,
                Arrays.asList(flags));
    }

    private static NormalizedEvent petition(int count, String receivingLevel, Boolean repeat) {
        return event("petition", "WAGE_ARREARS", "VISIT", count,
                new EventDetails("VISIT", null, receivingLevel, null, null, null, null, count, null, null, repeat), REGION);
    }

    private static NormalizedEvent labour(Integer workers, Double owed) {
        return event("labor-inspection", "WAGE_ARREARS", "COMPLAINT", workers,
                new EventDetails(null, "COMPLAINT", null, null, null, null, null, null, workers, owed, null), REGION);
    }

    private static NormalizedEvent grid(String category) {
        return event("grid-report", category, null, 3, new EventDetails(null, null, null, null, "REPORTED", "GW-1", null, null, null, null, null), REGION);
    }

    private static NormalizedEvent call(String type, String... flags) {
        return event("linkage-call", type, null, 30, null, new EventRegion("339901", null, null, null), flags);
    }

    private static Match where(FieldCondition... conditions) {
        return new Match(null, null, null, List.of(conditions), null);
    }

    private static FieldCondition in(String field, String... values) {
        return new FieldCondition(field, List.of(values), null, null, null, null, null);
    }

    private static FieldCondition gte(String field, double v) { return new FieldCondition(field, null, v, null, null, null, null); }
    private static FieldCondition gt(String field, double v) { return new FieldCondition(field, null, null, v, null, null, null); }
    private static FieldCondition lte(String field, double v) { return new FieldCondition(field, null, null, null, v, null, null); }
    private static FieldCondition lt(String field, double v) { return new FieldCondition(field, null, null, null, null, v, null); }
    private static FieldCondition exists(String field, boolean v) { return new FieldCondition(field, null, null, null, null, null, v); }

    @Test
    void emptyAndNullMatchesHoldForEveryEvent() {
        assertThat(EventMatcher.compile(null).test(grid("DISPUTE"))).isTrue();
        Predicate<NormalizedEvent> all = EventMatcher.compile(new Match(null, null, null, null, null));
        assertThat(all.test(grid("DISPUTE"))).isTrue();
        assertThat(all.test(call("GATHERING"))).isTrue();
        assertThat(all.test(event("petition", null, null, null, null, null))).isTrue();
    }

    @Test
    void feedCategoryAndSubcategory() {
        var gridDispute = EventMatcher.compile(new Match(List.of("grid-report"), List.of("DISPUTE"), null, null, null));
        assertThat(gridDispute.test(grid("DISPUTE"))).isTrue();
        assertThat(gridDispute.test(grid("GATHERING"))).isFalse();
        assertThat(gridDispute.test(call("DISPUTE"))).as("same category, other feed").isFalse();
        assertThat(gridDispute.test(event("grid-report", null, null, null, null, null))).as("no category").isFalse();

        var gatheringAnywhere = EventMatcher.compile(new Match(null, List.of("GATHERING"), null, null, null));
        assertThat(gatheringAnywhere.test(grid("GATHERING"))).isTrue();
        assertThat(gatheringAnywhere.test(call("GATHERING"))).isTrue();

        var twoFeeds = EventMatcher.compile(new Match(List.of("petition", "labor-inspection"), null, null, null, null));
        assertThat(twoFeeds.test(petition(1, "STREET", false))).isTrue();
        assertThat(twoFeeds.test(labour(3, 1000.0))).isTrue();
        assertThat(twoFeeds.test(grid("DISPUTE"))).isFalse();

        var visits = EventMatcher.compile(new Match(null, null, List.of("VISIT", "LETTER"), null, null));
        assertThat(visits.test(petition(1, "STREET", false))).isTrue();
        assertThat(visits.test(labour(3, 1.0))).isFalse();
        assertThat(visits.test(grid("DISPUTE"))).as("no subcategory").isFalse();
    }

    @Test
    void textConditions() {
        var above = EventMatcher.compile(where(in("details.receivingLevel", "CITY", "PROVINCE", "NATIONAL")));
        assertThat(above.test(petition(1, "CITY", false))).isTrue();
        assertThat(above.test(petition(1, "NATIONAL", false))).isTrue();
        assertThat(above.test(petition(1, "DISTRICT", false))).isFalse();
        assertThat(above.test(grid("DISPUTE"))).as("details without the field").isFalse();
        assertThat(above.test(call("GATHERING"))).as("no details at all").isFalse();

        var community = EventMatcher.compile(where(in("region.community", "339901001001")));
        assertThat(community.test(grid("DISPUTE"))).isTrue();
        assertThat(community.test(call("GATHERING"))).as("community unknown").isFalse();
        assertThat(community.test(event("grid-report", "DISPUTE", null, null, null, null))).as("no region").isFalse();
    }

    @Test
    void numericBoundsAtTheExactLimit() {
        var atLeast5 = EventMatcher.compile(where(gte("details.petitionerCount", 5)));
        assertThat(atLeast5.test(petition(5, "STREET", false))).isTrue();
        assertThat(atLeast5.test(petition(4, "STREET", false))).isFalse();
        assertThat(atLeast5.test(petition(50, "STREET", false))).isTrue();

        var above5 = EventMatcher.compile(where(gt("details.petitionerCount", 5)));
        assertThat(above5.test(petition(5, "STREET", false))).isFalse();
        assertThat(above5.test(petition(6, "STREET", false))).isTrue();

        var atMost5 = EventMatcher.compile(where(lte("peopleCount", 5)));
        assertThat(atMost5.test(petition(5, "STREET", false))).isTrue();
        assertThat(atMost5.test(petition(6, "STREET", false))).isFalse();

        var below5 = EventMatcher.compile(where(lt("peopleCount", 5)));
        assertThat(below5.test(petition(5, "STREET", false))).isFalse();
        assertThat(below5.test(petition(4, "STREET", false))).isTrue();

        var owed = EventMatcher.compile(where(gte("details.amountOwedCny", 500000)));
        assertThat(owed.test(labour(1, 500000.0))).isTrue();
        assertThat(owed.test(labour(1, 499999.99))).isFalse();
        assertThat(owed.test(labour(1, null))).as("missing amount").isFalse();

        var range = EventMatcher.compile(where(new FieldCondition("severity", null, 2.0, null, null, 3.0, null)));
        assertThat(range.test(grid("DISPUTE"))).as("severity 2 in [2, 3)").isTrue();

        var workers = EventMatcher.compile(where(gte("details.workersAffected", 30)));
        assertThat(workers.test(labour(30, 1.0))).isTrue();
        assertThat(workers.test(labour(29, 1.0))).isFalse();
        assertThat(workers.test(petition(100, "STREET", false))).as("petition has no workersAffected").isFalse();
    }

    @Test
    void missingFieldsFailEveryConditionButExistsFalse() {
        NormalizedEvent noCount = event("grid-report", "DISPUTE", null, null, null, null);
        assertThat(EventMatcher.compile(where(exists("peopleCount", false))).test(noCount)).isTrue();
        assertThat(EventMatcher.compile(where(exists("peopleCount", true))).test(noCount)).isFalse();
        assertThat(EventMatcher.compile(where(exists("peopleCount", false))).test(grid("DISPUTE"))).isFalse();
        assertThat(EventMatcher.compile(where(exists("peopleCount", true))).test(grid("DISPUTE"))).isTrue();
        assertThat(EventMatcher.compile(where(exists("details.receivingLevel", false))).test(noCount)).isTrue();
        assertThat(EventMatcher.compile(where(lt("peopleCount", 100))).test(noCount)).as("a missing number is not below 100").isFalse();
        assertThat(EventMatcher.compile(where(exists("region.grid", true))).test(grid("DISPUTE"))).isTrue();
        assertThat(EventMatcher.compile(where(exists("region.grid", true))).test(call("GATHERING"))).isFalse();
    }

    @Test
    void booleansAndFlags() {
        var repeat = EventMatcher.compile(where(in("details.isRepeat", "true")));
        assertThat(repeat.test(petition(1, "STREET", true))).isTrue();
        assertThat(repeat.test(petition(1, "STREET", false))).isFalse();
        assertThat(repeat.test(petition(1, "STREET", null))).isFalse();
        assertThat(EventMatcher.compile(where(in("details.isRepeat", "false"))).test(petition(1, "STREET", false))).isTrue();
        assertThat(EventMatcher.compile(where(in("details.isRepeat", "true", "false"))).test(petition(1, "STREET", null))).isFalse();

        var unverified = EventMatcher.compile(where(in("flags", "UNVERIFIED_ID_NUMBER", "UNVERIFIED_CREDIT_CODE")));
        assertThat(unverified.test(call("GATHERING", "GRID_FROM_LOCATION", "UNVERIFIED_ID_NUMBER"))).as("any flag listed").isTrue();
        assertThat(unverified.test(call("GATHERING", "GRID_FROM_LOCATION"))).isFalse();
        assertThat(unverified.test(call("GATHERING"))).isFalse();
        assertThat(EventMatcher.compile(where(exists("flags", false))).test(call("GATHERING"))).isTrue();
        assertThat(EventMatcher.compile(where(exists("flags", true))).test(call("GATHERING", "GRID_FROM_LOCATION"))).isTrue();
    }

    @Test
    void anyOfAndAllPartsTogether() {
        var gathering = EventMatcher.compile(new Match(null, null, null, null, List.of(
                new Match(List.of("linkage-call"), List.of("GATHERING"), null, null, null),
                new Match(List.of("grid-report"), List.of("GATHERING"), null, null, null))));
        assertThat(gathering.test(call("GATHERING"))).isTrue();
        assertThat(gathering.test(grid("GATHERING"))).isTrue();
        assertThat(gathering.test(grid("DISPUTE"))).isFalse();
        assertThat(gathering.test(petition(10, "CITY", true))).isFalse();

        // the parts of a match all hold: feed AND where AND anyOf
        var bigPetition = EventMatcher.compile(new Match(List.of("petition"), null, null,
                List.of(gte("details.petitionerCount", 5)),
                List.of(where(in("details.receivingLevel", "CITY")), where(in("details.isRepeat", "true")))));
        assertThat(bigPetition.test(petition(5, "CITY", false))).isTrue();
        assertThat(bigPetition.test(petition(5, "STREET", true))).isTrue();
        assertThat(bigPetition.test(petition(5, "STREET", false))).as("no alternative holds").isFalse();
        assertThat(bigPetition.test(petition(4, "CITY", true))).as("where fails").isFalse();
        assertThat(bigPetition.test(labour(50, 1.0))).as("feed fails").isFalse();

        var nothing = EventMatcher.compile(new Match(null, null, null, null, List.of()));
        assertThat(nothing.test(grid("DISPUTE"))).as("an empty anyOf has no alternative that holds").isFalse();
    }

    @Test
    void theDefaultRulesFiltersSelectWhatTheTableSays() {
        RuleSet d = RulesFile.defaults();
        var collective = EventMatcher.compile(d.find("petition.collective").orElseThrow().match());
        assertThat(collective.test(petition(5, "STREET", false))).isTrue();
        assertThat(collective.test(petition(4, "STREET", false))).isFalse();

        Rule escalation = d.find("labor.wage-arrears-escalation").orElseThrow();
        var raise = EventMatcher.compile(escalation.raise().get(0).when());
        assertThat(raise.test(labour(30, 0.0))).isTrue();
        assertThat(raise.test(labour(29, 500000.0))).isTrue();
        assertThat(raise.test(labour(29, 499999.0))).isFalse();
        var gatheringStep = EventMatcher.compile(escalation.steps().get(2).match());
        assertThat(gatheringStep.test(call("GATHERING"))).isTrue();
        assertThat(gatheringStep.test(grid("GATHERING"))).isTrue();
        assertThat(gatheringStep.test(call("DISPUTE"))).isFalse();

        RiskSpec risk = d.find("entity.risk").orElseThrow().risk();
        double wageArrears = risk.points().stream().filter(p -> EventMatcher.compile(p.match()).test(labour(3, 1.0)))
                .mapToDouble(PointsSpec::points).sum();
        assertThat(wageArrears).isEqualTo(20.0);
        double gridGathering = risk.points().stream().filter(p -> EventMatcher.compile(p.match()).test(grid("GATHERING")))
                .mapToDouble(PointsSpec::points).sum();
        assertThat(gridGathering).isEqualTo(15.0);
    }

    @Test
    void compiledPredicatesSurviveSerialisation() throws Exception {
        Match m = new Match(List.of("petition"), null, List.of("VISIT"), List.of(gte("details.petitionerCount", 5),
                in("details.receivingLevel", "CITY"), in("flags", "UNVERIFIED_ID_NUMBER"), exists("region.grid", true)),
                List.of(where(in("details.isRepeat", "true")), new Match(null, null, null, null, null)));
        EventMatcher.EventPredicate p = EventMatcher.compile(m);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        @SuppressWarnings("unchecked")
        Predicate<NormalizedEvent> back = (Predicate<NormalizedEvent>) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        NormalizedEvent yes = event("petition", "OTHER", "VISIT", 5,
                new EventDetails("VISIT", null, "CITY", null, null, null, null, 5, null, null, null), REGION, "UNVERIFIED_ID_NUMBER");
        NormalizedEvent no = event("petition", "OTHER", "VISIT", 4,
                new EventDetails("VISIT", null, "CITY", null, null, null, null, 4, null, null, null), REGION, "UNVERIFIED_ID_NUMBER");
        assertThat(p.test(yes)).isTrue();
        assertThat(back.test(yes)).isTrue();
        assertThat(back.test(no)).isFalse();
    }

    @Test
    void invalidConditionsAreRefusedAtCompileTime() {
        assertThatThrownBy(() -> EventMatcher.compile(where(in("details.nope", "x")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("details.nope");
        assertThatThrownBy(() -> EventMatcher.compile(where(gte("details.channel", 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventMatcher.compile(where(in("severity", "3")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyDocumentedFieldHasAnAccessor() {
        assertThat(EventFields.paths()).containsExactly("severity", "peopleCount", "region.district", "region.street",
                "region.community", "region.grid", "flags", "details.channel", "details.kind", "details.receivingLevel",
                "details.disposition", "details.status", "details.petitionerCount", "details.workersAffected",
                "details.amountOwedCny", "details.isRepeat");
        NormalizedEvent p = petition(7, "CITY", true);
        assertThat(EventFields.find("details.channel").orElseThrow().value(p)).isEqualTo("VISIT");
        assertThat(EventFields.find("details.petitionerCount").orElseThrow().value(p)).isEqualTo(7.0);
        assertThat(EventFields.find("details.isRepeat").orElseThrow().value(p)).isEqualTo(true);
        assertThat(EventFields.find("region.street").orElseThrow().value(p)).isEqualTo("339901001");
        assertThat(EventFields.find("details.kind").orElseThrow().value(labour(1, 2.0))).isEqualTo("COMPLAINT");
        assertThat(EventFields.find("details.status").orElseThrow().value(grid("DISPUTE"))).isEqualTo("REPORTED");
        assertThat(EventFields.find("details.kind").orElseThrow().isPresent(p)).isFalse();
    }

    @Test
    void fastEnoughForEveryEventTimesEveryRule() {
        // a smoke test of the design (no reflection, no parsing per event), not a benchmark: 7 rules × 200,000 events
        List<EventMatcher.EventPredicate> filters = RulesFile.defaults().rules().stream()
                .map(r -> r.match() != null ? r.match() : r.steps() != null ? r.steps().get(2).match() : r.risk().points().get(3).match())
                .map(EventMatcher::compile).toList();
        NormalizedEvent[] events = {petition(5, "CITY", true), labour(30, 1.0), grid("DISPUTE"), call("GATHERING", "GRID_FROM_LOCATION")};
        long hits = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 200_000; i++) {
            NormalizedEvent e = events[i & 3];
            for (var f : filters) if (f.test(e)) hits++;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(hits).isPositive();
        assertThat(millis).as("1.4 million tests").isLessThan(4_000);
    }
}

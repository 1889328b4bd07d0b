package org.fenghuo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.ids.CheckDigits;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.region.RegionLevel;
import org.fenghuo.simulator.city.DemoCity;
import org.fenghuo.simulator.city.Enterprise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each scenario's records are sent, in a shape the rule of DESIGN §6 it is meant for will catch. */
class ScenarioTest {
    static DemoCity city;
    static Simulator simulator;
    static Map<String, JsonNode> sent = new HashMap<>();
    static Map<String, Feed> feedOf = new HashMap<>();

    @BeforeAll
    static void run() {
        city = TestCity.get();
        simulator = new Simulator(city, SimulatorConfig.builder().maxSimulatedDuration(Duration.ofHours(4)).speed(Speed.max()).build());
        InMemoryFeedSink sink = new InMemoryFeedSink();
        simulator.run(sink, () -> false);
        for (var r : sink.records()) {
            if (!r.key().startsWith("SCN-")) continue;
            sent.put(r.key(), parse(r.text()));
            feedOf.put(r.key(), r.feed());
        }
    }

    static JsonNode parse(String s) {
        try {
            return FeedRecordsTest.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Scenario scenario(ScenarioType type) {
        return simulator.scenarios().stream().filter(s -> s.type() == type).findFirst().orElseThrow();
    }

    static List<JsonNode> records(ScenarioType type) {
        List<JsonNode> out = new ArrayList<>();
        for (String id : scenario(type).recordIds()) {
            assertThat(sent).as("record %s was sent", id).containsKey(id);
            out.add(sent.get(id));
        }
        return out;
    }

    static long millis(JsonNode n, String field) {
        return Instant.from(java.time.OffsetDateTime.parse(n.get(field).asText())).toEpochMilli();
    }

    @Test
    void listsAllSixWithRuleIdsAndPrefixes() {
        assertThat(simulator.scenarios()).extracting(Scenario::ruleId).containsExactlyInAnyOrder(
                "labor.wage-arrears-escalation", "petition.collective", "petition.repeat", "grid.dispute-hotspot",
                "linkage.gathering-cluster", "region.baseline-surge");
        for (Scenario s : simulator.scenarios()) {
            assertThat(s.recordIds()).allSatisfy(id -> assertThat(id).startsWith(s.type().idPrefix() + "-"));
            for (Scenario.ScenarioRecord r : s.records()) assertThat(feedOf.get(r.recordId())).isEqualTo(r.feed());
            // all within the first few simulated hours by default
            assertThat(Duration.between(simulator.config().start(), s.lastEventTime())).isLessThan(Duration.ofHours(3));
        }
        assertThat(sent).hasSize(simulator.scenarios().stream().mapToInt(s -> s.records().size()).sum());
    }

    @Test
    void wageArrearsEscalation() {
        Scenario s = scenario(ScenarioType.WAGE_ARREARS_ESCALATION);
        List<JsonNode> r = records(ScenarioType.WAGE_ARREARS_ESCALATION);
        Enterprise e = city.enterprise(s.subjectKey().substring(4)).orElseThrow();
        assertThat(CheckDigits.isValidCreditCode(e.creditCode())).isTrue();
        assertThat(s.records()).extracting(Scenario.ScenarioRecord::feed).containsExactly(
                Feed.LABOR_INSPECTION, Feed.LABOR_INSPECTION, Feed.PETITION, Feed.LINKAGE_CALL, Feed.GRID_REPORT);
        for (JsonNode labour : r.subList(0, 2)) {
            assertThat(labour.get("issue").asText()).isEqualTo("WAGE_ARREARS");
            assertThat(labour.get("kind").asText()).isIn("COMPLAINT", "VIOLATION");
            assertThat(labour.get("enterprise").get("creditCode").asText()).isEqualTo(e.creditCode());
            assertThat(labour.get("workersAffected").asInt()).isGreaterThanOrEqualTo(30);
            assertThat(labour.get("amountOwedCny").asDouble()).isGreaterThanOrEqualTo(500_000);
        }
        JsonNode petition = r.get(2);
        assertThat(petition.get("targetOrg").get("creditCode").asText()).isEqualTo(e.creditCode());
        assertThat(petition.get("issueType").asText()).isEqualTo("WAGE_ARREARS");
        JsonNode call = r.get(3);
        assertThat(call.get("callType").asText()).isEqualTo("GATHERING");
        assertThat(FeedRecordsTest.point(call.get("location")).distanceMetres(e.location())).isLessThan(1000);
        JsonNode report = r.get(4);
        assertThat(report.get("category").asText()).isEqualTo("GATHERING");
        assertThat(report.get("gridCode").asText()).isEqualTo(e.gridCode());
        long first = millis(r.get(0), "recordedAt"), last = millis(report, "reportedAt");
        assertThat(last - first).isLessThan(Duration.ofHours(72).toMillis());
        assertThat(millis(petition, "receivedAt")).isGreaterThan(first);
        assertThat(millis(call, "receivedAt")).isGreaterThan(millis(petition, "receivedAt"));
    }

    @Test
    void collectivePetition() {
        JsonNode p = records(ScenarioType.COLLECTIVE_PETITION).get(0);
        assertThat(p.get("petitionerCount").asInt()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void repeatPetitioner() {
        Scenario s = scenario(ScenarioType.REPEAT_PETITIONER);
        List<JsonNode> r = records(ScenarioType.REPEAT_PETITIONER);
        assertThat(r).hasSize(3);
        assertThat(r).allSatisfy(p -> assertThat(p.get("petitioner").get("idNumber").asText()).isEqualTo(s.subjectIdNumber()));
        assertThat(CheckDigits.isValidIdentityNumber(s.subjectIdNumber())).isTrue();
        assertThat(r).anySatisfy(p -> assertThat(p.get("receivingLevel").asText()).isEqualTo("CITY"));
        assertThat(millis(r.get(2), "receivedAt") - millis(r.get(0), "receivedAt")).isLessThan(Duration.ofDays(30).toMillis());
    }

    @Test
    void repeatPetitionerPetitionsOnlyInTheScenario() {
        Scenario s = scenario(ScenarioType.REPEAT_PETITIONER);
        RecordStream stream = new RecordStream(city, SimulatorConfig.builder().build());
        int count = 0;
        for (int i = 0; i < 60_000; i++) {
            SimRecord r = stream.next();
            if (r.feed() == Feed.PETITION && new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains(s.subjectIdNumber())) count++;
        }
        assertThat(count).isEqualTo(3);
    }

    @Test
    void disputeHotspot() {
        List<JsonNode> r = records(ScenarioType.DISPUTE_HOTSPOT);
        assertThat(r).hasSizeGreaterThanOrEqualTo(10);
        String community = RegionLevel.COMMUNITY.prefixOf(r.get(0).get("gridCode").asText());
        assertThat(r).allSatisfy(n -> {
            assertThat(n.get("category").asText()).isEqualTo("DISPUTE");
            assertThat(n.get("gridCode").asText()).startsWith(community);
        });
        assertThat(millis(r.get(r.size() - 1), "reportedAt") - millis(r.get(0), "reportedAt")).isLessThan(Duration.ofHours(24).toMillis());
    }

    @Test
    void gatheringCluster() {
        List<JsonNode> r = records(ScenarioType.GATHERING_CLUSTER);
        assertThat(r).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode a : r) {
            assertThat(a.get("callType").asText()).isEqualTo("GATHERING");
            for (JsonNode b : r) {
                GeoPoint pa = FeedRecordsTest.point(a.get("location")), pb = FeedRecordsTest.point(b.get("location"));
                assertThat(pa.distanceMetres(pb)).isLessThan(1000);
                assertThat(Math.abs(millis(a, "receivedAt") - millis(b, "receivedAt"))).isLessThanOrEqualTo(Duration.ofHours(2).toMillis());
            }
        }
        assertThat(r).anySatisfy(n -> assertThat(n.has("gridCode")).isFalse());
        // far from the wage-arrears enterprise, so the two scenarios do not merge
        Enterprise e = city.enterprise(scenario(ScenarioType.WAGE_ARREARS_ESCALATION).subjectKey().substring(4)).orElseThrow();
        assertThat(FeedRecordsTest.point(r.get(0).get("location")).distanceMetres(e.location())).isGreaterThan(2000);
    }

    @Test
    void baselineSurgeStandsOutAgainstTheBackground() {
        Scenario s = scenario(ScenarioType.BASELINE_SURGE);
        List<JsonNode> r = records(ScenarioType.BASELINE_SURGE);
        assertThat(r).hasSizeGreaterThanOrEqualTo(15);
        LocalDate day = java.time.OffsetDateTime.parse(r.get(0).get("reportedAt").asText()).toLocalDate();
        assertThat(r).allSatisfy(n -> {
            assertThat(n.get("category").asText()).isEqualTo("ENVIRONMENT");
            assertThat(n.get("gridCode").asText()).startsWith(s.regionCode());
            assertThat(java.time.OffsetDateTime.parse(n.get("reportedAt").asText()).toLocalDate()).isEqualTo(day);
        });
        // the same community's ENVIRONMENT reports over 28 days of background
        RecordStream stream = new RecordStream(city, SimulatorConfig.builder().scenarios(false).build());
        long end = simulator.config().start().plus(Duration.ofDays(28)).toEpochMilli();
        int count = 0;
        for (SimRecord rec = stream.next(); rec.arrivalMillis() < end; rec = stream.next()) {
            if (rec.feed() != Feed.GRID_REPORT || rec.kind() != SimRecord.Kind.VALID) continue;
            String text = new String(rec.value(), java.nio.charset.StandardCharsets.UTF_8);
            if (text.contains("\"gridCode\":\"" + s.regionCode()) && text.contains("\"category\":\"ENVIRONMENT\"")) count++;
        }
        assertThat(count / 28.0).as("background ENVIRONMENT reports per day").isLessThan(1.0);
    }

    @Test
    void offsetsAreConfigurable() {
        SimulatorConfig config = SimulatorConfig.builder().scenarioOffset(ScenarioType.COLLECTIVE_PETITION, Duration.ofHours(5)).build();
        Scenario s = new Simulator(city, config).scenarios().stream().filter(x -> x.type() == ScenarioType.COLLECTIVE_PETITION).findFirst().orElseThrow();
        assertThat(s.firstEventTime()).isEqualTo(config.start().plus(Duration.ofHours(5)));
        assertThat(new Simulator(city, config.toBuilder().scenarios(false).build()).scenarios()).isEmpty();
    }

    @Test
    void scenariosDoNotChangeTheBackground() {
        RecordStream with = new RecordStream(city, SimulatorConfig.builder().build());
        RecordStream without = new RecordStream(city, SimulatorConfig.builder().scenarios(false).build());
        List<String> a = new ArrayList<>(), b = new ArrayList<>();
        while (a.size() < 3000) {
            SimRecord r = with.next();
            if (r.scenario() == null) a.add(r.key() + new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        while (b.size() < 3000) {
            SimRecord r = without.next();
            b.add(r.key() + new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(a).isEqualTo(b);
    }
}

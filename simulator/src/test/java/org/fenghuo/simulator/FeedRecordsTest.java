package org.fenghuo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.ids.CheckDigits;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.region.Region;
import org.fenghuo.simulator.city.DemoCity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The records themselves: valid ones keep the schemas and the city, malformed ones break exactly one rule. */
class FeedRecordsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int N = 60_000;
    static DemoCity city;
    static List<SimRecord> records;
    static DeadLetterOracle oracle;

    @BeforeAll
    static void generate() {
        city = TestCity.get();
        oracle = new DeadLetterOracle(city.regions());
        RecordStream stream = new RecordStream(city, SimulatorConfig.builder().build());
        records = new ArrayList<>(N);
        for (int i = 0; i < N; i++) records.add(stream.next());
    }

    static JsonNode json(SimRecord r) {
        try {
            return MAPPER.readTree(r.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyValidRecordKeepsTheContract() {
        for (SimRecord r : records) {
            if (r.kind() == SimRecord.Kind.MALFORMED) continue;
            assertThat(oracle.reason(r.feed(), r.value(), r.arrivalMillis())).as(r.key()).isNull();
            JsonNode n = json(r);
            assertThat(n.get(r.feed().idField()).asText()).isEqualTo(r.key());
            String time = n.has("occurredAt") ? n.get("occurredAt").asText() : n.get(r.feed().timeField()).asText();
            assertThat(time).endsWith("+08:00");
            assertThat(OffsetDateTime.parse(time).toInstant().toEpochMilli()).isEqualTo(r.eventTimeMillis());
            assertThat(r.eventTimeMillis()).isLessThanOrEqualTo(r.arrivalMillis());
            assertThat(r.value()).doesNotContain((byte) '\n');
        }
    }

    @Test
    void everyMalformedRecordBreaksTheRuleOfItsKind() {
        Map<MalformedKind, Integer> seen = new EnumMap<>(MalformedKind.class);
        for (SimRecord r : records) {
            if (r.kind() != SimRecord.Kind.MALFORMED) continue;
            String reason = oracle.reason(r.feed(), r.value(), r.arrivalMillis());
            assertThat(reason).as("%s %s: %s", r.malformedKind(), r.key(), new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).isNotNull();
            String expected = switch (r.malformedKind()) {
                case NOT_JSON -> "NOT_JSON";
                case NOT_AN_OBJECT -> "NOT_AN_OBJECT";
                case UNKNOWN_REGION_CODE -> "UNKNOWN_REGION";
                case FUTURE_TIMESTAMP -> "FUTURE";
                default -> "SCHEMA";
            };
            assertThat(reason).as(r.key()).startsWith(expected);
            assertThat(r.value()).doesNotContain((byte) '\n');
            seen.merge(r.malformedKind(), 1, Integer::sum);
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrder(MalformedKind.values());
    }

    @Test
    void ratesAreNearTheConfiguredOnes() {
        long malformed = records.stream().filter(r -> r.kind() == SimRecord.Kind.MALFORMED).count();
        long duplicates = records.stream().filter(r -> r.kind() == SimRecord.Kind.DUPLICATE).count();
        long late = records.stream().filter(SimRecord::late).count();
        assertThat(malformed / (double) N).isBetween(0.008, 0.012);
        assertThat(duplicates / (double) N).isBetween(0.0035, 0.0065);
        assertThat(late / (double) N).isBetween(0.015, 0.025);
        Map<Feed, Long> perFeed = new EnumMap<>(Feed.class);
        records.forEach(r -> perFeed.merge(r.feed(), 1L, Long::sum));
        // over whole days: grid reports lead, then 110 calls, petitions, labour records
        assertThat(perFeed.get(Feed.GRID_REPORT)).isGreaterThan(perFeed.get(Feed.LINKAGE_CALL));
        assertThat(perFeed.get(Feed.LINKAGE_CALL)).isGreaterThan(perFeed.get(Feed.PETITION));
        assertThat(perFeed.get(Feed.PETITION)).isGreaterThan(perFeed.get(Feed.LABOR_INSPECTION));
    }

    @Test
    void duplicatesRepeatAnEarlierRecordByteForByte() {
        Map<String, byte[]> firstSeen = new HashMap<>();
        for (SimRecord r : records) {
            if (r.kind() == SimRecord.Kind.VALID) {
                assertThat(firstSeen.put(r.key(), r.value())).as("ids of valid records are unique").isNull();
            } else if (r.kind() == SimRecord.Kind.DUPLICATE) {
                assertThat(firstSeen.get(r.key())).as(r.key()).isEqualTo(r.value());
            }
        }
    }

    @Test
    void dailyCycleIsQuietAtNight() {
        long[] byHour = new long[24];
        for (SimRecord r : records) byHour[(int) Timestamps.localHour(r.arrivalMillis())]++;
        long night = byHour[2] + byHour[3] + byHour[4];
        long morning = byHour[9] + byHour[10] + byHour[11];
        assertThat(night * 4).isLessThan(morning);
        assertThat(byHour[12]).isLessThan(byHour[10]);
    }

    @Test
    void locationsAreInsideTheRecordsGrid() {
        int checked = 0, callsWithoutGrid = 0;
        for (SimRecord r : records) {
            if (r.kind() == SimRecord.Kind.MALFORMED) continue;
            JsonNode n = json(r);
            JsonNode holder = r.feed() == Feed.LABOR_INSPECTION ? n.get("enterprise") : n;
            if (r.feed() == Feed.LINKAGE_CALL && !n.has("gridCode")) {
                callsWithoutGrid++;
                assertThat(n.has("location")).as(r.key()).isTrue();
                GeoPoint p = point(n.get("location"));
                assertThat(city.regions().gridAt(p).map(Region::code).orElseThrow()).startsWith(n.get("districtCode").asText());
            }
            String grid = holder.path("gridCode").asText(null);
            if (r.feed() == Feed.PETITION && n.get("regionCode").asText().length() == 15) grid = n.get("regionCode").asText();
            if (grid != null && holder.has("location")) {
                assertThat(city.regions().gridAt(point(holder.get("location"))).map(Region::code)).as(r.key()).contains(grid);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(N / 3);
        assertThat(callsWithoutGrid).isGreaterThan(100);
    }

    @Test
    void personalDataIsPlausibleAndCheckDigitsValidExceptTheDeliberateOnes() {
        long flagged = 0, bad = 0;
        Set<String> knownIds = new HashSet<>();
        city.people().forEach(p -> knownIds.add(p.idNumber()));
        for (SimRecord r : records) {
            if (r.kind() != SimRecord.Kind.VALID) continue;
            List<String> ids = new ArrayList<>(), credits = new ArrayList<>();
            collect(json(r), ids, credits);
            boolean anyBad = false;
            for (String id : ids) {
                if (CheckDigits.isValidIdentityNumber(id)) assertThat(knownIds).contains(id);
                else anyBad = true;
                assertThat(id).matches("3399\\d{13}[\\dX]");
            }
            for (String c : credits) {
                if (CheckDigits.isValidCreditCode(c)) assertThat(city.enterprise(c)).isPresent();
                else anyBad = true;
            }
            if (anyBad) bad++;
            if (r.badCheckDigit()) flagged++;
            if (r.scenario() != null) assertThat(anyBad).isFalse();
        }
        assertThat(bad).isEqualTo(flagged).isGreaterThan(20);
    }

    private static void collect(JsonNode n, List<String> ids, List<String> credits) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("idNumber")) ids.add(e.getValue().asText());
                else if (e.getKey().equals("creditCode")) credits.add(e.getValue().asText());
                else if (e.getKey().equals("phone")) assertThat(e.getValue().asText()).matches("1[3-9]\\d{9}");
                else if (e.getKey().equals("name") && !e.getValue().asText().endsWith("公司")) {
                    assertThat(e.getValue().asText().length()).isBetween(2, 16);
                }
                collect(e.getValue(), ids, credits);
            });
        } else if (n.isArray()) {
            n.forEach(x -> collect(x, ids, credits));
        }
    }

    static GeoPoint point(JsonNode loc) {
        return new GeoPoint(loc.get("lat").asDouble(), loc.get("lon").asDouble());
    }
}

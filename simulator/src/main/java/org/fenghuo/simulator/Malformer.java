package org.fenghuo.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.region.RegionLevel;

/** Breaks a valid record in one {@link MalformedKind} way, choosing among plausible real-world variants. */
final class Malformer {
    private static final long DAY = 86_400_000L;
    private static final Map<Feed, List<String>> REQUIRED = Map.of(
            Feed.GRID_REPORT, List.of("reportId", "reportedAt", "gridCode", "reporterId", "category", "severity"),
            Feed.LINKAGE_CALL, List.of("callId", "receivedAt", "callType", "districtCode"),
            Feed.PETITION, List.of("petitionId", "receivedAt", "channel", "petitionerCount", "issueType", "regionCode", "receivingLevel"),
            Feed.LABOR_INSPECTION, List.of("recordId", "recordedAt", "kind", "enterprise", "issue"));
    private static final String LONG_TEXT = "居民反映情况复杂,涉及多方利益,需要多部门联合处置并持续跟踪回访。";

    private Malformer() {}

    static byte[] apply(MalformedKind kind, Draft d, long nowMillis, RandomGenerator rnd) {
        ObjectNode r = d.json().deepCopy();
        return switch (kind) {
            case NOT_JSON -> notJson(d, r, rnd);
            case NOT_AN_OBJECT -> rnd.nextDouble() < 0.75
                    ? bytes(RecordFactory.MAPPER.createArrayNode().add(r))
                    : bytes(RecordFactory.MAPPER.getNodeFactory().textNode(text(r)));
            case MISSING_REQUIRED_FIELD -> {
                List<String> required = REQUIRED.get(d.feed());
                r.remove(required.get(rnd.nextInt(required.size())));
                yield bytes(r);
            }
            case WRONG_TYPE -> bytes(wrongType(d.feed(), r, rnd));
            case UNKNOWN_ENUM_VALUE -> bytes(unknownEnum(d.feed(), r, rnd));
            case NUMBER_OUT_OF_RANGE -> bytes(outOfRange(d.feed(), r, rnd));
            case STRING_TOO_LONG -> bytes(tooLong(d.feed(), r, rnd));
            case PATTERN_MISMATCH -> bytes(patternMismatch(d.feed(), r, rnd));
            case UNKNOWN_REGION_CODE -> bytes(unknownRegion(d.feed(), r, rnd));
            case FUTURE_TIMESTAMP -> {
                // the ingest judges "more than 1 day in the future" by today's clock (DESIGN §2), not by the simulated
                // one: a run that starts in the past (the default start, a history, a replay file) is ingested long
                // after its simulated clock, when days or months ahead of it may be past; a century on is not
                long future = Timestamps.toSecond(centuryLater(nowMillis + 3 * DAY + (long) (rnd.nextDouble() * 397 * DAY)));
                r.put(d.feed().timeField(), Timestamps.format(future));
                r.remove("occurredAt");
                yield bytes(r);
            }
        };
    }

    private static byte[] notJson(Draft d, ObjectNode r, RandomGenerator rnd) {
        String json = text(r);
        String out = switch (rnd.nextInt(4)) {
            // cut off mid-record, as by a producer that crashed or a buffer limit; the closing brace is always lost
            case 0 -> json.substring(0, Math.max(1, (int) (json.length() * (0.3 + 0.6 * rnd.nextDouble()))));
            case 1 -> "<record><id>" + d.id() + "</id><time>" + r.path(d.feed().timeField()).asText() + "</time></record>";
            case 2 -> d.id() + "," + r.path(d.feed().timeField()).asText() + "," + r.path(d.feed().idField()).asText() + ",待核实";
            default -> json.replace('"', '\'');
        };
        return out.getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode wrongType(Feed feed, ObjectNode r, RandomGenerator rnd) {
        int v = rnd.nextInt(3);
        switch (feed) {
            case GRID_REPORT -> {
                if (v == 0) r.put("severity", "较重");
                else if (v == 1) r.put("location", "120.15,30.25");
                else r.putObject("category").put("code", r.path("category").asText("DISPUTE"));
            }
            case LINKAGE_CALL -> {
                if (v == 0) r.put("peopleInvolved", "若干");
                else if (v == 1) r.put("linkedUnits", "辖区派出所");
                else r.put("caller", "张先生 13800000000");
            }
            case PETITION -> {
                if (v == 0) r.put("petitionerCount", "五人");
                else if (v == 1) r.put("isRepeat", "是");
                else r.put("petitioner", "王女士");
            }
            case LABOR_INSPECTION -> {
                if (v == 0) r.put("workersAffected", "三十余人");
                else if (v == 1) r.put("amountOwedCny", "约50万元");
                else r.put("enterprise", r.path("enterprise").path("name").asText("某公司"));
            }
        }
        return r;
    }

    private static ObjectNode unknownEnum(Feed feed, ObjectNode r, RandomGenerator rnd) {
        boolean first = rnd.nextBoolean();
        switch (feed) {
            case GRID_REPORT -> r.put(first ? "category" : "status", first ? "FIRE_ALARM" : "CLOSED");
            case LINKAGE_CALL -> r.put(first ? "callType" : "disposition", first ? "ROBBERY" : "PENDING");
            case PETITION -> {
                int v = rnd.nextInt(3);
                if (v == 0) r.put("channel", "WECHAT");
                else if (v == 1) r.put("issueType", "PENSION");
                else r.put("receivingLevel", "COUNTY");
            }
            case LABOR_INSPECTION -> r.put(first ? "kind" : "issue", first ? "AUDIT" : "DISCRIMINATION");
        }
        return r;
    }

    private static ObjectNode outOfRange(Feed feed, ObjectNode r, RandomGenerator rnd) {
        boolean first = rnd.nextBoolean();
        switch (feed) {
            case GRID_REPORT -> {
                if (first) r.put("severity", rnd.nextBoolean() ? 0 : 5 + rnd.nextInt(5));
                else r.putObject("location").put("lat", 95.5).put("lon", 120.1);
            }
            case LINKAGE_CALL -> {
                if (first) r.put("peopleInvolved", -1 - rnd.nextInt(5));
                else r.putObject("location").put("lat", 30.2).put("lon", 200.3);
            }
            case PETITION -> r.put("petitionerCount", first ? 0 : 100_001 + rnd.nextInt(1000));
            case LABOR_INSPECTION -> {
                if (first) r.put("workersAffected", -1 - rnd.nextInt(5));
                else r.put("amountOwedCny", -1000.0 * (1 + rnd.nextInt(50)));
            }
        }
        return r;
    }

    private static ObjectNode tooLong(Feed feed, ObjectNode r, RandomGenerator rnd) {
        boolean first = rnd.nextBoolean();
        String longText = repeat(4001 + rnd.nextInt(500));
        switch (feed) {
            case GRID_REPORT -> {
                if (first) r.put("description", longText);
                else r.put("address", repeat(257 + rnd.nextInt(100)));
            }
            case LINKAGE_CALL -> {
                if (first) r.put("summary", longText);
                else {
                    ObjectNode caller = r.has("caller") && r.get("caller").isObject() ? (ObjectNode) r.get("caller") : r.putObject("caller");
                    caller.put("name", repeat(65 + rnd.nextInt(30)));
                }
            }
            case PETITION -> {
                if (first) r.put("summary", longText);
                else r.putObject("targetOrg").put("name", repeat(129 + rnd.nextInt(50)));
            }
            case LABOR_INSPECTION -> {
                if (first) r.put("summary", longText);
                else ((ObjectNode) r.get("enterprise")).put("name", repeat(129 + rnd.nextInt(50)));
            }
        }
        return r;
    }

    private static ObjectNode patternMismatch(Feed feed, ObjectNode r, RandomGenerator rnd) {
        boolean first = rnd.nextBoolean();
        switch (feed) {
            case GRID_REPORT -> {
                if (first) r.put("gridCode", r.get("gridCode").asText().substring(0, 14));
                else r.putArray("subjects").addObject().put("type", "ENTERPRISE").put("creditCode", "91339901MA2I0OOO1Z");
            }
            case LINKAGE_CALL -> {
                if (first) r.put("districtCode", r.get("districtCode").asText().substring(0, 5));
                else r.put("gridCode", r.get("districtCode").asText() + "0010010011");
            }
            case PETITION -> {
                if (first) r.put("regionCode", r.get("regionCode").asText() + "0");
                else ((ObjectNode) r.get("petitioner")).put("idNumber", "33990119800101123");
            }
            case LABOR_INSPECTION -> {
                ObjectNode e = (ObjectNode) r.get("enterprise");
                if (first) e.put("creditCode", e.get("creditCode").asText().substring(0, 17));
                else e.put("gridCode", "3399" + "0".repeat(10));
            }
        }
        return r;
    }

    /** Codes of the right shape whose last level does not exist: the demo city numbers its units from 001 up to 012. */
    private static ObjectNode unknownRegion(Feed feed, ObjectNode r, RandomGenerator rnd) {
        String unknownSuffix = "9" + (10 + rnd.nextInt(90));
        switch (feed) {
            case GRID_REPORT -> r.put("gridCode", RegionLevel.COMMUNITY.prefixOf(r.get("gridCode").asText()) + unknownSuffix);
            case LINKAGE_CALL -> {
                if (rnd.nextBoolean()) {
                    r.put("districtCode", "33990" + (6 + rnd.nextInt(4)));
                    r.remove("gridCode");
                } else {
                    r.put("gridCode", r.get("districtCode").asText() + "001001" + unknownSuffix);
                }
            }
            case PETITION -> r.put("regionCode", RegionLevel.DISTRICT.prefixOf(r.get("regionCode").asText()) + unknownSuffix);
            case LABOR_INSPECTION -> {
                ObjectNode e = (ObjectNode) r.get("enterprise");
                e.put("gridCode", e.get("creditCode").asText().substring(2, 8) + "001001" + unknownSuffix);
            }
        }
        return r;
    }

    /** The same local date and time a century later, as with a mistyped year (2126 for 2026). */
    private static long centuryLater(long millis) {
        return Instant.ofEpochMilli(millis).atOffset(Timestamps.CHINA).plusYears(100).toInstant().toEpochMilli();
    }

    private static String repeat(int length) {
        StringBuilder b = new StringBuilder(length + LONG_TEXT.length());
        while (b.length() < length) b.append(LONG_TEXT);
        return b.substring(0, length);
    }

    static String text(JsonNode n) {
        try {
            return RecordFactory.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(JsonNode n) {
        try {
            return RecordFactory.MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

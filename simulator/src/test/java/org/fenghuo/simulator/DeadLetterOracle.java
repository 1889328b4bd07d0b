package org.fenghuo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.region.RegionHierarchy;

/**
 * The dead-letter rules of DESIGN §2 as a test oracle: why a record must be dead-lettered, or null when it must be
 * kept. "In the future" is judged against the simulated clock when the record arrived.
 */
final class DeadLetterOracle {
    private static final ObjectMapper STRICT = new ObjectMapper();
    private static final long DAY = 86_400_000L;

    private final SchemaChecker schemas = new SchemaChecker();
    private final RegionHierarchy regions;

    DeadLetterOracle(RegionHierarchy regions) {
        this.regions = regions;
    }

    String reason(Feed feed, byte[] value, long arrivalMillis) {
        JsonNode n;
        try {
            n = STRICT.readTree(value);
        } catch (Exception e) {
            return "NOT_JSON";
        }
        if (n == null || !n.isObject()) return "NOT_AN_OBJECT";
        List<String> problems = schemas.check(feed, n);
        if (!problems.isEmpty()) return "SCHEMA " + problems;
        for (String code : regionCodes(feed, n)) {
            if (!regions.contains(code)) return "UNKNOWN_REGION " + code;
        }
        for (String field : List.of(feed.timeField(), "occurredAt")) {
            if (n.has(field) && OffsetDateTime.parse(n.get(field).asText()).toInstant().toEpochMilli() > arrivalMillis + DAY) {
                return "FUTURE " + field;
            }
        }
        return null;
    }

    static List<String> regionCodes(Feed feed, JsonNode n) {
        List<String> codes = new ArrayList<>();
        for (String field : List.of("gridCode", "districtCode", "regionCode")) if (n.has(field)) codes.add(n.get(field).asText());
        if (n.path("enterprise").has("gridCode")) codes.add(n.path("enterprise").get("gridCode").asText());
        return codes;
    }
}

package org.fenghuo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.fenghuo.core.feed.Feed;

/**
 * A strict checker for the subset of JSON Schema the feed schemas use (type, required, properties, enum,
 * minimum/maximum, minLength/maxLength, pattern, items/maxItems, $ref, format date-time with an offset).
 * Reads the schemas from shared/feeds when it can find it, else from the copy in the test resources.
 */
final class SchemaChecker {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<Feed, String> FILES = Map.of(
            Feed.GRID_REPORT, "grid-report.schema.json", Feed.LINKAGE_CALL, "linkage-call.schema.json",
            Feed.PETITION, "petition.schema.json", Feed.LABOR_INSPECTION, "labor-inspection.schema.json");

    private final Map<String, JsonNode> schemas = new HashMap<>();
    private final Map<String, Pattern> patterns = new HashMap<>();

    SchemaChecker() {
        for (String file : List.of("common.schema.json", "grid-report.schema.json", "linkage-call.schema.json",
                "petition.schema.json", "labor-inspection.schema.json")) {
            schemas.put(file, load(file));
        }
    }

    /** shared/feeds of the checkout (next to the repository), if present. */
    static Path sharedFeeds() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("feeds");
            if (Files.isRegularFile(candidate.resolve("common.schema.json"))) return candidate;
        }
        return null;
    }

    static JsonNode load(String file) {
        try {
            Path shared = sharedFeeds();
            if (shared != null) return MAPPER.readTree(shared.resolve(file).toFile());
            try (InputStream in = SchemaChecker.class.getResourceAsStream("/feeds/" + file)) {
                return MAPPER.readTree(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything wrong with the record, empty when it is valid. */
    List<String> check(Feed feed, JsonNode record) {
        List<String> problems = new ArrayList<>();
        String file = FILES.get(feed);
        check(file, schemas.get(file), record, "$", problems);
        return problems;
    }

    private void check(String file, JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            int hash = ref.indexOf('#');
            String target = hash == 0 ? file : ref.substring(0, hash);
            JsonNode node = schemas.get(target).at(ref.substring(hash + 1));
            if (node.isMissingNode()) throw new IllegalStateException("unresolved $ref " + ref);
            check(target, node, value, path, problems);
        }
        if (schema.has("type") && !hasType(schema.get("type").asText(), value)) {
            problems.add(path + ": not of type " + schema.get("type").asText() + ": " + value);
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= e.equals(value);
            if (!found) problems.add(path + ": " + value + " not in enum");
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.doubleValue() < schema.get("minimum").doubleValue()) problems.add(path + ": below minimum");
            if (schema.has("maximum") && value.doubleValue() > schema.get("maximum").doubleValue()) problems.add(path + ": above maximum");
        }
        if (value.isTextual()) {
            String s = value.asText();
            int length = s.codePointCount(0, s.length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) problems.add(path + ": too short");
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) problems.add(path + ": longer than " + schema.get("maxLength").asInt());
            if (schema.has("pattern") && !patterns.computeIfAbsent(schema.get("pattern").asText(), Pattern::compile).matcher(s).find()) {
                problems.add(path + ": " + s + " does not match " + schema.get("pattern").asText());
            }
            if ("date-time".equals(schema.path("format").asText())) {
                try {
                    OffsetDateTime.parse(s);
                } catch (DateTimeParseException e) {
                    problems.add(path + ": not an ISO-8601 date-time with offset: " + s);
                }
            }
        }
        if (value.isObject()) {
            for (JsonNode req : schema.path("required")) {
                if (!value.has(req.asText())) problems.add(path + ": missing required " + req.asText());
            }
            JsonNode props = schema.path("properties");
            value.fields().forEachRemaining(e -> {
                if (props.has(e.getKey())) check(file, props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), problems);
            });
        }
        if (value.isArray()) {
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) problems.add(path + ": too many items");
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) check(file, schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static boolean hasType(String type, JsonNode v) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            default -> throw new IllegalStateException("type " + type);
        };
    }
}

package org.fenghuo.core.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.fenghuo.core.json.Json;

/**
 * Checks a JSON document against the feed schemas of {@code shared/feeds} (a copy ships as a resource, kept identical
 * by a test). It understands exactly the JSON-Schema keywords those files use and refuses to load a schema with any
 * other keyword, so that a feed contract that grows a new constraint cannot be silently ignored.
 *
 * <p>Returns the first violation in a stable order (required fields, then properties in schema order), phrased for
 * a person: {@code missing field reporterId}, {@code unknown category RIOT}, {@code severity 7 out of range (1..4)}.
 */
public final class JsonSchemaChecker {
    private static final Set<String> KNOWN_KEYWORDS = Set.of("$schema", "$id", "$defs", "$ref", "title", "description",
            "type", "required", "properties", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern", "format",
            "items", "maxItems");
    /** Fields whose values may be personal data or free text: their values never appear in a reason. */
    private static final Set<String> SENSITIVE = Set.of("name", "phone", "idNumber", "address", "summary", "description");
    private static final String RESOURCE_DIR = "/org/fenghuo/core/feed/schemas/";

    private final Map<String, JsonNode> documents;
    private final JsonNode root;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    private JsonSchemaChecker(Map<String, JsonNode> documents, String rootId) {
        this.documents = documents;
        this.root = documents.get(rootId);
        if (root == null) throw new IllegalArgumentException("no schema " + rootId);
        documents.forEach((id, doc) -> checkKeywords(id, doc, ""));
    }

    /** Loads one of the shipped feed schemas (e.g. {@code petition.schema.json}) together with the common definitions. */
    public static JsonSchemaChecker forResource(String schemaFile) {
        Map<String, JsonNode> docs = new HashMap<>();
        for (String name : new String[] {"common.schema.json", schemaFile}) {
            try (InputStream in = JsonSchemaChecker.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) throw new IllegalStateException("schema resource missing: " + RESOURCE_DIR + name);
                docs.put(name, Json.mapper().readTree(in));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read schema " + name + ": " + e.getMessage(), e);
            }
        }
        return new JsonSchemaChecker(docs, schemaFile);
    }

    public Optional<Violation> check(JsonNode value) {
        return check(root, root, value, "");
    }

    private void checkKeywords(String docId, JsonNode schema, String at) {
        if (!schema.isObject()) return;
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN_KEYWORDS.contains(k)) {
                throw new IllegalStateException("schema " + docId + " uses unsupported keyword '" + k + "' at " + (at.isEmpty() ? "/" : at));
            }
        }
        if (schema.has("properties")) schema.get("properties").fields().forEachRemaining(e -> checkKeywords(docId, e.getValue(), at + "/properties/" + e.getKey()));
        if (schema.has("$defs")) schema.get("$defs").fields().forEachRemaining(e -> checkKeywords(docId, e.getValue(), at + "/$defs/" + e.getKey()));
        if (schema.has("items")) checkKeywords(docId, schema.get("items"), at + "/items");
    }

    /** @param doc the document the schema node belongs to, for resolving local {@code #/$defs/..} references */
    private Optional<Violation> check(JsonNode doc, JsonNode schema, JsonNode value, String path) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            int hash = ref.indexOf('#');
            JsonNode targetDoc = hash == 0 ? doc : documents.get(ref.substring(0, hash < 0 ? ref.length() : hash));
            if (targetDoc == null) throw new IllegalStateException("unresolvable $ref " + ref);
            JsonNode target = hash < 0 ? targetDoc : targetDoc.at(ref.substring(hash + 1));
            if (target.isMissingNode()) throw new IllegalStateException("unresolvable $ref " + ref);
            Optional<Violation> v = check(targetDoc, target, value, path);
            if (v.isPresent()) return v;
        }
        String field = path.isEmpty() ? "record" : path;
        if (schema.has("type")) {
            String type = schema.get("type").asText();
            if (!hasType(value, type)) {
                if (path.isEmpty()) return Optional.of(new Violation(null, "record is not a JSON " + type + " (got " + describe(value) + ")"));
                return Optional.of(new Violation(path, "wrong type for " + field + ": expected " + type + ", got " + describe(value)));
            }
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) if (option.equals(value)) { found = true; break; }
            if (!found) {
                if (!value.isTextual()) return Optional.of(new Violation(path, "wrong type for " + field + ": expected one of " + schema.get("enum") + ", got " + describe(value)));
                return Optional.of(new Violation(path, "unknown " + field + " " + shown(path, value.asText()) + " (expected one of " + enumList(schema.get("enum")) + ")"));
            }
        }
        if (value.isNumber()) {
            if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
                return Optional.of(new Violation(path, field + " is not a finite number"));
            }
            if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0
                    || schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
                return Optional.of(new Violation(path, field + " " + value.asText() + " out of range (" + range(schema) + ")"));
            }
        }
        if (value.isTextual()) {
            String s = value.asText();
            int length = s.codePointCount(0, s.length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                return Optional.of(new Violation(path, length == 0 ? field + " is empty" : field + " too short (" + length + " < " + schema.get("minLength").asInt() + " characters)"));
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                return Optional.of(new Violation(path, field + " too long (" + length + " > " + schema.get("maxLength").asInt() + " characters)"));
            }
            if (schema.has("pattern")) {
                String p = schema.get("pattern").asText();
                if (!patterns.computeIfAbsent(p, JsonSchemaChecker::compileEcma).matcher(s).find()) {
                    return Optional.of(new Violation(path, field + " " + shown(path, s) + " does not match " + p));
                }
            }
            if (schema.has("format") && "date-time".equals(schema.get("format").asText())) {
                try {
                    OffsetDateTime.parse(s);
                } catch (DateTimeParseException e) {
                    return Optional.of(new Violation(path, field + " " + shown(path, s) + " is not an ISO-8601 timestamp with offset (e.g. 2026-03-05T09:30:00+08:00)"));
                }
            }
        }
        if (value.isObject()) {
            if (schema.has("required")) {
                for (JsonNode r : schema.get("required")) {
                    JsonNode v = value.get(r.asText());
                    if (v == null) return Optional.of(new Violation(join(path, r.asText()), "missing field " + join(path, r.asText())));
                    if (v.isNull()) return Optional.of(new Violation(join(path, r.asText()), "missing field " + join(path, r.asText()) + " (null)"));
                }
            }
            if (schema.has("properties")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    JsonNode v = value.get(p.getKey());
                    // an optional field sent as null is treated as absent: feeds built from SQL rows do that
                    if (v == null || v.isNull()) continue;
                    Optional<Violation> violation = check(doc, p.getValue(), v, join(path, p.getKey()));
                    if (violation.isPresent()) return violation;
                }
            }
        }
        if (value.isArray()) {
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                return Optional.of(new Violation(path, field + " has too many items (" + value.size() + " > " + schema.get("maxItems").asInt() + ")"));
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    Optional<Violation> violation = check(doc, schema.get("items"), value.get(i), path + "[" + i + "]");
                    if (violation.isPresent()) return violation;
                }
            }
        }
        return Optional.empty();
    }

    /** In JSON Schema (ECMA-262) a trailing {@code $} matches only at the very end; in Java it also matches before a final newline. */
    static Pattern compileEcma(String pattern) {
        if (pattern.endsWith("$") && !pattern.endsWith("\\$")) pattern = pattern.substring(0, pattern.length() - 1) + "\\z";
        return Pattern.compile(pattern);
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "boolean" -> v.isBoolean();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.canConvertToExactIntegral();
            case "null" -> v.isNull();
            default -> throw new IllegalStateException("unsupported schema type " + type);
        };
    }

    private static String describe(JsonNode v) {
        JsonNodeType t = v.getNodeType();
        return switch (t) {
            case STRING -> "string";
            case NUMBER -> v.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
            case NULL -> "null";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String shown(String path, String value) {
        String last = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        if (last.contains("[")) last = last.substring(0, last.indexOf('['));
        if (SENSITIVE.contains(last)) return "(value withheld)";
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }

    private static String enumList(JsonNode options) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode o : options) sb.append(sb.length() == 0 ? "" : ", ").append(o.asText());
        return sb.toString();
    }

    private static String range(JsonNode schema) {
        String min = schema.has("minimum") ? schema.get("minimum").asText() : "";
        String max = schema.has("maximum") ? schema.get("maximum").asText() : "";
        return min + ".." + max;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}

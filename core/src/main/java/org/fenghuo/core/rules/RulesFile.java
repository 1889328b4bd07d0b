package org.fenghuo.core.rules;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and writes rules files (format: {@code docs/rules.md}). A file is YAML when its name ends in {@code .yaml} or
 * {@code .yml} and JSON otherwise (and always JSON when it starts with <code>{</code>).
 *
 * <p>Reading is strict, unlike the feeds: an unknown field, a value of the wrong type, a bad duration, or a rule that
 * breaks {@link RuleValidator} is a {@link RulesFileException} that lists every problem found, one per line, with
 * the file, the rule, the field and the reason, e.g.
 * {@code rules.yaml: rule 'petition.repeat': levels[1].atLeast: must be a positive number, got -3}. A rule that
 * cannot be read at all (wrong type, unknown field) is reported once, with the line; the other rules are still read
 * and checked, so one run shows every mistake.
 *
 * <p>Durations are ISO-8601 ({@code PT2H}, {@code PT24H}, {@code P7D}); they are written back in days when whole
 * ({@code P7D} rather than {@code PT168H}).
 */
public final class RulesFile {
    private RulesFile() {}

    /** The classpath resource of the default rules (DESIGN §6). */
    public static final String DEFAULT_RESOURCE = "/org/fenghuo/core/rules/default-rules.yaml";

    private static final String DURATION_HELP =
            "must be an ISO-8601 duration such as PT30M, PT24H or P7D (days at most: no months or years)";

    private static final ObjectMapper JSON = configure(JsonMapper.builder());
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build()));

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M configure(B builder) {
        SimpleModule durations = new SimpleModule("fenghuo-rules-durations");
        durations.addSerializer(Duration.class, new DurationSerializer());
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        durations.addSerializer(Double.class, new WholeNumberSerializer()); // atLeast: 5, not 5.0
        return builder
                .addModule(new JavaTimeModule())
                .addModule(durations) // after JavaTimeModule: ours wins
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // typos in rules must not pass silently
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // minCount: 5.5 is a mistake, not 5
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // feed: petition is read as feed: [petition]
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    // ---------------------------------------------------------------------------------------------------- reading

    /** Reads and validates a rules file. */
    public static RuleSet load(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RulesFileException(file.toString(), List.of(new RuleProblem(null, null, "cannot read: no such file")), e);
        } catch (IOException e) {
            throw new RulesFileException(file.toString(), List.of(new RuleProblem(null, null, "cannot read: " + e)), e);
        }
        return parse(content, file.toString());
    }

    /** The rules shipped with the project (DESIGN §6), from {@link #DEFAULT_RESOURCE}. */
    public static RuleSet defaults() {
        return parse(defaultBytes(), "default-rules.yaml");
    }

    /** The text of the default rules file, e.g. to write it out as a starting point. */
    public static byte[] defaultBytes() {
        try (InputStream in = RulesFile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource missing: " + DEFAULT_RESOURCE);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * Parses and validates rules.
     *
     * @param sourceName the file name, used to pick the format and in messages
     * @throws RulesFileException listing every problem found
     */
    public static RuleSet parse(byte[] content, String sourceName) {
        String source = sourceName == null || sourceName.isBlank() ? "rules" : sourceName;
        if (content == null || isBlank(content)) throw fail(source, null, "the file is empty", null);
        boolean yaml = isYaml(content, source);
        ObjectMapper mapper = yaml ? YAML : JSON;

        JsonNode tree;
        try {
            tree = mapper.readTree(content);
        } catch (IOException e) {
            throw fail(source, null, (yaml ? "YAML" : "JSON") + " syntax error: " + syntaxMessage(originalMessage(e)) + at(e), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) throw fail(source, null, "the file is empty", null);
        if (!tree.isObject()) {
            throw fail(source, null, "must be an object with 'version' and 'rules', got " + nodeKind(tree), null);
        }

        List<RuleProblem> problems = new ArrayList<>();
        Integer version = null;
        List<Rule> rules = new ArrayList<>();
        Map<Integer, RuleProblem> unreadable = new HashMap<>();
        Map<String, JsonLocation> locations = null; // built on the first unreadable rule
        // values are read one by one from the stream: the rest of the file is not "trailing tokens"
        ObjectReader ruleReader = mapper.readerFor(Rule.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        ObjectReader versionReader = mapper.readerFor(Integer.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser p = mapper.createParser(content)) {
            p.nextToken(); // START_OBJECT, as the tree showed
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "version" -> {
                        int depth = containerDepth(p);
                        try {
                            version = versionReader.readValue(p);
                        } catch (JsonProcessingException e) {
                            problems.add(new RuleProblem(null, "version", reason(e) + at(e)));
                            skipTo(p, depth);
                        }
                    }
                    case "rules" -> {
                        if (t == JsonToken.VALUE_NULL) continue;
                        if (t != JsonToken.START_ARRAY) {
                            problems.add(new RuleProblem(null, "rules", "must be a list of rules, got " + tokenKind(p)
                                    + at(p.currentLocation())));
                            p.skipChildren();
                            continue;
                        }
                        int index = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            int i = index++;
                            int depth = containerDepth(p);
                            try {
                                rules.add(ruleReader.readValue(p));
                            } catch (JsonProcessingException e) {
                                rules.add(null);
                                if (locations == null) locations = locations(mapper, content);
                                unreadable.put(i, readProblem(tree, i, e, locations));
                                skipTo(p, depth);
                            }
                        }
                    }
                    default -> {
                        problems.add(new RuleProblem(null, name, "unknown field: a rules file has only 'version' and 'rules'"
                                + at(p.currentLocation())));
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // the tree was read, so this should not happen; report it rather than lose it
            problems.add(new RuleProblem(null, null, "cannot read: " + firstLine(originalMessage(e)) + at(e)));
        }

        problems.addAll(RuleValidator.validateRules(version, rules, unreadable));
        if (!problems.isEmpty()) throw new RulesFileException(source, problems);
        return new RuleSet(version, rules);
    }

    // ---------------------------------------------------------------------------------------------------- writing

    /** The rule set as pretty-printed JSON (the format of {@code control.rules} payloads and of {@code .json} files). */
    public static byte[] toJson(RuleSet rules) {
        return write(JSON, rules);
    }

    /** The rule set as YAML (without comments). */
    public static byte[] toYaml(RuleSet rules) {
        return write(YAML, rules);
    }

    /** {@code P7D} for whole days, else ISO-8601 as {@link Duration#toString()} ({@code PT2H}, {@code PT30M}). */
    public static String formatDuration(Duration d) {
        if (d.getNano() == 0 && d.getSeconds() > 0 && d.getSeconds() % 86_400 == 0) return "P" + d.toDays() + "D";
        return d.toString();
    }

    private static byte[] write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write rules: " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static boolean isYaml(byte[] content, String source) {
        for (int i = startOfText(content); i < content.length; i++) {
            byte b = content[i];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
            if (b == '{') return false;
            break;
        }
        String name = source.toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static int startOfText(byte[] content) {
        return content.length >= 3 && (content[0] & 0xff) == 0xEF && (content[1] & 0xff) == 0xBB && (content[2] & 0xff) == 0xBF ? 3 : 0;
    }

    private static boolean isBlank(byte[] content) {
        for (int i = startOfText(content); i < content.length; i++) {
            byte b = content[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') return false;
        }
        return true;
    }

    private static RulesFileException fail(String source, String field, String reason, Throwable cause) {
        return new RulesFileException(source, List.of(new RuleProblem(null, field, reason)), cause);
    }

    /** A rule that could not be read: named by its id when the tree has one, else by its index. */
    private static RuleProblem readProblem(JsonNode tree, int index, JsonProcessingException e,
                                           Map<String, JsonLocation> locations) {
        JsonNode idNode = tree.path("rules").path(index).path("id");
        String id = idNode.isTextual() && !idNode.asText().isBlank() ? idNode.asText() : null;
        List<JsonMappingException.Reference> refs = e instanceof JsonMappingException m ? m.getPath() : List.of();
        String path = path(refs);
        String field = id != null ? (path.isEmpty() ? null : path)
                : "rules[" + index + "]" + (path.isEmpty() ? "" : (path.startsWith("[") ? path : "." + path));
        return new RuleProblem(id, field, reason(e) + at(locate(locations, index, refs, e.getLocation())));
    }

    /**
     * Where the value a reference path names starts in the file. Jackson's own location is where the parser stood
     * when it gave up, which for records (read in full before they are built) can be the end of the rule.
     */
    private static JsonLocation locate(Map<String, JsonLocation> locations, int index,
                                       List<JsonMappingException.Reference> refs, JsonLocation fallback) {
        List<String> segments = new ArrayList<>();
        segments.add("rules");
        segments.add(Integer.toString(index));
        for (JsonMappingException.Reference r : refs) {
            segments.add(r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()));
        }
        for (int n = segments.size(); n > 2; n--) {
            JsonLocation loc = locations.get("/" + String.join("/", segments.subList(0, n)));
            if (loc != null) return loc;
        }
        return fallback;
    }

    /** JSON pointer (unescaped) of every field and array element → where it starts. */
    private static Map<String, JsonLocation> locations(ObjectMapper mapper, byte[] content) {
        Map<String, JsonLocation> map = new HashMap<>();
        try (JsonParser p = mapper.createParser(content)) {
            List<String> stack = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonStreamContext ctx = p.getParsingContext();
                if (t == JsonToken.FIELD_NAME) {
                    map.putIfAbsent(pointer(ctx), p.currentTokenLocation());
                } else if (t.isStructStart() || t.isScalarValue()) {
                    JsonStreamContext holder = t.isStructStart() ? ctx.getParent() : ctx;
                    if (holder != null && holder.inArray()) {
                        map.putIfAbsent(pointer(holder) + "/" + holder.getCurrentIndex(), p.currentTokenLocation());
                    }
                }
            }
        } catch (IOException e) {
            // the tree was read without error, so the file is well-formed; keep what was found
        }
        return map;
    }

    /** {@code /rules/2/levels/1/atLeast} for the context's current position. */
    private static String pointer(JsonStreamContext ctx) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) parts.add(c.getCurrentName() == null ? "" : c.getCurrentName());
            else if (c.inArray()) parts.add(Integer.toString(Math.max(0, c.getCurrentIndex())));
        }
        java.util.Collections.reverse(parts);
        return "/" + String.join("/", parts);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** What is wrong, in words a rule author understands (no class names, no stack trace). */
    static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'" + allowedFields(u.getReferringClass(), u.getKnownPropertyIds());
        }
        if (e instanceof InvalidFormatException f) {
            Class<?> t = f.getTargetType();
            if (t == Duration.class) return f.getOriginalMessage();
            Object v = f.getValue();
            String got = v == null || v.toString().isBlank() ? "an empty value" : "'" + v + "'";
            if (t != null && t.isEnum()) return "must be one of " + enumNames(t) + ", got " + got;
            return "must be " + describeType(t) + ", got " + got;
        }
        if (e instanceof MismatchedInputException m) {
            Class<?> t = m.getTargetType();
            if (t == Duration.class && m.getOriginalMessage() != null && m.getOriginalMessage().startsWith("must be")) {
                return m.getOriginalMessage();
            }
            String got = m.getProcessor() instanceof JsonParser p ? tokenKind(p) : null;
            return "must be " + describeType(t) + (got == null ? "" : ", got " + got);
        }
        if (e instanceof JsonMappingException) return firstLine(e.getOriginalMessage());
        return "syntax error: " + firstLine(e.getOriginalMessage());
    }

    private static String allowedFields(Class<?> type, Collection<Object> known) {
        List<String> names;
        if (type != null && type.isRecord()) {
            names = Arrays.stream(type.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName).toList();
        } else if (known != null) {
            names = known.stream().map(String::valueOf).sorted().toList();
        } else {
            return "";
        }
        return "; allowed here: " + String.join(", ", names);
    }

    private static String describeType(Class<?> t) {
        if (t == null) return "a different kind of value";
        if (t == Duration.class) return "an ISO-8601 duration such as PT24H or P7D";
        if (t == String.class) return "text";
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "a whole number";
        if (Number.class.isAssignableFrom(t) || t == double.class) return "a number";
        if (t == Boolean.class || t == boolean.class) return "true or false";
        if (t.isEnum()) return "one of " + enumNames(t);
        if (Collection.class.isAssignableFrom(t) || t.isArray()) return "a list";
        if (Map.class.isAssignableFrom(t)) return "a mapping of names to values";
        if (t.isRecord()) {
            return "an object with fields " + Arrays.stream(t.getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getName).collect(Collectors.joining(", "));
        }
        return "a " + t.getSimpleName();
    }

    private static String enumNames(Class<?> t) {
        return Arrays.stream(t.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", "));
    }

    private static String tokenKind(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == null) return null;
        try {
            return switch (t) {
                case START_OBJECT, END_OBJECT -> "an object";
                case START_ARRAY, END_ARRAY -> "a list";
                case VALUE_STRING -> p.getText().isBlank() ? "an empty value" : "'" + p.getText() + "'";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> "nothing (null)";
                case FIELD_NAME -> "field '" + p.currentName() + "'";
                default -> t.asString() == null ? t.name() : t.asString();
            };
        } catch (IOException e) {
            return t.name();
        }
    }

    private static String nodeKind(JsonNode n) {
        if (n.isArray()) return "a list";
        if (n.isTextual()) return "text '" + firstLine(n.asText()) + "'";
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String at(JsonProcessingException e) {
        return at(e.getLocation());
    }

    private static String at(IOException e) {
        return e instanceof JsonProcessingException j ? at(j) : "";
    }

    private static String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() <= 0) return "";
        return " (line " + loc.getLineNr() + (loc.getColumnNr() > 0 ? ", column " + loc.getColumnNr() : "") + ")";
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
    }

    /** SnakeYAML's messages quote the text with carets on extra lines: keep the sentences, drop the pictures. */
    private static String syntaxMessage(String s) {
        if (s == null) return "";
        return Arrays.stream(s.split("\\R"))
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::trim)
                .collect(Collectors.joining("; "));
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    /** The depth of the structure holding the value at the current token. */
    private static int containerDepth(JsonParser p) {
        int depth = depth(p.getParsingContext());
        JsonToken t = p.currentToken();
        return t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? depth - 1 : depth;
    }

    /** After a failed read: moves to the last token of the value, so that the next token is the next value. */
    private static void skipTo(JsonParser p, int containerDepth) throws IOException {
        while (depth(p.getParsingContext()) > containerDepth) {
            if (p.nextToken() == null) return;
        }
    }

    private static int depth(JsonStreamContext ctx) {
        int d = 0;
        for (JsonStreamContext c = ctx; c != null; c = c.getParent()) d++;
        return d;
    }

    // ---------------------------------------------------------------------------------------------------- durations

    /** ISO-8601 text only: a bare number would be ambiguous (seconds? hours?). */
    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() { super(Duration.class); }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                String text = p.getText().trim();
                try {
                    return Duration.parse(text);
                } catch (DateTimeParseException e) {
                    throw InvalidFormatException.from(p, DURATION_HELP + ", got '" + text + "'", text, Duration.class);
                }
            }
            throw MismatchedInputException.from(p, Duration.class, DURATION_HELP + ", got " + tokenKind(p));
        }
    }

    private static final class WholeNumberSerializer extends StdSerializer<Double> {
        WholeNumberSerializer() { super(Double.class); }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double v = value;
            if (v == Math.rint(v) && Math.abs(v) < 1e15) gen.writeNumber((long) v);
            else gen.writeNumber(v);
        }
    }

    private static final class DurationSerializer extends StdSerializer<Duration> {
        DurationSerializer() { super(Duration.class); }

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(formatDuration(value));
        }
    }
}

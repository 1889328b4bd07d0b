package org.fenghuo.core.rules;

import org.fenghuo.core.model.EventDetails;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.normalize.FeedNormalizer;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * The fields of a {@link NormalizedEvent} that a {@link FieldCondition} may name, each with a direct accessor (no
 * reflection, no path splitting when an event is tested) and its type:
 *
 * <table>
 *   <caption>filter fields</caption>
 *   <tr><th>path</th><th>type</th><th>values</th></tr>
 *   <tr><td>{@code severity}</td><td>number</td><td>1 … 4</td></tr>
 *   <tr><td>{@code peopleCount}</td><td>number</td><td>people involved / petitioners / workers</td></tr>
 *   <tr><td>{@code region.district|street|community|grid}</td><td>text</td><td>6 / 9 / 12 / 15 digit codes</td></tr>
 *   <tr><td>{@code flags}</td><td>list of text</td><td>data-quality flags; {@code in} holds when any flag is listed</td></tr>
 *   <tr><td>{@code details.channel}</td><td>text</td><td>petition channel</td></tr>
 *   <tr><td>{@code details.kind}</td><td>text</td><td>labour record kind</td></tr>
 *   <tr><td>{@code details.receivingLevel}</td><td>text</td><td>STREET … NATIONAL (above DISTRICT is 越级)</td></tr>
 *   <tr><td>{@code details.disposition}</td><td>text</td><td>110 call disposition</td></tr>
 *   <tr><td>{@code details.status}</td><td>text</td><td>grid report status</td></tr>
 *   <tr><td>{@code details.petitionerCount}</td><td>number</td><td></td></tr>
 *   <tr><td>{@code details.workersAffected}</td><td>number</td><td></td></tr>
 *   <tr><td>{@code details.amountOwedCny}</td><td>number</td><td></td></tr>
 *   <tr><td>{@code details.isRepeat}</td><td>true/false</td><td>{@code in: [true]}</td></tr>
 * </table>
 */
public final class EventFields {
    private EventFields() {}

    public enum Type {
        /** compared with {@code in} */
        STRING,
        /** compared with {@code gte}, {@code gt}, {@code lte}, {@code lt} */
        NUMBER,
        /** compared with {@code in: [true]} or {@code in: [false]} */
        BOOLEAN,
        /** a list of text values: {@code in} holds when any of them is listed; empty counts as missing */
        STRING_LIST
    }

    /** One filterable field. Enum constants, so a compiled predicate that holds one stays serialisable. */
    public enum Field {
        SEVERITY("severity", e -> e.severity()),
        PEOPLE_COUNT("peopleCount", e -> num(e.peopleCount())),
        REGION_DISTRICT("region.district", e -> region(e).district(), Set.of(), "[0-9]{6}"),
        REGION_STREET("region.street", e -> region(e).street(), Set.of(), "[0-9]{9}"),
        REGION_COMMUNITY("region.community", e -> region(e).community(), Set.of(), "[0-9]{12}"),
        REGION_GRID("region.grid", e -> region(e).grid(), Set.of(), "[0-9]{15}"),
        FLAGS("flags", Set.of(FeedNormalizer.FLAG_UNVERIFIED_ID, FeedNormalizer.FLAG_UNVERIFIED_CREDIT_CODE,
                FeedNormalizer.FLAG_GRID_FROM_LOCATION, FeedNormalizer.FLAG_LOCATION_FROM_REGION,
                FeedNormalizer.FLAG_LOCATION_OUTSIDE_REGION, FeedNormalizer.FLAG_GRID_OUTSIDE_DISTRICT)),
        CHANNEL("details.channel", e -> details(e).channel(), FeedVocabulary.PETITION_CHANNELS, null),
        KIND("details.kind", e -> details(e).kind(), FeedVocabulary.LABOR_KINDS, null),
        RECEIVING_LEVEL("details.receivingLevel", e -> details(e).receivingLevel(), FeedVocabulary.RECEIVING_LEVELS, null),
        DISPOSITION("details.disposition", e -> details(e).disposition(), FeedVocabulary.DISPOSITIONS, null),
        STATUS("details.status", e -> details(e).status(), FeedVocabulary.GRID_STATUSES, null),
        PETITIONER_COUNT("details.petitionerCount", e -> num(details(e).petitionerCount())),
        WORKERS_AFFECTED("details.workersAffected", e -> num(details(e).workersAffected())),
        AMOUNT_OWED_CNY("details.amountOwedCny", e -> num(details(e).amountOwedCny())),
        IS_REPEAT("details.isRepeat", Type.BOOLEAN, e -> details(e).isRepeat());

        private final String path;
        private final Type type;
        private final Function<NormalizedEvent, String> text;
        private final ToDoubleFunction<NormalizedEvent> number;
        private final Function<NormalizedEvent, Boolean> bool;
        private final Set<String> knownValues;
        private final Pattern pattern;

        /** A number field: the accessor returns NaN when the event does not carry it. */
        Field(String path, ToDoubleFunction<NormalizedEvent> number) {
            this(path, Type.NUMBER, null, number, null, Set.of(), null);
        }

        /** A text field, optionally with a closed set of values or a pattern. */
        Field(String path, Function<NormalizedEvent, String> text, Set<String> knownValues, String pattern) {
            this(path, Type.STRING, text, null, null, knownValues, pattern);
        }

        /** The flags. */
        Field(String path, Set<String> knownValues) {
            this(path, Type.STRING_LIST, null, null, null, knownValues, null);
        }

        Field(String path, Type type, Function<NormalizedEvent, Boolean> bool) {
            this(path, type, null, null, bool, Set.of("true", "false"), null);
        }

        Field(String path, Type type, Function<NormalizedEvent, String> text, ToDoubleFunction<NormalizedEvent> number,
              Function<NormalizedEvent, Boolean> bool, Set<String> knownValues, String pattern) {
            this.path = path;
            this.type = type;
            this.text = text;
            this.number = number;
            this.bool = bool;
            this.knownValues = knownValues;
            this.pattern = pattern == null ? null : Pattern.compile(pattern);
        }

        /** As written in a rule, e.g. {@code details.petitionerCount}. */
        public String path() { return path; }

        public Type type() { return type; }

        /** The values {@code in} may list; empty when any value is allowed. */
        public Set<String> knownValues() { return knownValues; }

        /** The pattern every value listed in {@code in} must match, or null. */
        public Pattern valuePattern() { return pattern; }

        /** STRING fields: the value, or null when missing. */
        public String text(NormalizedEvent e) {
            if (type != Type.STRING) throw new IllegalStateException(path + " is not a text field");
            return text.apply(e);
        }

        /** NUMBER fields: the value, or NaN when missing. */
        public double number(NormalizedEvent e) {
            if (type != Type.NUMBER) throw new IllegalStateException(path + " is not a number field");
            return number.applyAsDouble(e);
        }

        /** BOOLEAN fields: the value, or null when missing. */
        public Boolean bool(NormalizedEvent e) {
            if (type != Type.BOOLEAN) throw new IllegalStateException(path + " is not a true/false field");
            return bool.apply(e);
        }

        /** STRING_LIST fields: the values, or null / empty when missing. */
        public List<String> list(NormalizedEvent e) {
            if (type != Type.STRING_LIST) throw new IllegalStateException(path + " is not a list field");
            return e.flags();
        }

        /** The value as an object (String, Double, Boolean or List), or null when the event does not carry it. */
        public Object value(NormalizedEvent e) {
            return switch (type) {
                case STRING -> text(e);
                case NUMBER -> {
                    double v = number(e);
                    yield Double.isNaN(v) ? null : v;
                }
                case BOOLEAN -> bool(e);
                case STRING_LIST -> {
                    List<String> l = list(e);
                    yield l == null || l.isEmpty() ? null : l;
                }
            };
        }

        /** Whether the event carries the field. */
        public boolean isPresent(NormalizedEvent e) { return value(e) != null; }
    }

    private static final Map<String, Field> BY_PATH;

    static {
        Map<String, Field> m = new LinkedHashMap<>();
        for (Field f : Field.values()) m.put(f.path, f);
        BY_PATH = Collections.unmodifiableMap(m);
    }

    /** The field with this path, e.g. {@code details.receivingLevel}. */
    public static Optional<Field> find(String path) {
        return path == null ? Optional.empty() : Optional.ofNullable(BY_PATH.get(path));
    }

    /** Every field path, in the order of the table above. */
    public static List<String> paths() { return List.copyOf(BY_PATH.keySet()); }

    /** The paths of the number fields (for SUM / MAX and numeric bounds). */
    public static List<String> numberPaths() {
        return Arrays.stream(Field.values()).filter(f -> f.type == Type.NUMBER).map(Field::path).toList();
    }

    private static final EventRegion NO_REGION = EventRegion.UNKNOWN;

    private static EventRegion region(NormalizedEvent e) {
        EventRegion r = e.region();
        return r == null ? NO_REGION : r;
    }

    private static EventDetails details(NormalizedEvent e) {
        EventDetails d = e.details();
        return d == null ? EventDetails.EMPTY : d;
    }

    private static double num(Number n) {
        return n == null ? Double.NaN : n.doubleValue();
    }
}

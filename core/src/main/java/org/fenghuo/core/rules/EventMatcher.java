package org.fenghuo.core.rules;

import org.fenghuo.core.model.NormalizedEvent;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Compiles a {@link Match} into a predicate on normalised events. The work is done once, at compile time (sets built,
 * field paths resolved to accessors); testing an event is a few set look-ups and comparisons. The predicates are
 * {@link Serializable} (they hold only strings, numbers, sets and enum constants), but compiling is cheap, so an
 * operator may just as well compile its rules when it opens and when they change, and cache the result.
 *
 * <p>Semantics (docs/rules.md): every part of a match that is given must hold; {@code feed}, {@code category} and
 * {@code subcategory} hold when the event's value is listed; each {@code where} condition must hold; {@code anyOf}
 * holds when at least one of its matches does. A {@code null} or empty match holds for every event.
 *
 * <p>Compile only validated matches ({@link RuleValidator}): an unknown field or a bound of the wrong type is an
 * {@link IllegalArgumentException} here.
 */
public final class EventMatcher {
    private EventMatcher() {}

    /** A compiled, serialisable filter. */
    @FunctionalInterface
    public interface EventPredicate extends Predicate<NormalizedEvent>, Serializable {}

    /** Holds for every event. */
    public static final EventPredicate ALL = new All();

    /** The predicate of {@code match}; {@link #ALL} for null or an empty match. */
    public static EventPredicate compile(Match match) {
        if (match == null) return ALL;
        List<EventPredicate> parts = new ArrayList<>();
        if (match.feed() != null) parts.add(new FeedIn(set(match.feed())));
        if (match.category() != null) parts.add(new CategoryIn(set(match.category())));
        if (match.subcategory() != null) parts.add(new SubcategoryIn(set(match.subcategory())));
        if (match.where() != null) {
            for (FieldCondition c : match.where()) parts.add(condition(c));
        }
        if (match.anyOf() != null) {
            List<EventPredicate> alternatives = new ArrayList<>();
            for (Match m : match.anyOf()) alternatives.add(compile(m));
            parts.add(alternatives.size() == 1 ? alternatives.get(0) : new AnyOf(alternatives.toArray(EventPredicate[]::new)));
        }
        if (parts.isEmpty()) return ALL;
        if (parts.size() == 1) return parts.get(0);
        return new AllOf(parts.toArray(EventPredicate[]::new));
    }

    /** Convenience: whether {@code event} matches {@code match} (compiles every call: not for hot paths). */
    public static boolean matches(Match match, NormalizedEvent event) {
        return compile(match).test(event);
    }

    /** The predicate of one condition. */
    public static EventPredicate condition(FieldCondition c) {
        if (c == null) throw new IllegalArgumentException("empty condition");
        EventFields.Field field = EventFields.find(c.field())
                .orElseThrow(() -> new IllegalArgumentException("unknown field '" + c.field() + "'"));
        boolean hasBounds = c.gte() != null || c.gt() != null || c.lte() != null || c.lt() != null;
        if (hasBounds && field.type() != EventFields.Type.NUMBER) {
            throw new IllegalArgumentException("numeric bounds on " + field.path() + ", which is not a number field");
        }
        if (c.in() != null && field.type() == EventFields.Type.NUMBER) {
            throw new IllegalArgumentException("'in' on " + field.path() + ", which is a number field");
        }
        Boolean exists = c.exists();
        return switch (field.type()) {
            case STRING -> new TextCondition(field, c.in() == null ? null : set(c.in()), exists);
            case STRING_LIST -> new ListCondition(field, c.in() == null ? null : set(c.in()), exists);
            case BOOLEAN -> {
                boolean acceptTrue = true, acceptFalse = true;
                if (c.in() != null) {
                    acceptTrue = c.in().stream().anyMatch("true"::equalsIgnoreCase);
                    acceptFalse = c.in().stream().anyMatch("false"::equalsIgnoreCase);
                }
                yield new BooleanCondition(field, c.in() != null, acceptTrue, acceptFalse, exists);
            }
            case NUMBER -> new NumberCondition(field,
                    c.gte() == null ? Double.NEGATIVE_INFINITY : c.gte(), c.gt() != null, c.gt() == null ? 0 : c.gt(),
                    c.lte() == null ? Double.POSITIVE_INFINITY : c.lte(), c.lt() != null, c.lt() == null ? 0 : c.lt(),
                    exists);
        };
    }

    private static Set<String> set(List<String> values) {
        Set<String> s = new HashSet<>();
        for (String v : values) if (v != null) s.add(v);
        return s;
    }

    // ---- the predicates: small final classes rather than lambdas, so that they are serialisable and readable in a
    // ---- debugger; each holds precomputed data only.

    private static final class All implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) { return true; }
        private Object readResolve() { return ALL; }
        @Override public String toString() { return "ALL"; }
    }

    private record FeedIn(Set<String> feeds) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            String v = e.feed();
            return v != null && feeds.contains(v);
        }
    }

    private record CategoryIn(Set<String> categories) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            String v = e.category();
            return v != null && categories.contains(v);
        }
    }

    private record SubcategoryIn(Set<String> subcategories) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            String v = e.subcategory();
            return v != null && subcategories.contains(v);
        }
    }

    private record AllOf(EventPredicate[] parts) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            for (EventPredicate p : parts) if (!p.test(e)) return false;
            return true;
        }
    }

    private record AnyOf(EventPredicate[] alternatives) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            for (EventPredicate p : alternatives) if (p.test(e)) return true;
            return false;
        }
    }

    /** Missing field: only {@code exists: false} holds. Present: {@code exists: false} fails, the rest must hold. */
    private record TextCondition(EventFields.Field field, Set<String> in, Boolean exists) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            String v = field.text(e);
            if (v == null) return Boolean.FALSE.equals(exists) && in == null;
            if (Boolean.FALSE.equals(exists)) return false;
            return in == null || in.contains(v);
        }
    }

    private record ListCondition(EventFields.Field field, Set<String> in, Boolean exists) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            List<String> values = field.list(e);
            if (values == null || values.isEmpty()) return Boolean.FALSE.equals(exists) && in == null;
            if (Boolean.FALSE.equals(exists)) return false;
            if (in == null) return true;
            for (String v : values) if (in.contains(v)) return true;
            return false;
        }
    }

    private record BooleanCondition(EventFields.Field field, boolean hasIn, boolean acceptTrue, boolean acceptFalse,
                                    Boolean exists) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            Boolean v = field.bool(e);
            if (v == null) return Boolean.FALSE.equals(exists) && !hasIn;
            if (Boolean.FALSE.equals(exists)) return false;
            return v ? acceptTrue : acceptFalse;
        }
    }

    /** Bounds: {@code gte}/{@code lte} default to ±infinity; {@code gt}/{@code lt} apply only when given. */
    private record NumberCondition(EventFields.Field field, double gte, boolean hasGt, double gt, double lte,
                                   boolean hasLt, double lt, Boolean exists) implements EventPredicate {
        @Override public boolean test(NormalizedEvent e) {
            double v = field.number(e);
            if (Double.isNaN(v)) return Boolean.FALSE.equals(exists) && !hasBounds();
            if (Boolean.FALSE.equals(exists)) return false;
            return v >= gte && v <= lte && (!hasGt || v > gt) && (!hasLt || v < lt);
        }

        private boolean hasBounds() {
            return gte != Double.NEGATIVE_INFINITY || lte != Double.POSITIVE_INFINITY || hasGt || hasLt;
        }
    }
}

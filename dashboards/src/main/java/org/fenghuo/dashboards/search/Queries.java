package org.fenghuo.dashboards.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.fenghuo.dashboards.auth.Scope;

/** Elasticsearch query DSL pieces, as JSON trees. */
public final class Queries {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    public static final List<String> OPEN_STATUSES = List.of("NEW", "ACKNOWLEDGED", "DISPATCHED");

    private Queries() {}

    public static ObjectNode term(String field, String value) {
        ObjectNode q = F.objectNode();
        q.putObject("term").put(field, value);
        return q;
    }

    public static ObjectNode terms(String field, Collection<String> values) {
        ObjectNode q = F.objectNode();
        ArrayNode a = q.putObject("terms").putArray(field);
        values.forEach(a::add);
        return q;
    }

    public static ObjectNode prefix(String field, String value) {
        ObjectNode q = F.objectNode();
        q.putObject("prefix").put(field, value);
        return q;
    }

    public static ObjectNode range(String field, Instant from, Instant to) {
        ObjectNode q = F.objectNode();
        ObjectNode r = q.putObject("range").putObject(field);
        if (from != null) r.put("gte", from.toString());
        if (to != null) r.put("lt", to.toString());
        return q;
    }

    /** Data inside a region scope; nothing to add for the whole city. */
    public static List<ObjectNode> within(Scope scope) {
        return scope.isCity() ? List.of() : List.of(prefix(scope.regionField(), scope.prefix()));
    }

    public static ObjectNode bool(List<ObjectNode> filters) {
        return bool(filters, List.of());
    }

    public static ObjectNode bool(List<ObjectNode> filters, List<ObjectNode> should) {
        ObjectNode q = F.objectNode();
        ObjectNode b = q.putObject("bool");
        b.putArray("filter").addAll(filters);
        if (!should.isEmpty()) b.putArray("should").addAll(should);
        return q;
    }

    public static ObjectNode constantScore(ObjectNode filter, float boost) {
        ObjectNode q = F.objectNode();
        q.putObject("constant_score").put("boost", boost).set("filter", filter);
        return q;
    }

    /** The filters of a search, for one index. */
    public static List<ObjectNode> filters(SearchIndex index, Filters f) {
        List<ObjectNode> out = new ArrayList<>(within(f.scope()));
        if (!f.feeds().isEmpty()) out.add(terms(index.feedField(), f.feeds()));
        if (!f.categories().isEmpty()) out.add(terms(index.categoryField(), f.categories()));
        if (!f.ruleIds().isEmpty() && index != SearchIndex.EVENTS) out.add(terms("ruleId", f.ruleIds()));
        if (!f.levels().isEmpty() && index != SearchIndex.EVENTS) out.add(terms("level", f.levels()));
        if (index == SearchIndex.ALERTS) {
            if (!f.statuses().isEmpty()) out.add(terms("status", f.statuses()));
            if (f.openOnly()) out.add(terms("status", OPEN_STATUSES));
        }
        if (f.from() != null || f.to() != null) out.add(range(index.timeField(), f.from(), f.to()));
        if (f.minSeverity() != null && index == SearchIndex.EVENTS) {
            ObjectNode q = F.objectNode();
            q.putObject("range").putObject("severity").put("gte", f.minSeverity());
            out.add(q);
        }
        if (f.subject() != null && index != SearchIndex.EVENTS) out.add(term("subject.key", f.subject()));
        if (f.subject() != null && index == SearchIndex.EVENTS) out.add(term("entities", f.subject()));
        if (f.kind() != null && index == SearchIndex.SIGNALS) out.add(term("kind", f.kind()));
        if (f.text() != null) {
            ObjectNode q = F.objectNode();
            ObjectNode s = q.putObject("simple_query_string").put("query", f.text()).put("default_operator", "and")
                    .put("lenient", true);
            ArrayNode fields = s.putArray("fields");
            index.textFields().forEach(fields::add);
            out.add(q);
        }
        return out;
    }

    /** RED first, then ORANGE, YELLOW, BLUE: scores that a sort on {@code _score} orders by severity. */
    public static List<ObjectNode> severityScores() {
        return List.of(constantScore(term("level", "RED"), 8), constantScore(term("level", "ORANGE"), 4),
                constantScore(term("level", "YELLOW"), 2), constantScore(term("level", "BLUE"), 1));
    }

    public static ObjectNode sortDesc(String field) {
        ObjectNode s = F.objectNode();
        s.putObject(field).put("order", "desc").put("unmapped_type", "date");
        return s;
    }

    public static ObjectNode termsAgg(String field, int size) {
        ObjectNode a = F.objectNode();
        a.putObject("terms").put("field", field).put("size", size);
        return a;
    }
}

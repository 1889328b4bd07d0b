package org.fenghuo.dashboards.search;

import static org.fenghuo.dashboards.search.Queries.F;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.fenghuo.core.region.Region;
import org.fenghuo.dashboards.RegionMap;
import org.fenghuo.dashboards.api.ApiException;
import org.fenghuo.dashboards.auth.Scope;

/** Every read the dashboards make, each limited to a region scope before it reaches Elasticsearch. */
public final class Searcher {
    public static final String ACTIONS = "fenghuo-alert-actions";
    public static final int TIMELINE_DEFAULT_SIZE = 500;
    /** An entity's timeline is read whole, not paged: a long one is cut to its newest items and says so. */
    public static final int TIMELINE_MAX_SIZE = 2_000;
    private static final int EXPORT_PAGE = 1_000;
    private final ElasticsearchGateway es;
    private final RegionMap regions;
    private final Clock clock;

    public Searcher(ElasticsearchGateway es, RegionMap regions, Clock clock) {
        this.es = es;
        this.regions = regions;
        this.clock = clock;
    }

    /** One page of events, signals or alerts: {@code {total, page, size, items}}. */
    public ObjectNode list(SearchIndex index, Filters f) {
        if ((long) (f.page() + 1) * f.size() > 10_000) throw ApiException.badRequest("page × size goes past 10,000 results; narrow the filters or export");
        ObjectNode body = searchBody(index, f);
        body.put("from", f.page() * f.size()).put("size", f.size()).put("track_total_hits", true);
        JsonNode r = es.search(index.alias(), body);
        ObjectNode out = F.objectNode().put("total", r.path("hits").path("total").path("value").asLong()).put("page", f.page()).put("size", f.size());
        ArrayNode items = out.putArray("items");
        r.path("hits").path("hits").forEach(h -> items.add(h.path("_source")));
        return out;
    }

    /** Streams up to {@code max} rows of a search, newest first, in pages (for CSV export). */
    public long export(SearchIndex index, Filters f, int max, Consumer<JsonNode> row) {
        ObjectNode body = searchBody(index, f.window(0, EXPORT_PAGE));
        // a stable order for search_after: the time, then the document id field
        ArrayNode sort = body.putArray("sort");
        sort.add(Queries.sortDesc(index.timeField()));
        sort.add(F.objectNode().set(index.idField(), F.objectNode().put("order", "asc")));
        long n = 0;
        JsonNode after = null;
        while (n < max) {
            body.put("size", Math.min(EXPORT_PAGE, max - (int) n));
            if (after != null) body.set("search_after", after);
            JsonNode hits = es.search(index.alias(), body).path("hits").path("hits");
            if (hits.isEmpty()) break;
            for (JsonNode h : hits) {
                row.accept(h.path("_source"));
                n++;
            }
            after = hits.get(hits.size() - 1).path("sort");
        }
        return n;
    }

    private static ObjectNode searchBody(SearchIndex index, Filters f) {
        ObjectNode body = F.objectNode();
        boolean bySeverity = index == SearchIndex.ALERTS && !f.newestFirst();
        body.set("query", Queries.bool(Queries.filters(index, f), bySeverity ? Queries.severityScores() : List.of()));
        ArrayNode sort = body.putArray("sort");
        if (bySeverity) {
            sort.add("_score");
            sort.add(Queries.sortDesc("updatedAt"));
        } else {
            sort.add(Queries.sortDesc(index == SearchIndex.ALERTS ? "updatedAt" : index.timeField()));
        }
        return body;
    }

    /** The alert, if it exists inside the scope (outside it, it does not exist for this user). */
    public Optional<JsonNode> alert(String alertId, Scope scope) {
        List<ObjectNode> filters = new ArrayList<>(Queries.within(scope));
        filters.add(Queries.term("alertId", alertId));
        ObjectNode body = F.objectNode().put("size", 1);
        body.set("query", Queries.bool(filters));
        JsonNode hits = es.search(SearchIndex.ALERTS.alias(), body).path("hits").path("hits");
        return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0).path("_source"));
    }

    /** The audit trail of an alert, oldest first. */
    public List<JsonNode> actions(String alertId) {
        ObjectNode body = F.objectNode().put("size", 500);
        body.set("query", Queries.bool(List.of(Queries.term("alertId", alertId))));
        body.putArray("sort").add(F.objectNode().set("at", F.objectNode().put("order", "asc")));
        List<JsonNode> out = new ArrayList<>();
        es.search(ACTIONS, body).path("hits").path("hits").forEach(h -> out.add(h.path("_source")));
        return out;
    }

    public List<JsonNode> eventsById(List<String> eventIds, Scope scope) {
        if (eventIds.isEmpty()) return List.of();
        List<ObjectNode> filters = new ArrayList<>(Queries.within(scope));
        filters.add(Queries.terms("eventId", eventIds));
        ObjectNode body = F.objectNode().put("size", eventIds.size());
        body.set("query", Queries.bool(filters));
        List<JsonNode> out = new ArrayList<>();
        es.search(SearchIndex.EVENTS.alias(), body).path("hits").path("hits").forEach(h -> out.add(h.path("_source")));
        return out;
    }

    /** Every event, signal and alert of an entity or region in a time range, oldest first (the newest {@code size}). */
    public ObjectNode timeline(String key, Scope scope, Instant from, Instant to, int size) {
        String type;
        List<ObjectNode> eventFilter = new ArrayList<>(Queries.within(scope));
        if (key.startsWith("ENT:") && key.length() > 4) {
            type = "ENTERPRISE";
            eventFilter.add(Queries.term("entities", key));
        } else if (key.startsWith("PER:") && key.length() > 4) {
            type = "PERSON";
            eventFilter.add(Queries.term("entities", key));
        } else if (key.matches("REG:\\d{6,15}")) {
            type = "REGION";
            Scope region = scope.narrowTo(key.substring(4)).orElseThrow(() -> ApiException.forbidden("region " + key.substring(4) + " is outside your scope"));
            eventFilter.add(Queries.prefix(region.regionField(), region.prefix()));
        } else {
            throw ApiException.badRequest("entity key '" + key + "' is not ENT:<credit code>, PER:<keyed hash> or REG:<region code>");
        }
        Instant end = to == null ? clock.instant() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(90)) : from;
        eventFilter.add(Queries.range("occurredAt", start, end));
        List<ObjectNode> subjectFilter = new ArrayList<>(Queries.within(scope));
        subjectFilter.add(Queries.term("subject.key", key));
        subjectFilter.add(Queries.range("triggeredAt", start, end));

        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode e : newest(SearchIndex.EVENTS, eventFilter, size)) {
            items.add(item("EVENT", e.path("occurredAt").asText(), e.path("eventId").asText(), e.path("title").asText(e.path("category").asText()), e)
                    .put("feed", e.path("feed").asText()).put("category", e.path("category").asText()));
        }
        for (JsonNode s : newest(SearchIndex.SIGNALS, subjectFilter, size)) {
            ObjectNode i = item("SIGNAL", s.path("triggeredAt").asText(), s.path("signalId").asText(), s.path("title").asText(), s);
            if (s.hasNonNull("level")) i.put("level", s.path("level").asText());
            if (s.hasNonNull("score")) i.put("score", s.path("score").asDouble());
            if (s.hasNonNull("delta")) i.put("delta", s.path("delta").asDouble());
            items.add(i);
        }
        for (JsonNode a : newest(SearchIndex.ALERTS, subjectFilter, size)) {
            items.add(item("ALERT", a.path("triggeredAt").asText(), a.path("alertId").asText(), a.path("title").asText(), a)
                    .put("level", a.path("level").asText()));
        }
        items.sort(Comparator.comparing((ObjectNode i) -> instant(i.path("at").asText())).thenComparing(i -> i.path("id").asText()));
        List<ObjectNode> kept = items.subList(Math.max(0, items.size() - size), items.size());

        ObjectNode out = F.objectNode().put("key", key).put("type", type).put("display", display(key, type, kept));
        out.put("from", start.toString()).put("to", end.toString()).put("truncated", items.size() > kept.size());
        out.putArray("items").addAll(kept);
        return out;
    }

    private List<JsonNode> newest(SearchIndex index, List<ObjectNode> filters, int size) {
        ObjectNode body = F.objectNode().put("size", size);
        body.set("query", Queries.bool(filters));
        body.putArray("sort").add(Queries.sortDesc(index.timeField()));
        List<JsonNode> out = new ArrayList<>();
        es.search(index.alias(), body).path("hits").path("hits").forEach(h -> out.add(h.path("_source")));
        return out;
    }

    private static ObjectNode item(String kind, String at, String id, String title, JsonNode doc) {
        ObjectNode i = F.objectNode().put("kind", kind).put("at", instant(at).toString()).put("id", id).put("title", title);
        i.set("doc", doc);
        return i;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.OffsetDateTime.parse(text).toInstant();
        }
    }

    /** How the subject is shown: the alerts' or signals' display (masked for persons), else from the events. */
    private String display(String key, String type, List<ObjectNode> items) {
        if (type.equals("REGION")) return regions.name(key.substring(4));
        for (int i = items.size() - 1; i >= 0; i--) {
            JsonNode d = items.get(i).path("doc").path("subject").path("display");
            if (!d.isMissingNode() && !d.asText().isEmpty()) return d.asText();
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            JsonNode doc = items.get(i).path("doc");
            for (JsonNode e : doc.path("enterprises")) if (key.equals(e.path("key").asText()) && e.hasNonNull("name")) return e.path("name").asText();
            for (JsonNode p : doc.path("persons")) if (key.equals(p.path("key").asText()) && p.hasNonNull("name")) return p.path("name").asText();
        }
        return type.equals("PERSON") ? "PER:" + key.substring(4, Math.min(key.length(), 12)) + "…" : key;
    }

    /** Open alerts by level, recent alerts by status, events of the last 24 hours: the counters of the situation page. */
    public ObjectNode summary(Scope scope) {
        Instant dayAgo = clock.instant().minus(Duration.ofDays(1));
        List<ObjectNode> alertFilters = new ArrayList<>(Queries.within(scope));
        ObjectNode openOrRecent = F.objectNode();
        ObjectNode b = openOrRecent.putObject("bool");
        b.putArray("should").add(Queries.terms("status", Queries.OPEN_STATUSES)).add(Queries.range("updatedAt", dayAgo, null));
        b.put("minimum_should_match", 1);
        alertFilters.add(openOrRecent);
        ObjectNode body = F.objectNode().put("size", 0);
        body.set("query", Queries.bool(alertFilters));
        ObjectNode aggs = body.putObject("aggs");
        aggs.set("status", Queries.termsAgg("status", 10));
        ObjectNode open = aggs.putObject("open");
        open.set("filter", Queries.terms("status", Queries.OPEN_STATUSES));
        open.putObject("aggs").set("level", Queries.termsAgg("level", 10));
        JsonNode r = es.search(SearchIndex.ALERTS.alias(), body).path("aggregations");

        ObjectNode out = F.objectNode();
        ObjectNode byLevel = out.putObject("openByLevel");
        for (String l : List.of("RED", "ORANGE", "YELLOW", "BLUE")) byLevel.put(l, 0);
        r.path("open").path("level").path("buckets").forEach(k -> byLevel.put(k.path("key").asText(), k.path("doc_count").asLong()));
        ObjectNode byStatus = out.putObject("byStatus");
        for (String s : List.of("NEW", "ACKNOWLEDGED", "DISPATCHED", "RESOLVED", "DISMISSED")) byStatus.put(s, 0);
        r.path("status").path("buckets").forEach(k -> byStatus.put(k.path("key").asText(), k.path("doc_count").asLong()));

        List<ObjectNode> eventFilters = new ArrayList<>(Queries.within(scope));
        eventFilters.add(Queries.range("occurredAt", dayAgo, null));
        ObjectNode count = F.objectNode();
        count.set("query", Queries.bool(eventFilters));
        out.put("events24h", es.count(SearchIndex.EVENTS.alias(), count).path("count").asLong());
        return out;
    }

    /** Per child region of {@code parent}: open alerts, their highest level, events of the last 24 hours. */
    public ObjectNode mapStats(Scope parent) {
        List<Region> children = regions.childrenOf(parent.prefix());
        String childField = children.isEmpty() ? parent.regionField() : Scope.regionField(children.get(0).code().length());
        int n = Math.max(1, children.size());

        List<ObjectNode> alertFilters = new ArrayList<>(Queries.within(parent));
        alertFilters.add(Queries.terms("status", Queries.OPEN_STATUSES));
        ObjectNode ab = F.objectNode().put("size", 0);
        ab.set("query", Queries.bool(alertFilters));
        ObjectNode byRegion = Queries.termsAgg(childField, n);
        byRegion.putObject("aggs").set("level", Queries.termsAgg("level", 4));
        ab.putObject("aggs").set("region", byRegion);
        JsonNode alerts = es.search(SearchIndex.ALERTS.alias(), ab).path("aggregations").path("region").path("buckets");

        List<ObjectNode> eventFilters = new ArrayList<>(Queries.within(parent));
        eventFilters.add(Queries.range("occurredAt", clock.instant().minus(Duration.ofDays(1)), null));
        ObjectNode eb = F.objectNode().put("size", 0);
        eb.set("query", Queries.bool(eventFilters));
        eb.putObject("aggs").set("region", Queries.termsAgg(childField, n));
        JsonNode events = es.search(SearchIndex.EVENTS.alias(), eb).path("aggregations").path("region").path("buckets");

        ObjectNode out = F.objectNode().put("parent", parent.prefix())
                .put("level", children.isEmpty() ? "" : children.get(0).level().name());
        ArrayNode list = out.putArray("regions");
        for (Region c : children) {
            ObjectNode o = list.addObject().put("code", c.code()).put("name", c.name()).put("openAlerts", 0).put("events24h", 0);
            o.putNull("maxLevel");
            for (JsonNode k : alerts) {
                if (!c.code().equals(k.path("key").asText())) continue;
                o.put("openAlerts", k.path("doc_count").asLong());
                for (String level : List.of("RED", "ORANGE", "YELLOW", "BLUE")) {
                    boolean has = false;
                    for (JsonNode l : k.path("level").path("buckets")) has |= level.equals(l.path("key").asText());
                    if (has) {
                        o.put("maxLevel", level);
                        break;
                    }
                }
            }
            for (JsonNode k : events) if (c.code().equals(k.path("key").asText())) o.put("events24h", k.path("doc_count").asLong());
        }
        return out;
    }

    /** Events per hour (24 h) or per day (7 days), broken down by feed or category. */
    public ObjectNode trend(Scope scope, boolean week, String by) {
        Instant now = clock.instant();
        Instant start = now.minus(week ? Duration.ofDays(7) : Duration.ofHours(24));
        List<ObjectNode> filters = new ArrayList<>(Queries.within(scope));
        filters.add(Queries.range("occurredAt", start, now));
        ObjectNode body = F.objectNode().put("size", 0);
        body.set("query", Queries.bool(filters));
        ObjectNode hist = body.putObject("aggs").putObject("t");
        ObjectNode dh = hist.putObject("date_histogram").put("field", "occurredAt").put("fixed_interval", week ? "1d" : "1h")
                .put("time_zone", "+08:00").put("min_doc_count", 0);
        dh.putObject("extended_bounds").put("min", start.toEpochMilli()).put("max", now.toEpochMilli());
        hist.putObject("aggs").set("g", Queries.termsAgg(by, 20));
        JsonNode buckets = es.search(SearchIndex.EVENTS.alias(), body).path("aggregations").path("t").path("buckets");

        ObjectNode out = F.objectNode().put("range", week ? "7d" : "24h").put("interval", week ? "1d" : "1h").put("by", by);
        java.util.LinkedHashSet<String> series = new java.util.LinkedHashSet<>();
        ArrayNode list = F.arrayNode();
        for (JsonNode b : buckets) {
            ObjectNode o = list.addObject().put("at", Instant.ofEpochMilli(b.path("key").asLong()).toString());
            ObjectNode counts = o.putObject("counts");
            for (JsonNode g : b.path("g").path("buckets")) {
                series.add(g.path("key").asText());
                counts.put(g.path("key").asText(), g.path("doc_count").asLong());
            }
        }
        ArrayNode s = out.putArray("series");
        series.stream().sorted().forEach(s::add);
        out.set("buckets", list);
        return out;
    }

    /** Counts by day and category (or rule), by category (or rule), and the top regions one level below the filter's. */
    public ObjectNode aggregations(SearchIndex index, Filters f) {
        ObjectNode body = F.objectNode().put("size", 0).put("track_total_hits", true);
        body.set("query", Queries.bool(Queries.filters(index, f)));
        ObjectNode aggs = body.putObject("aggs");
        ObjectNode day = aggs.putObject("day");
        day.putObject("date_histogram").put("field", index.timeField()).put("calendar_interval", "1d").put("time_zone", "+08:00");
        day.putObject("aggs").set("g", Queries.termsAgg(index.groupField(), 10));
        aggs.set("group", Queries.termsAgg(index.groupField(), 20));
        String regionField = Scope.regionField(f.scope().isCity() ? 6 : Math.min(15, f.scope().prefix().length() + 3));
        aggs.set("region", Queries.termsAgg(regionField, 10));
        JsonNode r = es.search(index.alias(), body);
        JsonNode a = r.path("aggregations");

        ObjectNode out = F.objectNode().put("index", index.name().toLowerCase(java.util.Locale.ROOT))
                .put("total", r.path("hits").path("total").path("value").asLong()).put("groupedBy", index.groupField());
        ArrayNode byDay = out.putArray("byDay");
        for (JsonNode b : a.path("day").path("buckets")) {
            ObjectNode o = byDay.addObject().put("day", java.time.LocalDate.ofInstant(Instant.ofEpochMilli(b.path("key").asLong()), Filters.CENTRE_ZONE).toString());
            ObjectNode counts = o.putObject("counts");
            b.path("g").path("buckets").forEach(g -> counts.put(g.path("key").asText(), g.path("doc_count").asLong()));
        }
        ArrayNode byGroup = out.putArray("byCategory");
        a.path("group").path("buckets").forEach(g -> byGroup.addObject().put("key", g.path("key").asText()).put("count", g.path("doc_count").asLong()));
        ArrayNode top = out.putArray("topRegions");
        a.path("region").path("buckets").forEach(g -> top.addObject().put("code", g.path("key").asText())
                .put("name", regions.name(g.path("key").asText())).put("count", g.path("doc_count").asLong()));
        return out;
    }
}

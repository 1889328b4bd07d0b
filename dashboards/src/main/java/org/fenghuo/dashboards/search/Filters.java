package org.fenghuo.dashboards.search;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertStatus;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.dashboards.api.ApiException;
import org.fenghuo.dashboards.auth.Scope;

/**
 * The search filters of every list, export and aggregation (API.md "Common filters"), validated once: a bad
 * value is a 400 naming the parameter. {@code scope} is already narrowed to the user's region scope.
 */
public record Filters(Scope scope, List<String> feeds, List<String> categories, List<String> levels,
                      List<String> statuses, List<String> ruleIds, Instant from, Instant to, String text,
                      boolean openOnly, boolean newestFirst, Integer minSeverity, String subject, String kind,
                      int page, int size) {

    public static final int MAX_SIZE = 200;
    /** Dates without a time are days of the centre's clock (China Standard Time). */
    public static final ZoneOffset CENTRE_ZONE = ZoneOffset.ofHours(8);
    private static final Set<String> KNOWN = Set.of("region", "feed", "category", "level", "status", "ruleId", "from", "to",
            "q", "open", "sort", "minSeverity", "subject", "kind", "page", "size", "index");

    public static Filters parse(Map<String, List<String>> params, Scope userScope) {
        return parse(params, userScope, MAX_SIZE, 50);
    }

    /** As {@link #parse(Map, Scope)}, for a listing with its own page size limit and default (an entity timeline). */
    public static Filters parse(Map<String, List<String>> params, Scope userScope, int maxSize, int defaultSize) {
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) throw ApiException.badRequest("unknown parameter '" + name + "'; known: " + String.join(", ", KNOWN.stream().sorted().toList()));
        }
        String region = one(params, "region");
        if (region != null && !region.isBlank() && !region.trim().matches("\\d{1,15}")) {
            throw ApiException.badRequest("region '" + region + "' is not a region code (1–15 digits)");
        }
        Scope scope = userScope.narrowTo(region).orElseThrow(() ->
                ApiException.forbidden("region " + region + " is outside your scope " + (userScope.isCity() ? "" : userScope.prefix())));
        List<String> feeds = list(params, "feed", v -> {
            for (Feed f : Feed.values()) if (f.id().equals(v)) return v;
            throw ApiException.badRequest("feed '" + v + "' is not one of " + Arrays.stream(Feed.values()).map(Feed::id).toList());
        });
        List<String> levels = list(params, "level", v -> enumName(AlertLevel.class, "level", v));
        List<String> statuses = list(params, "status", v -> enumName(AlertStatus.class, "status", v));
        List<String> categories = list(params, "category", v -> limited("category", v, 64));
        List<String> rules = list(params, "ruleId", v -> limited("ruleId", v, 128));
        Instant from = instant(params, "from", false);
        Instant to = instant(params, "to", true);
        if (from != null && to != null && from.isAfter(to)) throw ApiException.badRequest("from " + from + " is after to " + to);
        String q = one(params, "q");
        if (q != null) q = limited("q", q.trim(), 200);
        String sort = one(params, "sort");
        if (sort != null && !sort.equals("severity") && !sort.equals("newest")) throw ApiException.badRequest("sort '" + sort + "' is not severity or newest");
        String open = one(params, "open");
        if (open != null && !open.equals("true") && !open.equals("false")) throw ApiException.badRequest("open '" + open + "' is not true or false");
        Integer minSeverity = params.containsKey("minSeverity") ? integer(params, "minSeverity", 1, 4, 1) : null;
        String subject = one(params, "subject");
        if (subject != null) subject = limited("subject", subject, 200);
        String kind = one(params, "kind");
        if (kind != null) kind = limited("kind", kind, 64);
        int page = integer(params, "page", 0, 10_000, 0);
        int size = integer(params, "size", 1, maxSize, defaultSize);
        return new Filters(scope, feeds, categories, levels, statuses, rules, from, to, q == null || q.isEmpty() ? null : q,
                "true".equals(open), "newest".equals(sort), minSeverity, subject, kind, page, size);
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) return null;
        if (v.size() > 1) throw ApiException.badRequest("parameter '" + name + "' is given " + v.size() + " times; give it once (a comma list where lists are allowed)");
        return v.get(0);
    }

    private static List<String> list(Map<String, List<String>> params, String name, Function<String, String> check) {
        String v = one(params, name);
        if (v == null || v.isBlank()) return List.of();
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(check).distinct().toList();
    }

    private static <E extends Enum<E>> String enumName(Class<E> type, String param, String v) {
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(param + " '" + v + "' is not one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String limited(String param, String v, int max) {
        if (v.length() > max) throw ApiException.badRequest(param + " is longer than " + max + " characters");
        return v;
    }

    static Instant instant(Map<String, List<String>> params, String name, boolean endOfDay) {
        String v = one(params, name);
        if (v == null || v.isBlank()) return null;
        v = v.trim();
        try {
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                LocalDate d = LocalDate.parse(v);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(CENTRE_ZONE);
            }
            if (v.endsWith("Z") || v.matches(".*[+-]\\d{2}:\\d{2}$")) return OffsetDateTime.parse(v).toInstant();
            return java.time.LocalDateTime.parse(v).toInstant(CENTRE_ZONE);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " '" + v + "' is not a date (2026-11-01) or a time (2026-11-01T08:00:00+08:00)");
        }
    }

    static int integer(Map<String, List<String>> params, String name, int min, int max, int dflt) {
        String v = one(params, name);
        if (v == null || v.isBlank()) return dflt;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest(name + " '" + v + "' is not a whole number from " + min + " to " + max);
    }

    /** The same filters for a different page window (exports read from the first row). */
    public Filters window(int newPage, int newSize) {
        return new Filters(scope, feeds, categories, levels, statuses, ruleIds, from, to, text, openOnly, newestFirst,
                minSeverity, subject, kind, newPage, newSize);
    }
}

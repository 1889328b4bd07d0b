package org.fenghuo.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The values a rule may name, read once from the feed schemas shipped with the project
 * ({@code /org/fenghuo/core/feed/schemas/}, the same files as {@code shared/feeds/}), so that a rule and the feeds can
 * never disagree about what a category is called.
 *
 * <ul>
 *   <li>category: grid {@code category}, 110 {@code callType}, petition {@code issueType}, labour {@code issue};</li>
 *   <li>subcategory: petition {@code channel}, labour record {@code kind}; grid reports and 110 calls have none;</li>
 *   <li>the enumerations behind {@code details.*} fields ({@code receivingLevel}, {@code disposition}, {@code status}).</li>
 * </ul>
 */
public final class FeedVocabulary {
    private FeedVocabulary() {}

    private static final String RESOURCE_DIR = "/org/fenghuo/core/feed/schemas/";

    private static final Map<Feed, Set<String>> CATEGORIES = new EnumMap<>(Feed.class);
    private static final Map<Feed, Set<String>> SUBCATEGORIES = new EnumMap<>(Feed.class);
    private static final Set<String> ALL_CATEGORIES;
    private static final Set<String> ALL_SUBCATEGORIES;
    private static final Set<String> FEED_IDS;
    /** petition {@code channel}: LETTER, VISIT, PHONE, ONLINE. */
    public static final Set<String> PETITION_CHANNELS;
    /** labour record {@code kind}: COMPLAINT, INSPECTION, VIOLATION, CASE_CLOSED. */
    public static final Set<String> LABOR_KINDS;
    /** petition {@code receivingLevel}: STREET … NATIONAL. */
    public static final Set<String> RECEIVING_LEVELS;
    /** 110 call {@code disposition}. */
    public static final Set<String> DISPOSITIONS;
    /** grid report {@code status}. */
    public static final Set<String> GRID_STATUSES;

    static {
        JsonNode grid = schema(Feed.GRID_REPORT);
        JsonNode call = schema(Feed.LINKAGE_CALL);
        JsonNode petition = schema(Feed.PETITION);
        JsonNode labour = schema(Feed.LABOR_INSPECTION);
        CATEGORIES.put(Feed.GRID_REPORT, enumOf(grid, "category"));
        CATEGORIES.put(Feed.LINKAGE_CALL, enumOf(call, "callType"));
        CATEGORIES.put(Feed.PETITION, enumOf(petition, "issueType"));
        CATEGORIES.put(Feed.LABOR_INSPECTION, enumOf(labour, "issue"));
        PETITION_CHANNELS = enumOf(petition, "channel");
        LABOR_KINDS = enumOf(labour, "kind");
        SUBCATEGORIES.put(Feed.GRID_REPORT, Set.of());
        SUBCATEGORIES.put(Feed.LINKAGE_CALL, Set.of());
        SUBCATEGORIES.put(Feed.PETITION, PETITION_CHANNELS);
        SUBCATEGORIES.put(Feed.LABOR_INSPECTION, LABOR_KINDS);
        RECEIVING_LEVELS = enumOf(petition, "receivingLevel");
        DISPOSITIONS = enumOf(call, "disposition");
        GRID_STATUSES = enumOf(grid, "status");
        ALL_CATEGORIES = union(CATEGORIES.values());
        ALL_SUBCATEGORIES = union(SUBCATEGORIES.values());
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        Arrays.stream(Feed.values()).forEach(f -> ids.add(f.id()));
        FEED_IDS = java.util.Collections.unmodifiableSet(ids);
    }

    /** The categories of one feed, in schema order. */
    public static Set<String> categories(Feed feed) { return CATEGORIES.get(feed); }

    /** The subcategories of one feed (empty for grid reports and 110 calls). */
    public static Set<String> subcategories(Feed feed) { return SUBCATEGORIES.get(feed); }

    /** Every category of every feed. */
    public static Set<String> allCategories() { return ALL_CATEGORIES; }

    /** Every subcategory of every feed. */
    public static Set<String> allSubcategories() { return ALL_SUBCATEGORIES; }

    /** The feed ids, e.g. {@code grid-report}. */
    public static Set<String> feedIds() { return FEED_IDS; }

    private static Set<String> union(Collection<Set<String>> sets) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        sets.forEach(all::addAll);
        return java.util.Collections.unmodifiableSet(all);
    }

    private static JsonNode schema(Feed feed) {
        String name = RESOURCE_DIR + feed.id() + ".schema.json";
        try (InputStream in = FeedVocabulary.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("feed schema resource missing: " + name);
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feed schema " + name, e);
        }
    }

    private static Set<String> enumOf(JsonNode schema, String property) {
        JsonNode values = schema.path("properties").path(property).path("enum");
        if (!values.isArray() || values.isEmpty()) {
            throw new IllegalStateException("feed schema " + schema.path("$id").asText() + " has no enum for " + property);
        }
        LinkedHashSet<String> set = new LinkedHashSet<>();
        values.forEach(v -> set.add(v.asText()));
        return java.util.Collections.unmodifiableSet(set);
    }
}

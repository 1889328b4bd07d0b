package org.fenghuo.dashboards.kibana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kibana saved objects in {@code kibana/fenghuo-saved-objects.ndjson} against the index templates of the
 * connectors module. Kibana imports a visualization on a field that does not exist, or a dashboard whose panel points
 * at a missing object, without complaint; the mistake only shows when someone opens the panel. So every field the
 * objects use is looked up in the template of the index its data view names, and every reference is followed: a
 * field renamed in a template or an object dropped from the export fails the build instead of a duty officer's screen.
 */
class KibanaSavedObjectsTest {

    /** Relative to the module directory, which is Maven's working directory for tests. */
    private static final Path EXPORT = Path.of("kibana", "fenghuo-saved-objects.ndjson");

    private static final String TEMPLATES = "/org/fenghuo/connectors/elasticsearch/templates/";

    /** The index aliases of DESIGN §7; each needs a data view for the saved objects and for ad-hoc exploration. */
    private static final List<String> INDICES = List.of(
            "fenghuo-events", "fenghuo-signals", "fenghuo-alerts", "fenghuo-alert-actions", "fenghuo-deadletters");

    private static final String DASHBOARD_ID = "fenghuo-situation";
    private static final String DASHBOARD_TITLE = "烽火 · 综治态势";

    /** Kibana's dashboard grid is 48 columns wide whatever the screen. */
    private static final int GRID_COLUMNS = 48;

    /**
     * Types Elasticsearch can aggregate and sort on from doc values. A {@code text} field would need fielddata, which
     * the templates never enable, so a terms aggregation on one fails at query time.
     */
    private static final Set<String> AGGREGATABLE = Set.of("keyword", "constant_keyword", "date", "date_nanos",
            "long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long",
            "boolean", "ip", "geo_point");
    private static final Set<String> DATES = Set.of("date", "date_nanos");
    /** Columns and KQL clauses work on any mapped field, text included. */
    private static final Set<String> ANY_TYPE = Set.of();

    /** Quoted KQL values may contain colons (subject keys are {@code ENT:...}) and must not look like field names. */
    private static final Pattern KQL_QUOTED_VALUE = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z_@][\\w.@]*)\\s*(?::|<=|>=|<|>)");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Map<String, String>> FIELD_TYPES_BY_INDEX = new HashMap<>();

    private static ExportFile export;

    record Reference(String name, String type, String id) {}

    record SavedObject(int line, String type, String id, JsonNode attributes, List<Reference> references) {

        String describe() {
            return type + " '" + id + "' (line " + line + ")";
        }

        Optional<Reference> reference(String name) {
            return references.stream().filter(reference -> reference.name().equals(name)).findFirst();
        }
    }

    record ExportFile(List<SavedObject> objects, JsonNode summary) {

        List<SavedObject> ofType(String type) {
            return objects.stream().filter(object -> object.type().equals(type)).toList();
        }

        Optional<SavedObject> find(String type, String id) {
            return objects.stream()
                    .filter(object -> object.type().equals(type) && object.id().equals(id))
                    .findFirst();
        }
    }

    /**
     * A field a saved object reads, where it reads it (for the failure message) and the mapped types that work there;
     * an empty set accepts any mapped type.
     */
    record FieldUse(String field, String where, Set<String> allowedTypes) {}

    @BeforeAll
    static void readExport() throws IOException {
        assertThat(EXPORT).as("the export, relative to the dashboards module directory").isRegularFile();
        export = parseExport(Files.readAllLines(EXPORT, StandardCharsets.UTF_8));
    }

    @Test
    void everyLineIsASavedObjectAndTheSummaryCountsThem() {
        assertThat(export.objects()).as("saved objects").isNotEmpty();

        Set<String> seen = new HashSet<>();
        for (SavedObject object : export.objects()) {
            assertThat(seen.add(object.type() + ":" + object.id()))
                    .as("%s is exported only once", object.describe())
                    .isTrue();
        }

        // Kibana skips the summary line on import, but keeping it honest keeps the file a faithful export.
        assertThat(export.summary()).as("export summary line (exportedCount ...) at the end").isNotNull();
        assertThat(export.summary().path("exportedCount").asInt(-1))
                .as("exportedCount in the summary line")
                .isEqualTo(export.objects().size());
        assertThat(export.summary().path("missingRefCount").asInt(-1))
                .as("missingRefCount in the summary line")
                .isZero();
    }

    @Test
    void eachIndexHasOneDataViewWhoseTimeFieldIsADateInItsTemplate() {
        SoftAssertions softly = new SoftAssertions();
        for (String index : INDICES) {
            List<SavedObject> dataViews = export.ofType("index-pattern").stream()
                    .filter(dataView -> index.equals(dataView.attributes().path("title").textValue()))
                    .toList();
            softly.assertThat(dataViews).as("data views titled %s", index).hasSize(1);
            for (SavedObject dataView : dataViews) {
                // A stable id makes a re-import overwrite the data view instead of adding a second one.
                softly.assertThat(dataView.id()).as("id of %s", dataView.describe()).isEqualTo(index);
                softly.assertThat(dataView.attributes().path("name").textValue())
                        .as("name of %s", dataView.describe())
                        .isNotBlank();
                String timeField = dataView.attributes().path("timeFieldName").textValue();
                softly.assertThat(timeField == null ? null : fieldTypes(index).get(timeField))
                        .as("type of time field '%s' of %s in the %s template", timeField, dataView.describe(), index)
                        .isIn(DATES);
            }
        }
        softly.assertThat(export.ofType("index-pattern"))
                .as("data views, each on one of the indices of DESIGN §7")
                .allSatisfy(dataView -> assertThat(dataView.attributes().path("title").textValue()).isIn(INDICES));
        softly.assertAll();
    }

    @Test
    void everyFieldUsedExistsWithAUsableTypeInTheIndexOfItsDataView() {
        List<SavedObject> readers = new ArrayList<>(export.ofType("visualization"));
        readers.addAll(export.ofType("search"));
        assertThat(readers).as("visualizations and saved searches").isNotEmpty();

        SoftAssertions softly = new SoftAssertions();
        for (SavedObject object : readers) {
            String index = indexOf(object);
            Map<String, String> fieldTypes = fieldTypes(index);
            for (FieldUse use : fieldUses(object)) {
                String type = fieldTypes.get(use.field());
                softly.assertThat(type)
                        .as("%s uses field '%s' in %s, which the %s template must map", object.describe(),
                                use.field(), use.where(), index)
                        .isNotNull();
                if (type != null && !use.allowedTypes().isEmpty()) {
                    softly.assertThat(type)
                            .as("mapped type of '%s' used in %s of %s", use.field(), use.where(), object.describe())
                            .isIn(use.allowedTypes());
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void everyReferenceResolvesToAnObjectInTheExport() {
        SoftAssertions softly = new SoftAssertions();
        for (SavedObject object : export.objects()) {
            for (Reference reference : object.references()) {
                softly.assertThat(export.find(reference.type(), reference.id()))
                        .as("%s references %s '%s' as '%s'", object.describe(), reference.type(), reference.id(),
                                reference.name())
                        .isPresent();
            }
            JsonNode searchSource = searchSource(object);
            if (searchSource != null) {
                for (String refName : searchSource.findValuesAsText("indexRefName")) {
                    softly.assertThat(object.reference(refName))
                            .as("%s names reference '%s' in its searchSourceJSON", object.describe(), refName)
                            .isPresent();
                }
            }
            String savedSearchRefName = object.attributes().path("savedSearchRefName").textValue();
            if (savedSearchRefName != null) {
                softly.assertThat(object.reference(savedSearchRefName).map(Reference::type))
                        .as("%s names saved search reference '%s'", object.describe(), savedSearchRefName)
                        .contains("search");
            }
        }
        softly.assertAll();
    }

    @Test
    void theSituationDashboardPlacesEveryVisualizationAndSavedSearchThroughItsReferences() {
        SavedObject dashboard = export.find("dashboard", DASHBOARD_ID)
                .orElseThrow(() -> new AssertionError("no dashboard '" + DASHBOARD_ID + "' in " + EXPORT));
        assertThat(dashboard.attributes().path("title").textValue()).isEqualTo(DASHBOARD_TITLE);

        JsonNode panels = parseEmbeddedJson(dashboard, "panelsJSON",
                dashboard.attributes().path("panelsJSON").textValue());
        assertThat(panels.isArray() && !panels.isEmpty()).as("panelsJSON of %s is a non-empty array",
                dashboard.describe()).isTrue();

        SoftAssertions softly = new SoftAssertions();
        Set<String> panelIndices = new HashSet<>();
        Set<String> placed = new HashSet<>();
        List<JsonNode> grids = new ArrayList<>();
        for (JsonNode panel : panels) {
            String panelIndex = panel.path("panelIndex").textValue();
            String panelRefName = panel.path("panelRefName").textValue();
            String panelType = panel.path("type").textValue();
            softly.assertThat(panelIndices.add(panelIndex)).as("panelIndex '%s' is unique", panelIndex).isTrue();
            softly.assertThat(panelRefName).as("panelRefName of panel '%s'", panelIndex).isNotNull();
            if (panelRefName != null) {
                // Kibana looks a panel's reference up as "<panelIndex>:<panelRefName>", the name its export writes.
                Optional<Reference> reference = dashboard.reference(panelIndex + ":" + panelRefName);
                softly.assertThat(reference).as("reference '%s:%s' of %s", panelIndex, panelRefName,
                        dashboard.describe()).isPresent();
                reference.ifPresent(found -> {
                    softly.assertThat(found.type()).as("type of the reference of panel '%s'", panelIndex)
                            .isEqualTo(panelType);
                    placed.add(found.type() + ":" + found.id());
                });
            }
            JsonNode grid = panel.path("gridData");
            softly.assertThat(grid.path("x").asInt(-1) >= 0 && grid.path("w").asInt(0) > 0
                            && grid.path("x").asInt() + grid.path("w").asInt() <= GRID_COLUMNS
                            && grid.path("y").asInt(-1) >= 0 && grid.path("h").asInt(0) > 0)
                    .as("gridData %s of panel '%s' lies within the %d-column grid", grid, panelIndex, GRID_COLUMNS)
                    .isTrue();
            for (JsonNode other : grids) {
                softly.assertThat(overlap(grid, other))
                        .as("panel '%s' at %s overlaps the panel at %s", panelIndex, grid, other)
                        .isFalse();
            }
            grids.add(grid);
        }

        List<String> shown = new ArrayList<>();
        for (String type : List.of("visualization", "search")) {
            export.ofType(type).forEach(object -> shown.add(object.type() + ":" + object.id()));
        }
        softly.assertThat(placed).as("objects placed on %s", dashboard.describe()).containsAll(shown);
        softly.assertAll();
    }

    @Test
    void theHelpersRejectWhatTheyShould() {
        assertThatThrownBy(() -> parseExport(List.of("{\"type\":\"index-pattern\"", "")))
                .hasMessageContaining("line 1");
        assertThat(fieldTypes("fenghuo-events"))
                .containsEntry("region.community", "keyword")
                .containsEntry("title.keyword", "keyword")
                .doesNotContainKey("region.communty");
        assertThat(kqlFieldNames("subject.key : \"ENT:913301\" and severity >= 3 and not level:(RED or ORANGE)"))
                .containsExactly("subject.key", "severity", "level");
    }

    // ---------------------------------------------------------------------------------------------------------------

    static ExportFile parseExport(List<String> lines) {
        List<SavedObject> objects = new ArrayList<>();
        JsonNode summary = null;
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i);
            if (line.isBlank()) {
                continue; // Kibana's importer skips blank lines as well
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new AssertionError(EXPORT + " line " + lineNumber + " is not JSON: " + e.getOriginalMessage(), e);
            }
            if (node == null || !node.isObject()) {
                throw new AssertionError(EXPORT + " line " + lineNumber + " is not a JSON object");
            }
            if (summary != null) {
                throw new AssertionError(EXPORT + " line " + lineNumber + " follows the export summary line");
            }
            if (node.has("exportedCount")) {
                summary = node;
            } else {
                objects.add(toSavedObject(lineNumber, node));
            }
        }
        return new ExportFile(List.copyOf(objects), summary);
    }

    private static SavedObject toSavedObject(int lineNumber, JsonNode node) {
        String type = node.path("type").textValue();
        String id = node.path("id").textValue();
        JsonNode attributes = node.path("attributes");
        JsonNode references = node.path("references");
        if (type == null || id == null || !attributes.isObject() || !references.isArray()) {
            throw new AssertionError(EXPORT + " line " + lineNumber
                    + " lacks a string type and id, an attributes object or a references array");
        }
        List<Reference> parsed = new ArrayList<>();
        for (JsonNode reference : references) {
            String name = reference.path("name").textValue();
            String referenceType = reference.path("type").textValue();
            String referenceId = reference.path("id").textValue();
            if (name == null || referenceType == null || referenceId == null) {
                throw new AssertionError(EXPORT + " line " + lineNumber + " has a reference without name, type or id: "
                        + reference);
            }
            parsed.add(new Reference(name, referenceType, referenceId));
        }
        return new SavedObject(lineNumber, type, id, attributes, List.copyOf(parsed));
    }

    /** Dotted field name to mapped type, multi-fields ({@code title.keyword}) included, objects flattened. */
    static Map<String, String> fieldTypes(String index) {
        return FIELD_TYPES_BY_INDEX.computeIfAbsent(index, KibanaSavedObjectsTest::readFieldTypes);
    }

    private static Map<String, String> readFieldTypes(String index) {
        String resource = TEMPLATES + index + ".json";
        try (InputStream in = KibanaSavedObjectsTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no index template " + resource + " on the test classpath for index '"
                        + index + "'");
            }
            Map<String, String> types = new TreeMap<>();
            collectFieldTypes("", JSON.readTree(in).path("template").path("mappings").path("properties"), types);
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static void collectFieldTypes(String prefix, JsonNode properties, Map<String, String> into) {
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            String name = prefix + property.getKey();
            JsonNode mapping = property.getValue();
            if (mapping.has("properties")) {
                collectFieldTypes(name + ".", mapping.get("properties"), into);
            } else {
                into.put(name, mapping.path("type").asText("object"));
            }
            for (Map.Entry<String, JsonNode> multiField : mapping.path("fields").properties()) {
                into.put(name + "." + multiField.getKey(), multiField.getValue().path("type").asText());
            }
        }
    }

    /** Follows searchSourceJSON.indexRefName to the reference, the data view it names and that data view's title. */
    private static String indexOf(SavedObject object) {
        JsonNode searchSource = searchSource(object);
        String refName = searchSource == null ? null : searchSource.path("indexRefName").textValue();
        if (refName == null) {
            throw new AssertionError(object.describe() + " has no searchSourceJSON.indexRefName, so no data view");
        }
        Reference reference = object.reference(refName)
                .orElseThrow(() -> new AssertionError(object.describe() + " has no reference named '" + refName + "'"));
        assertThat(reference.type()).as("type of reference '%s' of %s", refName, object.describe())
                .isEqualTo("index-pattern");
        SavedObject dataView = export.find("index-pattern", reference.id())
                .orElseThrow(() -> new AssertionError(object.describe() + " uses data view '" + reference.id()
                        + "', which is not in " + EXPORT));
        String title = dataView.attributes().path("title").textValue();
        if (title == null) {
            throw new AssertionError(dataView.describe() + " has no title");
        }
        return title;
    }

    /** The parsed searchSourceJSON, or null for an object that has none (a data view). */
    private static JsonNode searchSource(SavedObject object) {
        String json = object.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON").textValue();
        return json == null ? null : parseEmbeddedJson(object, "kibanaSavedObjectMeta.searchSourceJSON", json);
    }

    private static JsonNode parseEmbeddedJson(SavedObject object, String attribute, String json) {
        if (json == null) {
            throw new AssertionError(object.describe() + " has no " + attribute);
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(object.describe() + ": " + attribute + " is not JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    private static List<FieldUse> fieldUses(SavedObject object) {
        List<FieldUse> uses = new ArrayList<>();
        JsonNode searchSource = searchSource(object);
        if (searchSource != null) {
            addQueryFieldUses(searchSource, uses);
        }
        if (object.type().equals("visualization")) {
            addVisStateFieldUses(object, uses);
        }
        if (object.type().equals("search")) {
            addSavedSearchFieldUses(object, uses);
        }
        return uses;
    }

    private static void addQueryFieldUses(JsonNode searchSource, List<FieldUse> uses) {
        JsonNode query = searchSource.path("query");
        // Lucene syntax is not parsed here; the objects use KQL, which Kibana validates against the data view too.
        if ("kuery".equals(query.path("language").textValue()) && query.path("query").isTextual()) {
            for (String field : kqlFieldNames(query.path("query").textValue())) {
                uses.add(new FieldUse(field, "the KQL query", ANY_TYPE));
            }
        }
        for (JsonNode filter : searchSource.path("filter")) {
            String key = filter.path("meta").path("key").textValue();
            if (key != null) {
                uses.add(new FieldUse(key, "a filter", ANY_TYPE));
            }
        }
    }

    private static void addVisStateFieldUses(SavedObject object, List<FieldUse> uses) {
        JsonNode visState = parseEmbeddedJson(object, "visState", object.attributes().path("visState").textValue());
        for (JsonNode agg : visState.path("aggs")) {
            String field = agg.path("params").path("field").textValue();
            if (field != null) {
                String aggType = agg.path("type").asText();
                Set<String> allowed = aggType.equals("date_histogram") ? DATES : AGGREGATABLE;
                uses.add(new FieldUse(field, "the " + aggType + " aggregation " + agg.path("id").asText(), allowed));
            }
        }
        // Chart options (a map's geo field, a control's field) name fields in params rather than in an aggregation.
        for (JsonNode field : visState.path("params").findValues("field")) {
            if (field.isTextual()) {
                uses.add(new FieldUse(field.textValue(), "visState.params", ANY_TYPE));
            }
        }
    }

    private static void addSavedSearchFieldUses(SavedObject object, List<FieldUse> uses) {
        for (JsonNode column : object.attributes().path("columns")) {
            if (!column.asText().equals("_source")) { // Discover's "whole document" column, not a field
                uses.add(new FieldUse(column.asText(), "columns", ANY_TYPE));
            }
        }
        JsonNode sort = object.attributes().path("sort");
        // Saved searches store either one [field, direction] pair or a list of them.
        List<JsonNode> pairs = new ArrayList<>();
        if (sort.path(0).isArray()) {
            sort.forEach(pairs::add);
        } else if (sort.path(0).isTextual()) {
            pairs.add(sort);
        }
        for (JsonNode pair : pairs) {
            String field = pair.path(0).asText();
            if (!field.startsWith("_")) { // _score and _doc are not mapped fields
                uses.add(new FieldUse(field, "sort", AGGREGATABLE));
            }
        }
    }

    static List<String> kqlFieldNames(String kql) {
        Matcher matcher = KQL_FIELD.matcher(KQL_QUOTED_VALUE.matcher(kql).replaceAll("\"\""));
        List<String> fields = new ArrayList<>();
        while (matcher.find()) {
            fields.add(matcher.group(1));
        }
        return fields;
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
    }
}

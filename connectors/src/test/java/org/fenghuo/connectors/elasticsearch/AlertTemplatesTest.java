package org.fenghuo.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fenghuo.core.alert.ActionType;
import org.fenghuo.core.alert.Alert;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertStatus;
import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.Escalation;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.LevelChange;
import org.fenghuo.core.alert.Signal;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The templates of {@code fenghuo-alerts}, {@code fenghuo-signals} and {@code fenghuo-alert-actions} against the
 * documents the correlation job writes: the {@link Json#mapper()} serialisations of {@link Alert}, {@link Signal} and
 * {@link AlertAction}. The mappings are {@code dynamic: strict}, so a field the job writes but a template lacks would
 * be a rejected document; a field a template maps but no record writes is a stale one. Both directions are checked on
 * fully populated samples (every component non-null, every list with one element), together with the kind of value
 * each mapped type expects.
 */
class AlertTemplatesTest {

    /**
     * Mapped fields the sample documents do not contain, per index; kept as small as possible and each checked by a
     * test of its own.
     */
    private static final Map<String, Set<String>> UNWRITTEN = Map.of(
            "fenghuo-alerts", Set.of(),
            "fenghuo-signals", Set.of(),
            "fenghuo-alert-actions", Set.of());

    private static final Instant T0 = Instant.parse("2026-03-05T01:20:00Z");
    private static final EventRegion REGION = new EventRegion("339901", "339901001", "339901001002", "339901001002003");
    private static final GeoPoint LOCATION = new GeoPoint(30.27, 120.15);
    private static final AlertSubject SUBJECT = new AlertSubject(SubjectType.ENTERPRISE, "ENT:91330100MA27XXXX1X", "某建筑公司");

    static Evidence evidence() {
        return new Evidence("labor", "LB-0001", T0, "WAGE_ARREARS", "某建筑公司拖欠工资", "339901001002003", "complaint", 12.5);
    }

    static LevelChange levelChange() {
        return new LevelChange(AlertLevel.YELLOW, T0, T0.plusSeconds(3), "劳资投诉与信访在 72 小时内");
    }

    static Escalation escalation() {
        return new Escalation(T0.plusSeconds(7200), "COMMUNITY", "STREET", "339901001", "黄色告警 2 小时未签收");
    }

    static Alert alert() {
        return new Alert("labor.wage-arrears-escalation:ENT:91330100MA27XXXX1X:20260305T012000Z",
                "labor.wage-arrears-escalation", "欠薪升级", 1, AlertLevel.YELLOW, AlertStatus.DISPATCHED,
                "某建筑公司欠薪升级", "劳资投诉后 3 小时内出现信访", SUBJECT, REGION, LOCATION,
                T0, T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3),
                List.of(evidence()), 2, List.of("labor"), 2.0, 1.0, 2.0,
                List.of(levelChange()), List.of(escalation()), "STREET", "339901001", T0.plusSeconds(9000),
                T0.plusSeconds(4), "duty01", "辖区派出所", T0.plusSeconds(5), T0.plusSeconds(6), 3);
    }

    static Signal signal() {
        return new Signal("entity.risk:ENT:91330100MA27XXXX1X:LB-0001", "entity.risk", SignalKind.RISK_SCORE,
                AlertLevel.BLUE, "风险分上升", "某建筑公司风险分 55", SUBJECT, REGION, LOCATION,
                T0.minusSeconds(3600), T0, T0, T0.plusSeconds(1), 55.0, 20.0, 55.5, 12.5,
                List.of(evidence()), List.of("labor"));
    }

    static AlertAction action() {
        return new AlertAction("6f1c2b9e-0000-4000-8000-000000000001",
                "labor.wage-arrears-escalation:ENT:91330100MA27XXXX1X:20260305T012000Z", ActionType.DISPATCH,
                "duty01", "STREET_DUTY", T0, "已电话联系", "辖区派出所", AlertStatus.DISPATCHED, AlertLevel.YELLOW,
                "labor.wage-arrears-escalation", REGION, "APPLIED");
    }

    @Test
    void samplesAreFullyPopulated() {
        for (Object sample : List.of(alert(), signal(), action(), evidence(), levelChange(), escalation())) {
            assertFullyPopulated(sample, sample.getClass().getSimpleName());
        }
    }

    @Test
    void alertDocumentsMatchTheirTemplate() {
        assertDocumentMatches("fenghuo-alerts", alert());
    }

    @Test
    void signalDocumentsMatchTheirTemplate() {
        assertDocumentMatches("fenghuo-signals", signal());
    }

    @Test
    void alertActionDocumentsMatchTheirTemplate() {
        assertDocumentMatches("fenghuo-alert-actions", action());
    }

    @Test
    void escalatedToIsWrittenForDashboards() {
        Alert escalated = alert();
        assertThat(escalated.escalatedTo()).isEqualTo("STREET");
        assertThat(Json.mapper().<JsonNode>valueToTree(escalated).path("escalatedTo").asText()).isEqualTo("STREET");
    }

    @Test
    void mappingsAreStrictAndVersioned() {
        for (String name : List.of("fenghuo-alerts", "fenghuo-signals", "fenghuo-alert-actions")) {
            JsonNode template = IndexBootstrap.template(name, 0);
            assertThat(template.path("template").path("mappings").path("dynamic").asText()).as(name).isEqualTo("strict");
            assertThat(template.path("version").asInt()).as(name).isEqualTo(2);
            assertThat(template.path("_meta").path("alias").asText()).as(name).isEqualTo(name);
        }
    }

    @Test
    void searchableFieldsHaveTheIntendedTypes() {
        Map<String, String> alerts = mappedLeaves(mappings("fenghuo-alerts").path("properties"), "");
        assertThat(alerts).containsEntry("evidence.recordId", "keyword")
                .containsEntry("title", "text")
                .containsEntry("explanation", "text")
                .containsEntry("levelHistory.reason", "text")
                .containsEntry("escalations.at", "date")
                .containsEntry("location", "geo_point")
                .containsEntry("episode", "integer")
                .containsEntry("limit", "double");
        assertThat(mappings("fenghuo-alerts").path("properties").path("title").path("fields").path("keyword")
                .path("type").asText()).isEqualTo("keyword");
        for (String list : List.of("evidence", "levelHistory", "escalations")) {
            assertThat(mappings("fenghuo-alerts").path("properties").path(list).path("type").asText())
                    .as(list).isEqualTo("object");
        }
        assertThat(mappedLeaves(mappings("fenghuo-alert-actions").path("properties"), ""))
                .containsEntry("note", "text").containsEntry("action", "keyword");
    }

    // --- the comparison -----------------------------------------------------------------------------------------

    private static void assertDocumentMatches(String index, Object sample) {
        String record = sample.getClass().getSimpleName();
        Map<String, String> mapped = mappedLeaves(mappings(index).path("properties"), "");
        Map<String, JsonNode> written = new TreeMap<>();
        writtenLeaves(Json.mapper().valueToTree(sample), "", mapped, written);

        Set<String> unmapped = new TreeSet<>(written.keySet());
        unmapped.removeAll(mapped.keySet());
        Set<String> stale = new TreeSet<>(mapped.keySet());
        stale.removeAll(written.keySet());
        stale.removeAll(UNWRITTEN.get(index));

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(unmapped).as("fields %s writes that %s does not map (strict: the document is rejected)",
                record, index).isEmpty();
        soft.assertThat(stale).as("fields %s maps that %s never writes (stale)", index, record).isEmpty();
        soft.assertThat(mapped.keySet()).as("allowed unwritten fields of %s are mapped", index)
                .containsAll(UNWRITTEN.get(index));
        for (Map.Entry<String, JsonNode> e : written.entrySet()) {
            String type = mapped.get(e.getKey());
            if (type != null) {
                String problem = incompatibility(type, e.getValue());
                soft.assertThat(problem).as("%s:%s mapped as %s, written as %s", index, e.getKey(), type, e.getValue())
                        .isNull();
            }
        }
        soft.assertAll();
    }

    /** Leaf field paths of a mapping with their types; multi-fields ({@code title.keyword}) are not document fields. */
    private static Map<String, String> mappedLeaves(JsonNode properties, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String path = prefix + f.getKey();
            if (f.getValue().has("properties")) {
                out.putAll(mappedLeaves(f.getValue().path("properties"), path + "."));
            } else {
                assertThat(f.getValue().path("type").isTextual()).as("type of " + path).isTrue();
                out.put(path, f.getValue().path("type").asText());
            }
        }
        return out;
    }

    /**
     * Leaf field paths of a document. Arrays take the path of their elements, as Elasticsearch sees them; an object
     * at a geo_point path is one value.
     */
    private static void writtenLeaves(JsonNode node, String path, Map<String, String> mapped, Map<String, JsonNode> out) {
        if (node.isArray()) {
            assertThat(node).as("sample list " + path + " has an element").isNotEmpty();
            for (JsonNode element : node) writtenLeaves(element, path, mapped, out);
        } else if (node.isObject() && !"geo_point".equals(mapped.get(path))) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                writtenLeaves(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), mapped, out);
            }
        } else {
            out.put(path, node);
        }
    }

    /** Why a written value does not suit its mapped type, or null when it does. */
    private static String incompatibility(String type, JsonNode value) {
        boolean instant = value.isTextual() && isInstant(value.asText());
        return switch (type) {
            case "keyword", "text" -> value.isTextual() && !instant ? null : "expected a string that is not a time";
            case "date" -> instant ? null : "expected an ISO instant";
            case "integer", "long" -> value.isIntegralNumber() ? null : "expected an integer";
            case "double", "float" -> value.isNumber() ? null : "expected a number";
            case "boolean" -> value.isBoolean() ? null : "expected a boolean";
            case "geo_point" -> value.size() == 2 && value.path("lat").isNumber() && value.path("lon").isNumber()
                    ? null : "expected {lat, lon}";
            default -> "unexpected mapping type " + type;
        };
    }

    private static boolean isInstant(String s) {
        try {
            Instant.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Every record component non-null and every list non-empty, recursively into the core records. */
    private static void assertFullyPopulated(Object value, String path) {
        assertThat(value).as(path).isNotNull();
        if (value instanceof Collection<?> c) {
            assertThat(c).as(path).isNotEmpty();
            for (Object element : c) assertFullyPopulated(element, path + "[]");
        } else if (value instanceof Record r) {
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    assertFullyPopulated(rc.getAccessor().invoke(r), path + "." + rc.getName());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(path + "." + rc.getName(), e);
                }
            }
        }
    }

    private static JsonNode mappings(String name) {
        return IndexBootstrap.template(name, 0).path("template").path("mappings");
    }
}

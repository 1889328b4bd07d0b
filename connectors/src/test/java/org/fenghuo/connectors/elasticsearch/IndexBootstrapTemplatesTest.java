package org.fenghuo.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The template resources themselves; IndexBootstrap against a real Elasticsearch is in ElasticsearchSinkIT. */
class IndexBootstrapTemplatesTest {

    @Test
    void everyNameHasATemplateMatchingItsBackingIndices() {
        for (String name : FenghuoIndices.all()) {
            ObjectNode t = IndexBootstrap.template(name, 0);
            assertThat(t.path("index_patterns")).hasSize(1);
            assertThat(t.path("index_patterns").get(0).asText()).isEqualTo(name + "-*");
            JsonNode settings = t.path("template").path("settings").path("index");
            assertThat(settings.path("number_of_shards").asInt()).as(name).isEqualTo(1);
            assertThat(settings.path("number_of_replicas").asInt()).as(name).isZero();
            assertThat(t.path("template").path("aliases").isMissingNode())
                    .as("the alias is attached to the write index, not by the template").isTrue();
        }
    }

    @Test
    void replicasAreApplied() {
        assertThat(IndexBootstrap.template("fenghuo-alerts", 1)
                .path("template").path("settings").path("index").path("number_of_replicas").asInt()).isEqualTo(1);
    }

    @Test
    void jobDocumentsAreStrictAndDeadLettersIgnoreUnknownFields() {
        for (String name : List.of("fenghuo-events", "fenghuo-signals", "fenghuo-alerts", "fenghuo-alert-actions")) {
            assertThat(mappings(name).path("dynamic").asText()).as(name).isEqualTo("strict");
        }
        assertThat(mappings("fenghuo-deadletters").path("dynamic").asText()).isEqualTo("false");
    }

    @Test
    void eventFieldsHaveTheDesignedTypes() {
        JsonNode p = mappings("fenghuo-events").path("properties");
        assertThat(type(p, "eventId")).isEqualTo("keyword");
        assertThat(type(p, "occurredAt")).isEqualTo("date");
        assertThat(type(p, "ingestedAt")).isEqualTo("date");
        assertThat(type(p, "location")).isEqualTo("geo_point");
        assertThat(type(p, "severity")).isEqualTo("integer");
        assertThat(type(p, "peopleCount")).isEqualTo("integer");
        assertThat(type(p, "entities")).isEqualTo("keyword");
        assertThat(type(p, "title")).isEqualTo("text");
        assertThat(p.path("title").path("fields").path("keyword").path("type").asText()).isEqualTo("keyword");
        assertThat(type(p, "summary")).isEqualTo("text");
        assertThat(type(p.path("region").path("properties"), "grid")).isEqualTo("keyword");
        assertThat(type(p.path("persons").path("properties"), "idNumber")).isEqualTo("keyword");
        assertThat(type(p.path("persons").path("properties"), "verified")).isEqualTo("boolean");
        assertThat(type(p.path("enterprises").path("properties"), "name")).isEqualTo("text");
        assertThat(type(p.path("details").path("properties"), "amountOwedCny")).isEqualTo("double");
        assertThat(type(p.path("details").path("properties"), "isRepeat")).isEqualTo("boolean");
        assertThat(type(p.path("details").path("properties"), "workersAffected")).isEqualTo("integer");
        assertThat(type(p, "flags")).isEqualTo("keyword");
    }

    @Test
    void deadLetterFieldsCoverBothKinds() {
        JsonNode p = mappings("fenghuo-deadletters").path("properties");
        for (String f : List.of("deadLetterId", "kind", "sourceTopic", "recordId", "feed", "field", "targetIndex",
                "documentId")) {
            assertThat(type(p, f)).as(f).isEqualTo("keyword");
        }
        assertThat(type(p, "partition")).isEqualTo("integer");
        assertThat(type(p, "offset")).isEqualTo("long");
        assertThat(type(p, "reason")).isEqualTo("text");
        assertThat(type(p, "rejectedAt")).isEqualTo("date");
        assertThat(type(p, "status")).isEqualTo("integer");
        assertThat(type(p, "sizeBytes")).isEqualTo("integer");
    }

    @Test
    void alertFieldsFollowTheContract() {
        JsonNode p = mappings("fenghuo-alerts").path("properties");
        for (String f : List.of("alertId", "ruleId", "level", "status", "sources")) {
            assertThat(type(p, f)).as(f).isEqualTo("keyword");
        }
        assertThat(type(p, "location")).isEqualTo("geo_point");
        for (String f : List.of("triggeredAt", "raisedAt", "updatedAt")) {
            assertThat(type(p, f)).as(f).isEqualTo("date");
        }
        assertThat(type(p.path("subject").path("properties"), "key")).isEqualTo("keyword");
        assertThat(type(p.path("evidence").path("properties"), "occurredAt")).isEqualTo("date");
    }

    @Test
    void builderValidation() {
        ElasticsearchConnection conn = ElasticsearchConnection.of("http://localhost:9200");
        assertThatThrownBy(() -> IndexBootstrap.builder().build()).hasMessage("connection is required");
        assertThatThrownBy(() -> IndexBootstrap.builder().connection(conn).replicas(-1).build())
                .hasMessage("replicas must be between 0 and 10, was -1");
        assertThatThrownBy(() -> IndexBootstrap.builder().connection(conn).names(List.of("nope")).build())
                .hasMessage("names: no index template resource for 'nope'");
    }

    private static JsonNode mappings(String name) {
        return IndexBootstrap.template(name, 0).path("template").path("mappings");
    }

    private static String type(JsonNode properties, String field) {
        return properties.path(field).path("type").asText(null);
    }
}

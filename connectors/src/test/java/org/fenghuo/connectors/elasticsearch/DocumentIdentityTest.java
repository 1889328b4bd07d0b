package org.fenghuo.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Ids are what make replays overwrite: they must be deterministic and acceptable to Elasticsearch. */
class DocumentIdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deadLetterIdsAreDeterministic() {
        assertThat(DeadLetters.indexRejectedId("fenghuo-events", "grid-report:GR-1"))
                .isEqualTo("index-rejected:fenghuo-events:grid-report:GR-1")
                .isEqualTo(DeadLetters.indexRejectedId("fenghuo-events", "grid-report:GR-1"));
        IndexDocument a = DeadLetters.indexRejected("fenghuo-deadletters", "fenghuo-events", "e1", 400, "r", null, 10,
                Instant.parse("2026-03-05T01:30:00Z"));
        IndexDocument b = DeadLetters.indexRejected("fenghuo-deadletters", "fenghuo-events", "e1", 400, "r", null, 10,
                Instant.parse("2026-03-05T01:30:00Z"));
        assertThat(a).isEqualTo(b);
        assertThat(a.index()).isEqualTo("fenghuo-deadletters");
    }

    @Test
    void overlongIdsAreHashedToStayWithinTheLimit() {
        String longId = "番".repeat(300); // 900 UTF-8 bytes
        String id = DeadLetters.indexRejectedId("fenghuo-events", longId);
        assertThat(id).startsWith("index-rejected:fenghuo-events:sha256:");
        assertThat(id.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512);
        assertThat(id).isEqualTo(DeadLetters.indexRejectedId("fenghuo-events", longId));
        assertThat(id).isNotEqualTo(DeadLetters.indexRejectedId("fenghuo-events", longId + "x"));
    }

    @Test
    void deadLetterDocumentHasTheContractFields() throws Exception {
        IndexDocument dl = DeadLetters.indexRejected("fenghuo-deadletters", "fenghuo-events", "e1", 400,
                "strict_dynamic_mapping_exception: ...", "zzz", 123, Instant.parse("2026-03-05T01:30:00Z"));
        JsonNode n = JSON.readTree(dl.jsonSource());
        assertThat(n.path("deadLetterId").asText()).isEqualTo(dl.id());
        assertThat(n.path("kind").asText()).isEqualTo("INDEX_REJECTED");
        assertThat(n.path("targetIndex").asText()).isEqualTo("fenghuo-events");
        assertThat(n.path("documentId").asText()).isEqualTo("e1");
        assertThat(n.path("reason").asText()).isEqualTo("strict_dynamic_mapping_exception: ...");
        assertThat(n.path("field").asText()).isEqualTo("zzz");
        assertThat(n.path("status").asInt()).isEqualTo(400);
        assertThat(n.path("sizeBytes").asInt()).isEqualTo(123);
        assertThat(n.path("rejectedAt").asText()).isEqualTo("2026-03-05T01:30:00Z");
    }

    @Test
    void indexDocumentNeedsAnIdAndNeverPrintsItsSource() {
        assertThatThrownBy(() -> IndexDocument.of("fenghuo-events", "", "{}"))
                .hasMessageContaining("the sink never generates ids");
        assertThatThrownBy(() -> IndexDocument.of(" ", "x", "{}")).hasMessageContaining("index");
        IndexDocument d = IndexDocument.of("fenghuo-events", "e1", "{\"name\":\"张三\"}");
        assertThat(d.toString()).contains("e1").doesNotContain("张三");
        assertThat(d).isEqualTo(IndexDocument.of("fenghuo-events", "e1", "{\"name\":\"张三\"}"));
        assertThat(d.hashCode()).isEqualTo(IndexDocument.of("fenghuo-events", "e1", "{\"name\":\"张三\"}").hashCode());
    }
}

package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.fenghuo.connectors.elasticsearch.ElasticsearchConnection;
import org.fenghuo.connectors.elasticsearch.ElasticsearchSink;
import org.fenghuo.connectors.elasticsearch.FenghuoIndices;
import org.fenghuo.connectors.elasticsearch.IndexBootstrap;
import org.fenghuo.connectors.elasticsearch.IndexDocument;
import org.fenghuo.localservices.LocalServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Elasticsearch sink and index bootstrap against a real Elasticsearch (started by
 * {@link LocalServicesExtension}) with Flink jobs on a MiniCluster. Every document id carries a per-run
 * prefix so the test shares the cluster with other tests without interference.
 */
@ExtendWith(LocalServicesExtension.class)
class ElasticsearchSinkIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static String esUrl;
    private static Http es;

    @BeforeAll
    static void bootstrap(LocalServices services) throws Exception {
        esUrl = services.elasticsearchUrl();
        es = new Http(esUrl);
        ElasticsearchConnection connection = ElasticsearchConnection.of(esUrl);

        // Two bootstraps racing, as when two jobs start at once: both must succeed.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Map<String, IndexBootstrap.Outcome>> run = () -> IndexBootstrap.run(connection, 0);
            List<Future<Map<String, IndexBootstrap.Outcome>>> runs = pool.invokeAll(List.of(run, run));
            for (Future<Map<String, IndexBootstrap.Outcome>> f : runs) {
                assertThat(f.get().keySet()).containsExactlyElementsOf(FenghuoIndices.all());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bootstrapIsIdempotentAndCreatesWriteAliases() throws Exception {
        Map<String, IndexBootstrap.Outcome> again = IndexBootstrap.run(ElasticsearchConnection.of(esUrl), 0);
        assertThat(again.values()).containsOnly(IndexBootstrap.Outcome.EXISTED);

        for (String name : FenghuoIndices.all()) {
            JsonNode alias = es.get("/_alias/" + name);
            JsonNode writeIndex = alias.path(name + "-000001").path("aliases").path(name);
            assertThat(writeIndex.path("is_write_index").asBoolean()).as(name + " write index").isTrue();
            JsonNode template = es.get("/_index_template/" + name);
            assertThat(template.path("index_templates").get(0).path("index_template").path("index_patterns").get(0)
                    .asText()).isEqualTo(name + "-*");
        }
        JsonNode mapping = es.get("/fenghuo-events/_mapping").path("fenghuo-events-000001").path("mappings");
        assertThat(mapping.path("dynamic").asText()).isEqualTo("strict");
        assertThat(mapping.path("properties").path("location").path("type").asText()).isEqualTo("geo_point");
        JsonNode settings = es.get("/fenghuo-events-000001/_settings")
                .path("fenghuo-events-000001").path("settings").path("index");
        assertThat(settings.path("number_of_shards").asText()).isEqualTo("1");
        assertThat(settings.path("number_of_replicas").asText()).isEqualTo("0");
    }

    @Test
    void writesEveryDocumentOnceAndAReplayOverwrites() throws Exception {
        String run = "it-sink-" + UUID.randomUUID() + "-";
        int n = 5_000;
        List<Tuple2<String, String>> input = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            input.add(Tuple2.of(run + i, validEvent(run + i, i)));
        }

        long started = System.nanoTime();
        runJob(input, "sink IT: first pass");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(countByPrefix(run)).isEqualTo(n);
        System.out.printf("ElasticsearchSinkIT: %d documents in %.1f s (%.0f docs/s including job start-up)%n",
                n, seconds, n / seconds);

        runJob(input, "sink IT: replay");
        assertThat(countByPrefix(run)).as("a replay overwrites by id").isEqualTo(n);

        JsonNode doc = es.get("/fenghuo-events/_doc/" + run + "7");
        assertThat(doc.path("found").asBoolean()).isTrue();
        assertThat(doc.path("_version").asLong()).as("indexed twice, stored once").isEqualTo(2);
        assertThat(doc.path("_source").path("recordId").asText()).isEqualTo("GR-7");
        assertThat(doc.path("_source").path("location").path("lat").asDouble()).isEqualTo(39.9);
    }

    @Test
    void aDocumentTheMappingRefusesGoesToTheDeadLettersAndTheJobCarriesOn() throws Exception {
        String run = "it-sink-" + UUID.randomUUID() + "-";
        String unknownField = run + "unknown-field";
        String wrongType = run + "wrong-type";

        ObjectNode withUnknownField = (ObjectNode) JSON.readTree(validEvent(unknownField, 1));
        withUnknownField.put("unexpectedField", "surprise");
        ObjectNode withWrongType = (ObjectNode) JSON.readTree(validEvent(wrongType, 2));
        withWrongType.put("severity", "13812345678 张三"); // personal-looking value: must not reach the dead letter

        List<Tuple2<String, String>> input = List.of(
                Tuple2.of(run + "good-1", validEvent(run + "good-1", 3)),
                Tuple2.of(unknownField, withUnknownField.toString()),
                Tuple2.of(wrongType, withWrongType.toString()),
                Tuple2.of(run + "good-2", validEvent(run + "good-2", 4)));

        runJob(input, "sink IT: rejections"); // returns normally: the job did not fail

        assertThat(countByPrefix(run)).as("only the valid events are indexed").isEqualTo(2);

        es.post("/fenghuo-deadletters/_refresh", null);
        JsonNode strict = es.get("/fenghuo-deadletters/_doc/index-rejected:fenghuo-events:" + unknownField);
        assertThat(strict.path("found").asBoolean()).as("dead letter for the unmapped field").isTrue();
        JsonNode s = strict.path("_source");
        assertThat(s.path("kind").asText()).isEqualTo("INDEX_REJECTED");
        assertThat(s.path("targetIndex").asText()).isEqualTo("fenghuo-events");
        assertThat(s.path("documentId").asText()).isEqualTo(unknownField);
        assertThat(s.path("status").asInt()).isEqualTo(400);
        assertThat(s.path("reason").asText()).contains("strict_dynamic_mapping_exception", "unexpectedField");
        assertThat(s.path("field").asText()).isEqualTo("unexpectedField");
        assertThat(Instant.parse(s.path("rejectedAt").asText())).isBefore(Instant.now().plusSeconds(1));

        JsonNode typed = es.get("/fenghuo-deadletters/_doc/index-rejected:fenghuo-events:" + wrongType);
        assertThat(typed.path("found").asBoolean()).as("dead letter for the badly typed field").isTrue();
        assertThat(typed.path("_source").path("reason").asText()).contains("severity")
                .doesNotContain("13812345678").doesNotContain("张三");
        assertThat(typed.path("_source").toString()).doesNotContain("13812345678").doesNotContain("张三");

        JsonNode found = es.post("/fenghuo-deadletters/_search",
                "{\"query\":{\"prefix\":{\"documentId\":\"" + run + "\"}}}");
        assertThat(found.path("hits").path("total").path("value").asLong()).isEqualTo(2);
    }

    @Test
    void waitsOutAWriteBlockAndLosesNothing() throws Exception {
        // A private plain index, so blocking it cannot disturb other tests sharing the cluster.
        String index = "it-sink-block-" + UUID.randomUUID();
        es.put("/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}");
        try {
            // What Elasticsearch does at the flood-stage disk watermark: every write answers 429.
            es.put("/" + index + "/_settings", "{\"index.blocks.read_only_allow_delete\":true}");
            int n = 300;
            List<Tuple2<String, String>> input = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                input.add(Tuple2.of("doc-" + i, "{\"i\":" + i + "}"));
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.fromData(input).sinkTo(ElasticsearchSink.<Tuple2<String, String>>builder()
                    .hosts(esUrl)
                    .documentMapper(t -> IndexDocument.of(index, t.f0, t.f1))
                    .requireAlias(false)
                    .maxBatchActions(50)
                    .initialBackoff(Duration.ofMillis(50))
                    .maxBackoff(Duration.ofMillis(500))
                    .maxAttempts(200)
                    .build());
            var job = env.executeAsync("sink IT: write block");

            Thread.sleep(3000);
            assertThat(job.getJobStatus().get().isGloballyTerminalState())
                    .as("the job waits for the block to lift instead of finishing or failing").isFalse();
            assertThat(es.post("/" + index + "/_count", null).path("count").asLong()).isZero();

            es.put("/" + index + "/_settings", "{\"index.blocks.read_only_allow_delete\":null}");
            job.getJobExecutionResult().get(2, java.util.concurrent.TimeUnit.MINUTES);

            es.post("/" + index + "/_refresh", null);
            assertThat(es.post("/" + index + "/_count", null).path("count").asLong()).isEqualTo(n);
        } finally {
            es.delete("/" + index);
        }
    }

    private static void runJob(List<Tuple2<String, String>> input, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ElasticsearchSink<Tuple2<String, String>> sink = ElasticsearchSink.<Tuple2<String, String>>builder()
                .hosts(esUrl)
                .documentMapper(t -> IndexDocument.of(FenghuoIndices.EVENTS, t.f0, t.f1))
                .maxBatchActions(500)
                .maxAttempts(20) // a broken cluster fails the test instead of hanging it
                .build();
        env.fromData(input).name("input").sinkTo(sink).name("elasticsearch");
        env.execute(name);
    }

    private static long countByPrefix(String prefix) throws IOException, InterruptedException {
        es.post("/fenghuo-events/_refresh", null);
        return es.post("/fenghuo-events/_count", "{\"query\":{\"prefix\":{\"eventId\":\"" + prefix + "\"}}}")
                .path("count").asLong(-1);
    }

    /** An event document that fits the strict fenghuo-events mapping. */
    private static String validEvent(String eventId, int i) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventId", eventId);
        e.put("feed", "grid-report");
        e.put("recordId", "GR-" + i);
        e.put("sourceTopic", "feed.grid-reports");
        e.put("occurredAt", "2026-03-05T09:30:00+08:00");
        e.put("ingestedAt", "2026-03-05T09:30:02+08:00");
        ObjectNode region = e.putObject("region");
        region.put("district", "110105");
        region.put("street", "110105001");
        region.put("community", "110105001001");
        region.put("grid", "110105001001001");
        e.putObject("location").put("lat", 39.9).put("lon", 116.4);
        e.put("category", "DISPUTE");
        e.put("severity", i % 5);
        e.put("peopleCount", 3);
        e.putArray("entities").add("REG:110105001001").add("PER:3f2a");
        e.put("title", "邻里纠纷 " + i);
        e.put("summary", "张* 与邻居因噪音发生争执");
        ObjectNode person = e.putArray("persons").addObject();
        person.put("role", "COMPLAINANT").put("key", "PER:3f2a").put("name", "张*").put("phone", "138****5678")
                .put("idNumber", "110105********1234").put("verified", true);
        e.putObject("details").put("channel", "APP").put("isRepeat", false);
        e.putArray("flags").add("TEST");
        return e.toString();
    }

    /** Plain HTTP, so the assertions read what Elasticsearch stored, independent of the code under test. */
    private static final class Http {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;

        Http(String base) {
            this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        JsonNode post(String path, String body) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
        }

        JsonNode put(String path, String body) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
        }

        JsonNode delete(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
        }

        private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> r = client.send(
                    request.header("Content-Type", "application/json").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() >= 300 && r.statusCode() != 404) {
                throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " -> "
                        + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        }
    }
}

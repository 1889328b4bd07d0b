package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fenghuo.connectors.elasticsearch.ElasticsearchConnection;
import org.fenghuo.connectors.elasticsearch.IndexBootstrap;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.jobs.ingest.IngestJob;
import org.fenghuo.jobs.ingest.IngestSettings;
import org.fenghuo.localservices.LocalServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The ingest job end to end on a real Kafka broker, a real Elasticsearch and a Flink MiniCluster. */
@ExtendWith(LocalServicesExtension.class)
class IngestIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static LocalServices services;
    private static Elastic elastic;

    @BeforeAll
    static void setUp(LocalServices s) throws Exception {
        services = s;
        Map<String, Integer> topics = new HashMap<>();
        for (String t : Topics.all()) topics.put(t, 2);
        services.createTopics(topics);
        IndexBootstrap.run(ElasticsearchConnection.of(services.elasticsearchUrl()), 0);
        elastic = new Elastic(services.elasticsearchUrl());
    }

    private JobClient startIngest(String groupId, Path checkpoints, String restoreFrom) throws Exception {
        Map<String, String> v = new HashMap<>();
        v.put(IngestSettings.KAFKA_BOOTSTRAP.name(), services.kafkaBootstrapServers());
        v.put(IngestSettings.ES_HOSTS.name(), services.elasticsearchUrl());
        v.put(IngestSettings.REGIONS.name(), TestFeeds.REGIONS.toString());
        v.put(IngestSettings.SECRET.name(), "integration-test-secret-0123456789");
        v.put(IngestSettings.GROUP_ID.name(), groupId);
        v.put(IngestSettings.CHECKPOINT_INTERVAL.name(), "500ms");
        v.put(IngestSettings.CHECKPOINT_DIR.name(), checkpoints.toUri().toString());
        v.put(IngestSettings.PARALLELISM.name(), "2");
        Configuration conf = new Configuration();
        if (restoreFrom != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        IngestJob.wire(env, IngestSettings.from(Settings.of(v)));
        return env.executeAsync(IngestJob.NAME);
    }

    private static String prefixQuery(String field, String prefix) {
        return "{\"prefix\":{\"" + field + "\":\"" + prefix + "\"}}";
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(org.fenghuo.simulator.KafkaFeedSink.properties(services.kafkaBootstrapServers(), java.util.Map.of()));
    }

    @Test
    void validRecordsBecomeUniqueEventsAndMalformedOnesDeadLettersWithNoPersonalDataInElasticsearch(@TempDir Path tmp) throws Exception {
        String run = "IT" + UUID.randomUUID().toString().substring(0, 8);
        TestFeeds feeds = new TestFeeds(run);
        int n = 400, m = 24;
        List<TestFeeds.Rec> input = new ArrayList<>();
        for (int i = 0; i < n; i++) input.add(feeds.valid(i));
        for (int i = 0; i < 40; i++) input.add(feeds.valid(i * 7 % n)); // redeliveries
        for (int i = 0; i < m; i++) input.add(feeds.malformed(i));
        java.util.Collections.shuffle(input, new java.util.Random(7));

        JobClient job = startIngest("ingest-it-" + run, tmp.resolve("chk"), null);
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            TestFeeds.send(p, input);
        }
        long events = elastic.awaitCount("fenghuo-events", prefixQuery("recordId", run), c -> c >= n, TIMEOUT);
        long dead = elastic.awaitCount("fenghuo-deadletters", "{\"terms\":{\"sourceTopic\":[\"feed.petitions\",\"feed.grid-reports\",\"feed.linkage-calls\",\"feed.labor-inspections\"]}}", c -> c >= m, TIMEOUT);
        Thread.sleep(2_000); // anything extra (a duplicate) would have arrived by now
        events = elastic.count("fenghuo-events", prefixQuery("recordId", run));
        job.cancel().get();

        assertThat(events).as("unique events in fenghuo-events").isEqualTo(n);
        List<JsonNode> deadLetters = elastic.all("fenghuo-deadletters").stream()
                .filter(d -> d.path("kind").asText().equals("FEED_REJECTED")).toList();
        assertThat(elastic.count("fenghuo-deadletters", prefixQuery("recordId", run + "-bad-"))).as("dead letters with a record id")
                .isEqualTo(m - m / 6 /* not-JSON records have no readable id */ - m / 6 /* nor do JSON arrays */);
        assertThat(dead).as("feed dead letters in fenghuo-deadletters").isEqualTo(m);
        Set<String> reasons = new HashSet<>();
        deadLetters.forEach(d -> reasons.add(d.path("reason").asText().replaceAll("[0-9]", "#")));
        assertThat(reasons).anyMatch(r -> r.startsWith("missing field reporterId"))
                .anyMatch(r -> r.startsWith("unknown callType RIOT"))
                .anyMatch(r -> r.contains("not in regions"))
                .anyMatch(r -> r.contains("more than # day in the future"))
                .anyMatch(r -> r.startsWith("record is not a JSON object"));

        String everything = elastic.dumpAll();
        for (String raw : feeds.rawPersonalValues) {
            assertThat(everything).as("raw personal value in Elasticsearch").doesNotContain(raw);
        }

        // the dead-letter topic keeps the original bytes and the coordinates, for repair and replay
        List<JsonNode> topicDeadLetters = readTopic(Topics.DEAD_LETTER, run, m);
        assertThat(topicDeadLetters).hasSize(m);
        assertThat(topicDeadLetters).allSatisfy(d -> {
            assertThat(d.path("originalBase64").asText()).isNotEmpty();
            assertThat(d.path("sourceTopic").asText()).startsWith("feed.");
            assertThat(d.has("offset")).isTrue();
            assertThat(d.path("reason").asText()).isNotBlank();
        });
    }

    /** Dead letters on the topic whose original text mentions {@code marker}. */
    private static List<JsonNode> readTopic(String topic, String marker, int expected) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = newReader()) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    String v = new String(r.value(), StandardCharsets.UTF_8);
                    JsonNode n = org.fenghuo.core.json.Json.mapper().readTree(v);
                    String original = new String(java.util.Base64.getDecoder().decode(n.path("originalBase64").asText()), StandardCharsets.UTF_8);
                    if (original.contains(marker) || original.startsWith("this is not json")) out.add(n);
                }
                if (out.size() >= expected) {
                    // give stragglers (duplicates would be a failure) a moment
                    c.poll(Duration.ofSeconds(1)).forEach(r -> { });
                    break;
                }
            }
        }
        return out.stream().filter(n -> {
            String original = new String(java.util.Base64.getDecoder().decode(n.path("originalBase64").asText()), StandardCharsets.UTF_8);
            return original.contains(marker) || original.startsWith("this is not json");
        }).toList();
    }

    /** A consumer in a fresh group that reads a topic from the beginning. */
    private static KafkaConsumer<byte[], byte[]> newReader() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static Optional<Path> latestCheckpoint(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(java.util.Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
        }
    }

    @Test
    void restartFromTheLastCheckpointAddsNoDuplicateAndLosesNothing(@TempDir Path tmp) throws Exception {
        String run = "RS" + UUID.randomUUID().toString().substring(0, 8);
        TestFeeds feeds = new TestFeeds(run);
        Path chk = tmp.resolve("chk");
        String group = "ingest-restart-" + run;
        List<TestFeeds.Rec> first = new ArrayList<>(), second = new ArrayList<>();
        for (int i = 0; i < 200; i++) first.add(feeds.valid(i));
        for (int i = 200; i < 400; i++) second.add(feeds.valid(i));
        for (int i = 0; i < 50; i++) second.add(feeds.valid(i * 3)); // redeliveries of records processed before the restart

        JobClient job = startIngest(group, chk, null);
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            TestFeeds.send(p, first);
        }
        assertThat(elastic.awaitCount("fenghuo-events", prefixQuery("recordId", run), c -> c >= 200, TIMEOUT)).isEqualTo(200);
        // a checkpoint completed after everything so far was processed
        long seenAt = System.currentTimeMillis();
        Path checkpoint = null;
        for (int i = 0; i < 120 && checkpoint == null; i++) {
            Thread.sleep(250);
            Optional<Path> latest = latestCheckpoint(chk);
            if (latest.isPresent() && Files.getLastModifiedTime(latest.get().resolve("_metadata")).toMillis() > seenAt + 600) checkpoint = latest.get();
        }
        assertThat(checkpoint).as("a completed checkpoint in " + chk).isNotNull();
        job.cancel().get();

        try (KafkaProducer<byte[], byte[]> p = producer()) {
            TestFeeds.send(p, second);
        }
        JobClient restarted = startIngest(group, chk, checkpoint.toUri().toString());
        long events = elastic.awaitCount("fenghuo-events", prefixQuery("recordId", run), c -> c >= 400, TIMEOUT);
        Thread.sleep(2_000);
        List<JsonNode> onTopic = readEventsTopic(run, 400);
        restarted.cancel().get();

        assertThat(events).isEqualTo(400);
        assertThat(elastic.count("fenghuo-events", prefixQuery("recordId", run))).isEqualTo(400);
        assertThat(onTopic).as("events.normalized: every event exactly once across the restart").hasSize(400);
        assertThat(onTopic.stream().map(n -> n.path("eventId").asText()).distinct().count()).isEqualTo(400);
    }

    private static List<JsonNode> readEventsTopic(String run, int expected) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = newReader()) {
            c.subscribe(List.of(Topics.EVENTS_NORMALIZED));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int quietPolls = 0;
            while (System.nanoTime() < deadline && quietPolls < 4) {
                var records = c.poll(Duration.ofMillis(500));
                boolean any = false;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    JsonNode n = org.fenghuo.core.json.Json.mapper().readTree(r.value());
                    if (n.path("recordId").asText().startsWith(run + "-")) {
                        out.add(n);
                        any = true;
                    }
                }
                quietPolls = out.size() >= expected && !any ? quietPolls + 1 : 0;
            }
        }
        return out;
    }
}

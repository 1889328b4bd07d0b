package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fenghuo.connectors.elasticsearch.ElasticsearchConnection;
import org.fenghuo.connectors.elasticsearch.IndexBootstrap;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.flinkcluster.FlinkRest;
import org.fenghuo.flinkcluster.LocalFlinkCluster;
import org.fenghuo.flinkcluster.LocalFlinkClusterOptions;
import org.fenghuo.jobs.correlation.CorrelationJob;
import org.fenghuo.jobs.correlation.CorrelationSettings;
import org.fenghuo.jobs.ingest.IngestJob;
import org.fenghuo.jobs.ingest.IngestSettings;
import org.fenghuo.localservices.LocalServices;
import org.fenghuo.simulator.FeedSink;
import org.fenghuo.simulator.SimulationStats;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.Speed;
import org.fenghuo.simulator.city.DemoCity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs as jars on a real Flink session cluster — a JobManager and two TaskManagers, each its own JVM, started
 * from Flink's artifacts with a {@code config.yaml}, RocksDB state, jobs submitted over REST at parallelism 2 with
 * exactly-once Kafka sinks — give the same events, dead letters and alerts as the demo's MiniCluster for one input.
 */
@ExtendWith(LocalServicesExtension.class)
@org.junit.jupiter.api.Disabled("issue 5, in progress: first full run not yet seen green (see the session note)")
class FlinkClusterIT {
    private static final String SECRET = "flink-cluster-it-secret-0123456789";
    private static final Path JOBS = Path.of("../jobs/target");
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final String RUN = "fc" + UUID.randomUUID().toString().substring(0, 6);

    @Test
    void theJobJarsOnATwoTaskManagerClusterGiveTheSameEventsDeadLettersAndAlertsAsTheMiniCluster(LocalServices services, @TempDir Path tmp)
            throws Exception {
        String kafka = services.kafkaBootstrapServers();
        String es = services.elasticsearchUrl();
        Map<String, Integer> topics = new HashMap<>();
        for (String t : Topics.all()) topics.put(t, t.equals(Topics.CONTROL_RULES) ? 1 : 2);
        services.createTopics(topics);
        IndexBootstrap.run(ElasticsearchConnection.of(es), 0);
        DemoCity city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        Path regions = tmp.resolve("city.geojson");
        city.writeGeoJson(regions);

        // one input: four days of background, then six hours of live traffic with the scripted scenarios, ~1% malformed
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        SimulationStats stats = new Simulator(city, SimulatorConfig.builder().seed(23).speed(Speed.factor(100_000))
                .history(Duration.ofDays(4)).maxSimulatedDuration(Duration.ofHours(6)).build()).run(collect(input), () -> false);
        Map<TopicPartition, Long> feedStart = new HashMap<>();
        for (String t : Topics.feedTopics()) feedStart.putAll(PipelineRun.committedEnds(kafka, t));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(org.fenghuo.simulator.KafkaFeedSink.properties(kafka, Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : input) producer.send(r);
            producer.flush();
        }
        System.out.printf("[cluster-it] input: %s%n", stats);

        // the reference: both jobs in one MiniCluster, as ./fenghuo demo runs them
        PipelineRun reference = new PipelineRun(kafka);
        Map<String, String> ref = settings(kafka, es, regions, "ref-" + RUN, tmp.resolve("ref-checkpoints").toUri().toString(), 1);
        prepareGroups(kafka, "ref-" + RUN, feedStart);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        IngestJob.wire(env, IngestSettings.from(Settings.of(ingestOnly(ref))));
        CorrelationSettings cs = CorrelationSettings.from(Settings.of(correlationOnly(ref)));
        CorrelationJob.wire(env, cs, CorrelationJob.rules(cs));
        long r0 = System.nanoTime();
        JobClient mini = env.executeAsync("cluster-it-reference");
        PipelineRun.Output expected;
        try {
            expected = reference.awaitQuiet(stats.validUnique() + stats.malformed(), Duration.ofSeconds(12), TIMEOUT);
        } finally {
            mini.cancel().get();
        }
        double miniSeconds = (System.nanoTime() - r0) / 1e9;
        System.out.printf("[cluster-it] MiniCluster (parallelism 1, heap state): %s, quiet after %.1f s%n", expected.summary(), miniSeconds);
        // records in = events + dead letters (the simulator's own count of malformed records differs from the ingest's
        // verdict by a few, seen 124 against 107: which side is right is still to be looked at)
        assertThat(expected.eventIds().size() + expected.deadLetterIds().size()).as("every unique input record is an event or a dead letter")
                .isEqualTo(stats.validUnique() + stats.malformed());
        assertThat(expected.alertLevels()).as("the input raises alerts").isNotEmpty();

        // the cluster: separate JVMs, jars over REST, parallelism 2, RocksDB, exactly-once
        try (LocalFlinkCluster cluster = LocalFlinkCluster.start(LocalFlinkClusterOptions.defaults(System.out)
                .withBaseDirectory(Path.of(System.getProperty(LocalServicesExtension.BASE_DIR_PROPERTY, "/var/tmp/fenghuo/it")).resolve("flink")))) {
            FlinkRest rest = cluster.rest();
            PipelineRun onCluster = new PipelineRun(kafka);
            prepareGroups(kafka, "cl-" + RUN, feedStart);
            Map<String, String> cl = settings(kafka, es, regions, "cl-" + RUN, cluster.checkpointsUri(), 2);
            String ingestJar = rest.uploadJar(jar("fenghuo-ingest-job.jar"));
            String correlationJar = rest.uploadJar(jar("fenghuo-correlation-job.jar"));
            long c0 = System.nanoTime();
            String ingest = rest.runJar(ingestJar, IngestJob.class.getName(), args(ingestOnly(cl)), 2, null);
            String correlation = rest.runJar(correlationJar, CorrelationJob.class.getName(), args(correlationOnly(cl)), 2, null);
            rest.awaitAllTasksRunning(ingest, Duration.ofSeconds(90));
            rest.awaitAllTasksRunning(correlation, Duration.ofSeconds(90));
            assertThat(rest.job(ingest).path("name").asText()).isEqualTo(IngestJob.NAME);
            assertThat(rest.job(correlation).path("name").asText()).isEqualTo(CorrelationJob.NAME);
            PipelineRun.Output actual = onCluster.awaitQuiet(stats.validUnique() + stats.malformed(), Duration.ofSeconds(12), TIMEOUT);
            double clusterSeconds = (System.nanoTime() - c0) / 1e9;
            System.out.printf("[cluster-it] cluster (2 TaskManagers, parallelism 2, RocksDB, exactly-once): %s, quiet after %.1f s%n",
                    actual.summary(), clusterSeconds);
            assertThat(rest.checkpoints(ingest).path("counts").path("completed").asInt()).as("ingest checkpoints on the cluster").isPositive();
            assertThat(rest.checkpoints(correlation).path("counts").path("completed").asInt()).as("correlation checkpoints").isPositive();
            assertThat(Files.list(Path.of(java.net.URI.create(cluster.checkpointsUri())))).as("checkpoints in the durable directory").isNotEmpty();

            assertThat(actual.eventRecords()).as("events.normalized holds each event exactly once").isEqualTo(actual.eventIds().size());
            assertThat(actual.eventIds()).isEqualTo(expected.eventIds());
            assertThat(actual.deadLetterRecords()).as("feed.dead-letter holds each malformed record exactly once").isEqualTo(actual.deadLetterIds().size());
            assertThat(actual.deadLetterIds()).isEqualTo(expected.deadLetterIds());
            assertThat(actual.repeatedAlertVersions()).as("no alert version written twice").isEmpty();
            assertThat(actual.alertLevels()).as("the cluster's alerts (id → highest level) against the MiniCluster's").isEqualTo(expected.alertLevels());
            rest.cancel(ingest);
            rest.cancel(correlation);
            rest.awaitState(ingest, "CANCELED", Duration.ofSeconds(60));
            rest.awaitState(correlation, "CANCELED", Duration.ofSeconds(60));
        }
    }

    private static Path jar(String name) {
        Path p = JOBS.resolve(name);
        assertThat(p).as("the job jar (built by mvn package in jobs/)").exists();
        return p;
    }

    /** Settings of both jobs of one run; the ingest group is {@code <run>-ingest}, the correlation's {@code <run>-correlation}. */
    private static Map<String, String> settings(String kafka, String es, Path regions, String run, String checkpoints, int parallelism) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(IngestSettings.KAFKA_BOOTSTRAP.name(), kafka);
        v.put(IngestSettings.ES_HOSTS.name(), es);
        v.put(IngestSettings.REGIONS.name(), regions.toString());
        v.put(IngestSettings.CHECKPOINT_INTERVAL.name(), "1s");
        v.put(IngestSettings.CHECKPOINT_DIR.name(), checkpoints);
        v.put(IngestSettings.SECRET.name(), SECRET);
        v.put(IngestSettings.GROUP_ID.name(), run + "-ingest");
        v.put(IngestSettings.PARALLELISM.name(), String.valueOf(parallelism));
        v.put(CorrelationSettings.GROUP_ID.name(), run + "-correlation");
        v.put(CorrelationSettings.PARALLELISM.name(), String.valueOf(parallelism));
        // as in CorrelationIT: a partition that falls quiet must not let event time run ahead while runs are compared
        v.put(CorrelationSettings.IDLE_TIMEOUT.name(), "10m");
        return v;
    }

    private static Map<String, String> ingestOnly(Map<String, String> v) {
        Map<String, String> out = new LinkedHashMap<>(v);
        out.keySet().removeIf(k -> k.startsWith("fenghuo.correlation."));
        return out;
    }

    private static Map<String, String> correlationOnly(Map<String, String> v) {
        Map<String, String> out = new LinkedHashMap<>(v);
        out.keySet().removeIf(k -> k.startsWith("fenghuo.ingest.") || k.equals(IngestSettings.SECRET.name()));
        return out;
    }

    private static List<String> args(Map<String, String> v) {
        return v.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    /** The run's ingest starts at the input, its correlation and action readers at what comes next. */
    private static void prepareGroups(String kafka, String run, Map<TopicPartition, Long> feedStart) throws Exception {
        PipelineRun.commit(kafka, run + "-ingest", feedStart);
        PipelineRun.startAtEnd(kafka, run + "-correlation", List.of(Topics.EVENTS_NORMALIZED));
        PipelineRun.startAtEnd(kafka, run + "-correlation-actions", List.of(Topics.ALERT_ACTIONS));
    }

    private static FeedSink collect(List<ProducerRecord<byte[], byte[]>> out) {
        return new FeedSink() {
            @Override
            public void send(Feed feed, String key, byte[] value, long eventTimeMillis) {
                // the time of writing, as KafkaFeedSink does: a record stamped last March would be deleted at once by
                // the topic's time-based retention
                out.add(new ProducerRecord<>(feed.topic(), key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}

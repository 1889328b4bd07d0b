package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.fenghuo.connectors.elasticsearch.ElasticsearchConnection;
import org.fenghuo.connectors.elasticsearch.IndexBootstrap;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.flinkcluster.FlinkRest;
import org.fenghuo.flinkcluster.LocalFlinkCluster;
import org.fenghuo.flinkcluster.LocalFlinkClusterOptions;
import org.fenghuo.jobs.correlation.CorrelationJob;
import org.fenghuo.jobs.correlation.CorrelationSettings;
import org.fenghuo.jobs.ingest.IngestJob;
import org.fenghuo.jobs.ingest.IngestSettings;
import org.fenghuo.localservices.LocalServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs as jars on a real Flink session cluster — a JobManager and two TaskManagers, each its own JVM, started
 * from Flink's artifacts with a {@code config.yaml}, RocksDB state, jobs submitted over REST at parallelism 2 with
 * exactly-once Kafka sinks — give the same events, dead letters and alerts as the demo's MiniCluster for one input.
 */
@ExtendWith(LocalServicesExtension.class)
class FlinkClusterIT {
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
        // control.rules may hold another test's rule changes (CorrelationIT adds a rule and deletes it again). A
        // correlation job replays them from the start, and while it does, the deleted rule is live for a moment,
        // racing the events: both runs here start from the default rules alone
        try (org.apache.kafka.clients.admin.Admin admin = org.fenghuo.localservices.KafkaOffsets.admin(kafka)) {
            if (admin.listTopics().names().get().contains(Topics.CONTROL_RULES)) {
                admin.deleteTopics(List.of(Topics.CONTROL_RULES)).all().get();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (admin.listTopics().names().get().contains(Topics.CONTROL_RULES)) {
                    assertThat(System.nanoTime()).as("control.rules deleted within 60 s").isLessThan(deadline);
                    Thread.sleep(200);
                }
            }
        }
        services.createTopics(topics);
        IndexBootstrap.run(ElasticsearchConnection.of(es), 0);
        // one input: four days of background, then 30 hours of live traffic with the scripted scenarios, ~1% malformed
        PipelineInput input = PipelineInput.simulate(23, Duration.ofDays(4), Duration.ofHours(30), tmp, 2);
        input.write(kafka);
        System.out.printf("[cluster-it] input: %s; alerts begun before %s are compared%n", input.stats,
                java.time.Instant.ofEpochMilli(input.settledBefore));

        // the reference: both jobs in one MiniCluster, as ./fenghuo demo runs them
        PipelineRun reference = new PipelineRun(kafka);
        Map<String, String> ref = input.settings(kafka, es, "ref-" + RUN, tmp.resolve("ref-checkpoints").toUri().toString(), 1);
        input.prepareGroups(kafka, "ref-" + RUN);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        IngestJob.wire(env, IngestSettings.from(Settings.of(PipelineInput.ingestOnly(ref))));
        CorrelationSettings cs = CorrelationSettings.from(Settings.of(PipelineInput.correlationOnly(ref)));
        CorrelationJob.wire(env, cs, CorrelationJob.rules(cs));
        long r0 = System.nanoTime();
        JobClient mini = env.executeAsync("cluster-it-reference");
        PipelineRun.Output expected;
        try {
            expected = reference.awaitQuiet(input.expectedRecords(), "ref-" + RUN + "-correlation", Duration.ofSeconds(12), TIMEOUT);
        } finally {
            mini.cancel().get();
        }
        double miniSeconds = (System.nanoTime() - r0) / 1e9;
        System.out.printf("[cluster-it] MiniCluster (parallelism 1, heap state): %s, quiet after %.1f s%n", expected.summary(), miniSeconds);
        assertThat(expected.eventIds().size() + expected.deadLetterIds().size()).as("every unique input record is an event or a dead letter")
                .isEqualTo(input.expectedRecords());
        assertThat(input.settled(expected.alertLevels())).as("the input raises alerts before its last hours").isNotEmpty();

        // the cluster: separate JVMs, jars over REST, parallelism 2, RocksDB, exactly-once
        try (LocalFlinkCluster cluster = LocalFlinkCluster.start(LocalFlinkClusterOptions.defaults(System.out)
                .withBaseDirectory(Path.of(System.getProperty(LocalServicesExtension.BASE_DIR_PROPERTY, "/var/tmp/fenghuo/it")).resolve("flink")))) {
            FlinkRest rest = cluster.rest();
            PipelineRun onCluster = new PipelineRun(kafka);
            input.prepareGroups(kafka, "cl-" + RUN);
            Map<String, String> cl = input.settings(kafka, es, "cl-" + RUN, cluster.checkpointsUri(), 2);
            String ingestJar = rest.uploadJar(jar("fenghuo-ingest-job.jar"));
            String correlationJar = rest.uploadJar(jar("fenghuo-correlation-job.jar"));
            long c0 = System.nanoTime();
            String ingest = rest.runJar(ingestJar, IngestJob.class.getName(), PipelineInput.args(PipelineInput.ingestOnly(cl)), 2, null);
            String correlation = rest.runJar(correlationJar, CorrelationJob.class.getName(), PipelineInput.args(PipelineInput.correlationOnly(cl)), 2, null);
            rest.awaitAllTasksRunning(ingest, Duration.ofSeconds(90));
            rest.awaitAllTasksRunning(correlation, Duration.ofSeconds(90));
            assertThat(rest.job(ingest).path("name").asText()).isEqualTo(IngestJob.NAME);
            assertThat(rest.job(correlation).path("name").asText()).isEqualTo(CorrelationJob.NAME);
            PipelineRun.Output actual = onCluster.awaitQuiet(input.expectedRecords(), "cl-" + RUN + "-correlation", input::settled,
                    input.settled(expected.alertLevels()).size(), Duration.ofSeconds(12), TIMEOUT);
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
            // the alerts every run of this input settles (PipelineInput.simulate): those begun before the input's last hours
            input.assertSameSettledAlerts(actual, expected, "[cluster-it] cluster:", "the MiniCluster's");

            // the project's own metrics, as Prometheus scrapes them from the TaskManagers' reporters
            int[] ports = cluster.metricsPorts();
            List<PrometheusScrape.Sample> samples = PrometheusScrape.scrape(java.util.Arrays.copyOfRange(ports, 1, ports.length));
            // Flink puts each label's key into the name as well, fenghuo_feed_recordsIn{feed="petition"}, and turns
            // what is not a letter, digit or underscore in a label value into an underscore: grid_report, entity_risk
            String op = "flink_taskmanager_job_task_operator_fenghuo_";
            Map<String, Double> recordsIn = PrometheusScrape.sumBy(samples, op + "feed_recordsIn", "feed");
            Map<String, Double> deadLetters = PrometheusScrape.sumBy(samples, op + "reason_deadLetters", "reason");
            Map<String, Double> alertsByRule = PrometheusScrape.sumBy(samples, op + "rule_level_alerts", "rule");
            System.out.printf("[cluster-it] metrics: records in %s, dead letters %s, events out %.0f, alerts %s%n", recordsIn, deadLetters,
                    PrometheusScrape.sum(samples, op + "feed_eventsOut"), alertsByRule);
            assertThat(recordsIn.keySet()).as("records in, per feed").containsExactlyInAnyOrder("grid_report", "linkage_call", "petition", "labor_inspection");
            assertThat(recordsIn.values().stream().mapToDouble(Double::doubleValue).sum()).as("records in").isEqualTo((double) input.stats.total());
            assertThat(deadLetters.values().stream().mapToDouble(Double::doubleValue).sum()).as("dead letters by reason")
                    .isEqualTo((double) actual.deadLetterIds().size());
            assertThat(deadLetters).as("every dead letter's reason classified").doesNotContainKey("other");
            assertThat(PrometheusScrape.sum(samples, op + "feed_eventsOut")).as("events out").isEqualTo((double) actual.eventRecords());
            assertThat(alertsByRule.keySet()).as("alerts by rule").isEqualTo(new java.util.TreeSet<>(actual.alertLevels().keySet().stream()
                    .map(id -> PrometheusScrape.labelValue(id.substring(0, id.indexOf(':')))).toList()));
            assertThat(PrometheusScrape.sumBy(samples, op + "rule_level_alerts", "level").keySet()).as("alerts by level").isNotEmpty()
                    .isSubsetOf("BLUE", "YELLOW", "ORANGE", "RED");
            assertThat(samples.stream().map(PrometheusScrape.Sample::name)).as("Elasticsearch sink retries and in-flight bulk requests, Kafka lag")
                    .anyMatch(n -> n.endsWith("_numRetries")).anyMatch(n -> n.endsWith("_inFlightRequests")).anyMatch(n -> n.endsWith("_pendingRecords"));

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
}

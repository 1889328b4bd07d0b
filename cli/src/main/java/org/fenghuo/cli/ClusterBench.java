package org.fenghuo.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.flinkcluster.FlinkRest;
import org.fenghuo.flinkcluster.LocalFlinkCluster;
import org.fenghuo.flinkcluster.LocalFlinkClusterOptions;
import org.fenghuo.jobs.common.Platform;
import org.fenghuo.jobs.correlation.CorrelationJob;
import org.fenghuo.jobs.correlation.CorrelationSettings;
import org.fenghuo.jobs.ingest.IngestJob;
import org.fenghuo.jobs.ingest.IngestSettings;
import org.fenghuo.localservices.KafkaOffsets;
import org.fenghuo.simulator.InMemoryFeedSink;
import org.fenghuo.simulator.SimulationStats;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.city.DemoCity;

/**
 * {@code ./fenghuo bench cluster}: throughput of the ingest job and of the correlation job, each alone over the same
 * backlog, in the demo's MiniCluster (parallelism 1, heap state, in this JVM) and on a local session cluster of a
 * JobManager and two TaskManager processes (the job jars over REST, parallelism 2, RocksDB, exactly-once), against
 * one real Kafka and Elasticsearch. Progress is what each job's consumer group has committed with its checkpoints, so
 * a record counts once its output is durable. Prints the numbers; asserts nothing.
 */
final class ClusterBench {
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(15);
    private final long records;
    private final Path jarDir;
    private final PrintStream out = System.out;

    ClusterBench(long records, Path jarDir) {
        this.records = records;
        this.jarDir = jarDir;
    }

    /** One job over one backlog: when its first and last record were committed, from its submission. */
    record Phase(String engine, String job, long items, double startSeconds, double runSeconds, double steadyPerSecond) {
        double perSecond() {
            return items / Math.max(runSeconds, 1e-3);
        }
    }

    int run() throws Exception {
        for (String job : List.of("ingest", "correlation")) {
            Path jar = jarDir.resolve("fenghuo-" + job + "-job.jar");
            if (!Files.isReadable(jar)) throw new CommandException("job jar " + jar + " is missing; build it with: mvn -pl jobs -am package -DskipTests");
        }
        DemoCity city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        Path dir = Files.createTempDirectory("fenghuo-bench-cluster-");
        Path regions = dir.resolve("demo-city.geojson");
        city.writeGeoJson(regions);
        out.printf(Locale.ROOT, "[bench] generating %,d backlog records…%n", records);
        InMemoryFeedSink backlog = new InMemoryFeedSink();
        SimulationStats stats = new Simulator(city, SimulatorConfig.builder().seed(1).build()).generate(backlog, records);
        out.println("[bench] " + stats);

        List<Phase> phases = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(regions, out)) {
            String kafka = stack.kafka();
            Map<TopicPartition, Long> feedStart = new HashMap<>();
            for (String t : Topics.feedTopics()) feedStart.putAll(KafkaOffsets.committedEnds(kafka, t));
            long t = System.nanoTime();
            BenchCommand.send(kafka, backlog.records(), 0);
            out.printf(Locale.ROOT, "[bench] backlog in Kafka: %,d records in %.1f s%n", records, (System.nanoTime() - t) / 1e9);

            Map<String, String> common = new LinkedHashMap<>();
            common.put(IngestSettings.KAFKA_BOOTSTRAP.name(), kafka);
            common.put(IngestSettings.ES_HOSTS.name(), stack.elasticsearch());
            common.put(IngestSettings.REGIONS.name(), regions.toString());
            common.put(IngestSettings.SECRET.name(), stack.secret());
            common.put(IngestSettings.CHECKPOINT_INTERVAL.name(), "1s");
            // both engines exactly-once, so that a committed record means the same on each
            common.put(Platform.DELIVERY.name(), "exactly-once");

            // the MiniCluster, as ./fenghuo demo runs the jobs: in this JVM, parallelism 1, heap state
            Map<String, String> mini = new LinkedHashMap<>(common);
            mini.put(IngestSettings.CHECKPOINT_DIR.name(), dir.resolve("mini-checkpoints").toUri().toString());
            phases.addAll(measure("MiniCluster", kafka, feedStart, stats, mini, 1, (job, settings) -> {
                StreamExecutionEnvironment env = LocalStack.miniCluster();
                if (job.equals("ingest")) IngestJob.wire(env, IngestSettings.from(Settings.of(settings)));
                else {
                    CorrelationSettings cs = CorrelationSettings.from(Settings.of(settings));
                    CorrelationJob.wire(env, cs, CorrelationJob.rules(cs));
                }
                JobClient client = env.executeAsync("bench-" + job);
                return () -> {
                    try {
                        client.cancel().get();
                    } catch (Exception e) {
                        throw new CommandException("bench: cannot cancel the MiniCluster job: " + e.getMessage(), e);
                    }
                };
            }));

            // the session cluster: separate JVMs, the jars over REST, parallelism 2, RocksDB (its config.yaml)
            try (LocalFlinkCluster cluster = LocalFlinkCluster.start(LocalFlinkClusterOptions.defaults(out)
                    .withBaseDirectory(StateFile.path("bench-flink")))) {
                FlinkRest rest = cluster.rest();
                Map<String, String> onCluster = new LinkedHashMap<>(common);
                onCluster.put(IngestSettings.CHECKPOINT_DIR.name(), cluster.checkpointsUri());
                Path settingsFile = cluster.runDirectory().resolve("bench.properties");
                Map<String, String> jarIds = new HashMap<>();
                for (String job : List.of("ingest", "correlation")) jarIds.put(job, rest.uploadJar(jarDir.resolve("fenghuo-" + job + "-job.jar")));
                phases.addAll(measure("cluster", kafka, feedStart, stats, onCluster, 2, (job, settings) -> {
                    // the settings in a file the JobManager reads: the secret stays off command lines and the web UI
                    Properties p = new Properties();
                    p.putAll(settings);
                    StateFile.writePrivate(settingsFile, p, "settings of one benchmark job, written by ./fenghuo bench cluster");
                    String entry = job.equals("ingest") ? IngestJob.class.getName() : CorrelationJob.class.getName();
                    String id = rest.runJar(jarIds.get(job), entry, List.of("--config=" + settingsFile), 2, null);
                    rest.awaitAllTasksRunning(id, Duration.ofSeconds(120));
                    return () -> {
                        rest.cancel(id);
                        rest.awaitState(id, "CANCELED", Duration.ofSeconds(60));
                    };
                }));
            }
        }

        out.println();
        out.println("== bench cluster (" + Runtime.getRuntime().availableProcessors() + " cores; each job alone over the same backlog) ==");
        out.printf(Locale.ROOT, "backlog: %,d records (%,d valid unique, %,d malformed, %,d duplicates)%n",
                records, stats.validUnique(), stats.malformed(), stats.duplicates());
        out.printf(Locale.ROOT, "%-12s %-12s %10s %14s %16s %14s%n", "engine", "job", "items", "first commit", "whole backlog/s", "second half/s");
        for (Phase p : phases) {
            out.printf(Locale.ROOT, "%-12s %-12s %,10d %12.1f s %,16.0f %,14.0f%n", p.engine(), p.job(), p.items(), p.startSeconds(),
                    p.perSecond(), p.steadyPerSecond());
        }
        out.println("MiniCluster: parallelism 1, heap state, in the CLI's JVM (as ./fenghuo demo); cluster: JobManager + 2 TaskManager"
                + " processes, parallelism 2, RocksDB; both exactly-once with 1 s checkpoints. Items: feed records read (ingest),"
                + " events read (correlation); rates from the first committed record to the last.");
        return 0;
    }

    @FunctionalInterface
    private interface Submit {
        /** Starts the job with those settings; returns what cancels it. */
        Runnable start(String job, Map<String, String> settings) throws Exception;
    }

    /** The ingest alone over the whole backlog, then the correlation alone over the events that ingest wrote. */
    private List<Phase> measure(String engine, String kafka, Map<TopicPartition, Long> feedStart, SimulationStats stats,
                                Map<String, String> common, int parallelism, Submit submit) throws Exception {
        String run = "bench-" + engine.toLowerCase(Locale.ROOT) + "-" + Long.toHexString(System.nanoTime());
        Map<String, String> ingest = new LinkedHashMap<>(common);
        ingest.put(IngestSettings.GROUP_ID.name(), run + "-ingest");
        ingest.put(IngestSettings.PARALLELISM.name(), String.valueOf(parallelism));
        KafkaOffsets.commit(kafka, run + "-ingest", feedStart);
        Map<TopicPartition, Long> eventsStart = KafkaOffsets.committedEnds(kafka, Topics.EVENTS_NORMALIZED);
        out.printf("[bench] %s: ingest, parallelism %d…%n", engine, parallelism);
        Map<TopicPartition, Long> feedEnd = new HashMap<>();
        for (String t : Topics.feedTopics()) feedEnd.putAll(KafkaOffsets.committedEnds(kafka, t));
        Phase in = phase(engine, "ingest", kafka, run + "-ingest", feedStart, feedEnd, records, ingest, submit);

        // the correlation reads exactly what that ingest wrote: up to the offset after each partition's last event
        Map<TopicPartition, Long> eventsEnd = afterLastRecord(kafka, eventsStart, KafkaOffsets.committedEnds(kafka, Topics.EVENTS_NORMALIZED));
        Map<String, String> correlation = new LinkedHashMap<>(common);
        correlation.remove(IngestSettings.SECRET.name());
        correlation.put(CorrelationSettings.GROUP_ID.name(), run + "-correlation");
        correlation.put(CorrelationSettings.PARALLELISM.name(), String.valueOf(parallelism));
        KafkaOffsets.commit(kafka, run + "-correlation", eventsStart);
        KafkaOffsets.commit(kafka, run + "-correlation-actions", KafkaOffsets.committedEnds(kafka, Topics.ALERT_ACTIONS));
        out.printf("[bench] %s: correlation, parallelism %d…%n", engine, parallelism);
        Phase corr = phase(engine, "correlation", kafka, run + "-correlation", eventsStart, eventsEnd, stats.validUnique(), correlation, submit);
        return List.of(in, corr);
    }

    /**
     * Runs one job until its group has committed up to {@code end}; {@code items} is how many records that range holds
     * (its offsets also count a transactional topic's commit markers).
     */
    private Phase phase(String engine, String job, String kafka, String group, Map<TopicPartition, Long> start, Map<TopicPartition, Long> end,
                        long items, Map<String, String> settings, Submit submit) throws Exception {
        long span = 0;
        for (var e : end.entrySet()) span += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        long submitted = System.nanoTime();
        Runnable cancel = submit.start(job, settings);
        Progress progress = new Progress("bench " + engine + " " + job, span, true);
        long first = 0, halfAt = 0, done;
        long last = 0;
        try (Admin admin = KafkaOffsets.admin(kafka)) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> at = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                long covered = 0;
                boolean complete = true;
                for (var e : end.entrySet()) {
                    long s = start.getOrDefault(e.getKey(), 0L);
                    OffsetAndMetadata o = at.get(e.getKey());
                    long c = o == null ? s : Math.min(o.offset(), e.getValue());
                    covered += c - s;
                    complete &= c >= e.getValue();
                }
                if (covered > 0 && first == 0) first = System.nanoTime();
                if (halfAt == 0 && covered >= span / 2) halfAt = System.nanoTime();
                if (covered > last) progress.advance(covered - last);
                last = covered;
                if (complete) {
                    done = System.nanoTime();
                    break;
                }
                if (System.nanoTime() - submitted > PHASE_TIMEOUT.toNanos()) {
                    cancel.run();
                    throw new CommandException("bench: " + engine + " " + job + " had committed " + covered + " of " + span
                            + " offsets after " + PHASE_TIMEOUT.toMinutes() + " minutes");
                }
                Thread.sleep(250);
            }
        }
        progress.finish();
        cancel.run();
        double run = (done - first) / 1e9;
        double steady = items / 2.0 / Math.max((done - halfAt) / 1e9, 1e-3);
        Phase p = new Phase(engine, job, items, (first - submitted) / 1e9, run, steady);
        out.printf(Locale.ROOT, "[bench] %s %s: %,d in %.1f s after the first commit (%.1f s after submission): %,.0f/s%n", engine, job, items,
                run, p.startSeconds(), p.perSecond());
        return p;
    }

    /**
     * Per partition, the offset after the last committed record in [from, to). A Flink Kafka source commits that
     * offset, which stays short of a transactional topic's end by the commit marker that follows the record.
     */
    private static Map<TopicPartition, Long> afterLastRecord(String kafka, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        Map<TopicPartition, Long> out = new HashMap<>(from);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(to.keySet());
            to.keySet().forEach(tp -> c.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (to.keySet().stream().anyMatch(tp -> c.position(tp) < to.get(tp))) {
                if (System.nanoTime() > deadline) throw new CommandException("bench: cannot read " + Topics.EVENTS_NORMALIZED + " to its end within 2 minutes");
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < to.get(tp)) out.merge(tp, r.offset() + 1, Math::max);
                }
            }
        }
        return out;
    }
}

package org.fenghuo.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fenghuo.simulator.KafkaFeedSink;
import org.fenghuo.simulator.InMemoryFeedSink;
import org.fenghuo.simulator.SimulationStats;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.city.DemoCity;

/**
 * {@code ./fenghuo bench ingest}: on a local stack (real Kafka, Elasticsearch, MiniCluster) measures
 * (1) sustained ingest throughput from Kafka into {@code fenghuo-events} over a backlog of simulated records and
 * (2) the latency from a record's write to Kafka to its event being searchable, at a steady rate;
 * and the resident memory of the whole stack. Prints the numbers; asserts nothing.
 */
final class BenchCommand {
    static final Set<String> FLAGS = Set.of();
    static final Set<String> OPTIONS = Set.of("records", "rate", "seconds", "events", "entities", "grids", "days", "probes", "passes", "alerts", "requests",
            "jar-dir");
    private final Args args;

    BenchCommand(Args args) {
        this.args = args;
    }

    int run() throws Exception {
        List<String> what = args.positionals();
        if (what.size() != 1 || !Set.of("ingest", "correlation", "alerts", "api", "cluster").contains(what.get(0))) {
            throw new UsageException("bench needs what to measure: bench ingest | bench correlation | bench alerts | bench api | bench cluster");
        }
        if (what.get(0).equals("cluster")) {
            return new ClusterBench(args.longValue("records", 200_000, 1_000, 5_000_000),
                    Path.of(args.value("jar-dir", System.getProperty("fenghuo.home", ".") + "/jobs/target"))).run();
        }
        if (what.get(0).equals("api")) {
            return new ApiBench((int) args.longValue("alerts", 10_000, 100, 1_000_000), (int) args.longValue("requests", 200, 10, 100_000)).run();
        }
        if (what.get(0).equals("alerts")) {
            return new AlertLatencyBench(args.longValue("rate", 100, 1, 5_000), args.longValue("seconds", 120, 10, 3_600),
                    args.doubleValue("probes", 2, 0.1, 50)).run();
        }
        if (what.get(0).equals("correlation")) {
            return CorrelationBench.run(args.longValue("events", 1_000_000, 1_000, 20_000_000),
                    (int) args.longValue("entities", 100_000, 100, 10_000_000), (int) args.longValue("grids", 4_000, 50, 100_000),
                    Duration.ofDays(args.longValue("days", 30, 1, 365)), (int) args.longValue("passes", 3, 1, 10));
        }
        long records = args.longValue("records", 200_000, 1_000, 5_000_000);
        long rate = args.longValue("rate", 200, 1, 20_000);
        long seconds = args.longValue("seconds", 30, 5, 3_600);

        DemoCity city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        Path dir = Files.createTempDirectory("fenghuo-bench-");
        Path regions = dir.resolve("demo-city.geojson");
        city.writeGeoJson(regions);

        System.out.printf(Locale.ROOT, "[bench] generating %,d backlog records…%n", records);
        InMemoryFeedSink backlog = new InMemoryFeedSink();
        SimulationStats stats = new Simulator(city, SimulatorConfig.builder().seed(1).build()).generate(backlog, records);
        long expected = stats.validUnique() + stats.malformed();
        System.out.println("[bench] " + stats);

        try (LocalStack stack = LocalStack.start(regions, System.out)) {
            long t = System.nanoTime();
            send(stack.kafka(), backlog.records(), 0);
            double produceSeconds = (System.nanoTime() - t) / 1e9;
            System.out.printf(Locale.ROOT, "[bench] backlog in Kafka: %,d records in %.1f s%n", records, produceSeconds);

            StatusProbe probe = new StatusProbe(stack.elasticsearch());
            long submitted = System.nanoTime();
            stack.startIngest(System.out, Duration.ofSeconds(10));
            long first = 0, done = 0, last = -1, halfAt = 0, halfCount = 0;
            Progress progress = new Progress("bench", expected, true);
            while (true) {
                long c = probe.count("fenghuo-events") + probe.count("fenghuo-deadletters");
                if (c > 0 && first == 0) first = System.nanoTime();
                // steady state: the second half of the backlog, once the JVMs (ours and Elasticsearch's) are warm
                if (halfAt == 0 && c >= expected / 2) {
                    halfAt = System.nanoTime();
                    halfCount = c;
                }
                if (c > last) progress.advance(c - Math.max(last, 0));
                last = c;
                if (c >= expected) {
                    done = System.nanoTime();
                    break;
                }
                if ((System.nanoTime() - submitted) / 1e9 > 900) throw new CommandException("bench: only " + c + " of " + expected + " documents indexed after 15 minutes");
                Thread.sleep(200);
            }
            progress.finish();
            double sustained = (expected - halfCount) / Math.max((done - halfAt) / 1e9, 1e-3);
            double whole = expected / Math.max((done - first) / 1e9, 1e-3);
            double total = expected / ((done - submitted) / 1e9);

            System.out.printf(Locale.ROOT, "[bench] latency phase: %d records/s for %d s…%n", rate, seconds);
            InMemoryFeedSink steady = new InMemoryFeedSink();
            new Simulator(city, SimulatorConfig.builder().seed(2).malformedRate(0).duplicateRate(0).scenarios(false).build())
                    .generate(steady, rate * seconds);
            double[] latencies = latency(stack, steady.records(), rate);

            long rss = residentBytes();
            System.out.println();
            System.out.println("== bench ingest (" + Runtime.getRuntime().availableProcessors() + " cores) ==");
            System.out.printf(Locale.ROOT, "backlog: %,d records (%,d valid unique, %,d malformed, %,d duplicates)%n",
                    records, stats.validUnique(), stats.malformed(), stats.duplicates());
            System.out.printf(Locale.ROOT, "sustained ingest Kafka → Elasticsearch (events + dead letters): %,.0f records/s (second half of the backlog, warm)%n", sustained);
            System.out.printf(Locale.ROOT, "whole backlog, first to last document:   %,.0f records/s%n", whole);
            System.out.printf(Locale.ROOT, "including job start-up:                  %,.0f records/s%n", total);
            System.out.printf(Locale.ROOT, "write-to-searchable at %d records/s: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d records)%n",
                    rate, pct(latencies, 50), pct(latencies, 99), pct(latencies, 100), latencies.length);
            System.out.printf(Locale.ROOT, "resident memory of the stack (Kafka + Elasticsearch + Flink/CLI JVM): %.2f GiB%n", rss / (1024.0 * 1024 * 1024));
        }
        return 0;
    }

    static void send(String kafka, List<InMemoryFeedSink.SentRecord> records, long rate) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaFeedSink.properties(kafka, Map.of()))) {
            for (InMemoryFeedSink.SentRecord r : records) {
                p.send(new ProducerRecord<>(r.feed().topic(), r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.value()),
                        (md, e) -> { if (e != null) failure.compareAndSet(null, e); });
            }
            p.flush();
        }
        if (failure.get() != null) throw new CommandException("bench: Kafka refused a record: " + failure.get());
    }

    /** Sends at {@code rate}/s and polls Elasticsearch for the pending ids; returns latencies in ms. */
    private double[] latency(LocalStack stack, List<InMemoryFeedSink.SentRecord> records, long rate) throws Exception {
        StatusProbe probe = new StatusProbe(stack.elasticsearch());
        Map<String, Long> pending = new HashMap<>();
        List<Double> latencies = new ArrayList<>();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long lastPoll = 0;
        int i = 0;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaFeedSink.properties(stack.kafka(), Map.of()))) {
            p.partitionsFor(records.get(0).feed().topic()); // connect before timing
            while (i < records.size() || !pending.isEmpty()) {
                long now = System.nanoTime();
                while (i < records.size() && now - start >= i * intervalNanos) {
                    InMemoryFeedSink.SentRecord r = records.get(i++);
                    pending.put(r.key(), System.nanoTime());
                    p.send(new ProducerRecord<>(r.feed().topic(), r.key().getBytes(StandardCharsets.UTF_8), r.value()));
                }
                if (now - lastPoll > 50_000_000L && !pending.isEmpty()) {
                    lastPoll = now;
                    for (String id : probe.found("fenghuo-events", "recordId", pending.keySet())) {
                        Long sentAt = pending.remove(id);
                        if (sentAt != null) latencies.add((System.nanoTime() - sentAt) / 1e6);
                    }
                }
                if (i >= records.size() && (System.nanoTime() - start) / 1e9 > records.size() / (double) rate + 60) {
                    System.err.println("[bench] " + pending.size() + " records not searchable 60 s after the last send");
                    break;
                }
                Thread.sleep(2);
            }
        }
        double[] a = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** The p-th percentile of sorted values (nearest rank); NaN when there are none. */
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /** Resident memory of this JVM and every process it started (Kafka, Elasticsearch), from /proc. */
    static long residentBytes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(all::add);
        long total = 0;
        for (ProcessHandle h : all) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + h.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            } catch (IOException | RuntimeException ignored) {
                // the process ended meanwhile
            }
        }
        return total;
    }
}

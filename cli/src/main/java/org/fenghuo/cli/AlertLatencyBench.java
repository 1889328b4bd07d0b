package org.fenghuo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.core.json.Json;
import org.fenghuo.simulator.InMemoryFeedSink;
import org.fenghuo.simulator.KafkaFeedSink;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.city.DemoCity;
import org.fenghuo.simulator.city.Enterprise;

/**
 * {@code ./fenghuo bench alerts}: the demo stack (real Kafka and Elasticsearch, the ingest and correlation jobs in one
 * MiniCluster, default rules) under live simulated traffic at {@code rate} records/s, measuring how long a record that
 * completes a situation takes from its write to the feed topic to (1) the alert on the {@code alerts} topic and (2)
 * the alert being searchable in {@code fenghuo-alerts}.
 *
 * <p>The probes are petitions of 8 people naming an enterprise (rule {@code petition.collective}, ORANGE at 5): one
 * record is the whole situation, so the record's send time is exactly when the alert could first be raised. Each
 * probe names another enterprise, so each opens a new alert; the probes replace background records, so the total
 * rate stays {@code rate}. Prints the numbers; asserts nothing.
 */
final class AlertLatencyBench {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(ZoneOffset.ofHours(8));
    private static final int WARM_PROBES = 10;
    private final long rate;
    private final long seconds;
    private final double probesPerSecond;

    AlertLatencyBench(long rate, long seconds, double probesPerSecond) {
        this.rate = rate;
        this.seconds = seconds;
        this.probesPerSecond = probesPerSecond;
    }

    int run() throws Exception {
        DemoCity city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        List<Enterprise> enterprises = city.enterprises();
        long probes = Math.round(seconds * probesPerSecond);
        if (probesPerSecond * 2 > rate) {
            throw new UsageException("--probes " + probesPerSecond + " is more than half of --rate " + rate
                    + ": probes replace background records, so at most one record in two can be one");
        }
        if (rate * seconds > 2_000_000) {
            throw new UsageException("--rate × --seconds is " + rate * seconds + " records, held in memory before sending;"
                    + " measure with at most 2000000");
        }
        if (probes > enterprises.size() - WARM_PROBES) {
            throw new UsageException("--seconds " + seconds + " at " + probesPerSecond + " probes/s needs " + probes
                    + " probes but the demo city has " + (enterprises.size() - WARM_PROBES) + " enterprises to spare (one alert each);"
                    + " measure for fewer seconds");
        }
        Path dir = Files.createTempDirectory("fenghuo-bench-");
        Path regions = dir.resolve("demo-city.geojson");
        city.writeGeoJson(regions);
        System.out.printf(Locale.ROOT, "[bench] alert latency: %d records/s for %d s, %d probes (petitions of 8 naming a fresh enterprise"
                + " → petition.collective ORANGE), ingest + correlation in one MiniCluster, default rules%n", rate, seconds, probes);

        try (LocalStack stack = LocalStack.start(regions, System.out)) {
            stack.startJobs(System.out, Duration.ofSeconds(10), null, true);
            try (AlertWatch watch = new AlertWatch(stack.kafka());
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFeedSink.properties(stack.kafka(), Map.of()))) {
                watch.start();
                producer.partitionsFor(Feed.PETITION.topic()); // connect before timing

                // warm-up: the jobs start, JIT compiles, the first alerts go out; not measured
                int warmProbes = WARM_PROBES;
                Traffic warm = new Traffic(city, 1, 15 * rate);
                Measured warmResult = send(stack, producer, watch, warm, enterprises.subList(enterprises.size() - warmProbes, enterprises.size()),
                        "WARM", Duration.ofSeconds(180));
                System.out.printf(Locale.ROOT, "[bench] warm-up done: %d of %d warm-up alerts seen%n", warmResult.topic.length, warmProbes);
                if (warmResult.topic.length == 0) throw new CommandException("bench: no alert reached the alerts topic during the warm-up; the jobs are not running");

                Traffic steady = new Traffic(city, 2, seconds * rate);
                Measured m = send(stack, producer, watch, steady, enterprises.subList(0, (int) probes), "LAT", Duration.ofSeconds(60));

                long rss = BenchCommand.residentBytes();
                System.out.println();
                System.out.println("== bench alerts (" + Runtime.getRuntime().availableProcessors() + " cores) ==");
                System.out.printf(Locale.ROOT, "traffic: %d records/s for %d s (%,d records, %d of them probes)%n", rate, seconds, seconds * rate, probes);
                System.out.printf(Locale.ROOT, "feed write → alert on the alerts topic: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d alerts)%n",
                        BenchCommand.pct(m.topic, 50), BenchCommand.pct(m.topic, 99), BenchCommand.pct(m.topic, 100), m.topic.length, probes);
                System.out.printf(Locale.ROOT, "feed write → alert searchable in fenghuo-alerts: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d alerts)%n",
                        BenchCommand.pct(m.index, 50), BenchCommand.pct(m.index, 99), BenchCommand.pct(m.index, 100), m.index.length, probes);
                System.out.printf(Locale.ROOT, "resident memory of the stack (Kafka + Elasticsearch + Flink/CLI JVM): %.2f GiB%n", rss / (1024.0 * 1024 * 1024));
                if (m.topic.length < probes || m.index.length < probes) {
                    System.out.println("MISSING: " + (probes - m.topic.length) + " alerts never reached the topic, "
                            + (probes - m.index.length) + " never became searchable within 60 s of the last send");
                    return 1;
                }
            }
        }
        return 0;
    }

    private record Measured(double[] topic, double[] index) {}

    /** Background records from the simulator, stamped from the moment they are generated onwards at {@code rate}/s. */
    private final class Traffic {
        final List<InMemoryFeedSink.SentRecord> records;

        Traffic(DemoCity city, long seed, long count) {
            InMemoryFeedSink sink = new InMemoryFeedSink();
            new Simulator(city, SimulatorConfig.builder().seed(seed).start(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .baseRatePerHour(rate * 3600.0).malformedRate(0).duplicateRate(0).lateRate(0).scenarios(false).build())
                    .generate(sink, count);
            records = sink.records();
        }
    }

    /**
     * Sends {@code traffic} at {@code rate}/s, replacing evenly spaced records by one probe per enterprise, and waits
     * until every probe's alert is on the topic and searchable, or {@code patience} after the last send.
     */
    private Measured send(LocalStack stack, KafkaProducer<byte[], byte[]> producer, AlertWatch watch, Traffic traffic,
                          List<Enterprise> targets, String prefix, Duration patience) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        StatusProbe es = new StatusProbe(stack.elasticsearch());
        Map<String, Long> pendingIndex = new ConcurrentHashMap<>();
        watch.expect(sentAt);
        List<Double> indexed = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<InMemoryFeedSink.SentRecord> records = traffic.records;
        long every = Math.max(1, records.size() / Math.max(1, targets.size()));
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long lastPoll = 0;
        int i = 0, probe = 0;
        Progress progress = new Progress("bench " + prefix.toLowerCase(Locale.ROOT), records.size(), true);
        while (true) {
            long now = System.nanoTime();
            while (i < records.size() && now - start >= i * interval) {
                InMemoryFeedSink.SentRecord r = records.get(i);
                if (i % every == every / 2 && probe < targets.size()) {
                    String id = prefix + "-" + System.currentTimeMillis() + "-" + probe;
                    byte[] value = probe(id, targets.get(probe++));
                    long t = System.nanoTime();
                    sentAt.put(id, t);
                    pendingIndex.put(id, t);
                    producer.send(new ProducerRecord<>(Feed.PETITION.topic(), id.getBytes(StandardCharsets.UTF_8), value),
                            (md, e) -> { if (e != null) failure.compareAndSet(null, e); });
                } else {
                    producer.send(new ProducerRecord<>(r.feed().topic(), r.key().getBytes(StandardCharsets.UTF_8), r.value()),
                            (md, e) -> { if (e != null) failure.compareAndSet(null, e); });
                }
                i++;
                progress.advance(1);
            }
            if (failure.get() != null) throw new CommandException("bench: Kafka refused a record: " + failure.get().getMessage());
            if (now - lastPoll > 50_000_000L && !pendingIndex.isEmpty()) {
                lastPoll = now;
                for (String id : es.found("fenghuo-alerts", "evidence.recordId", pendingIndex.keySet())) {
                    Long t = pendingIndex.remove(id);
                    if (t != null) indexed.add((System.nanoTime() - t) / 1e6);
                }
            }
            boolean allSent = i >= records.size();
            if (allSent && pendingIndex.isEmpty() && watch.seen() >= probe) break;
            if (allSent && (System.nanoTime() - start) / 1e9 > records.size() / (double) rate + patience.toSeconds()) break;
            Thread.sleep(2);
        }
        progress.finish();
        double[] index = indexed.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Measured(watch.latencies(), index);
    }

    private static byte[] probe(String id, Enterprise e) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("petitionId", id);
        r.put("receivedAt", SECONDS.format(Instant.now()));
        r.put("channel", "VISIT");
        r.put("petitionerCount", 8);
        r.put("issueType", "WAGE_ARREARS");
        r.put("regionCode", e.gridCode());
        r.putObject("targetOrg").put("creditCode", e.creditCode()).put("name", e.name());
        r.put("receivingLevel", "DISTRICT");
        r.put("summary", "8名工人集体反映" + e.name() + "拖欠工资（时延测量）");
        return r.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the {@code alerts} topic from its end and times the first alert that carries each expected probe. */
    private static final class AlertWatch implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread = new Thread(this::poll, "bench-alert-watch");
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile Map<String, Long> expected = Map.of();
        private final List<Double> latencies = new ArrayList<>();
        private volatile Exception failure;

        AlertWatch(String bootstrap) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> parts = consumer.partitionsFor(Topics.ALERTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // fix the start now, before anything is sent
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        synchronized void expect(Map<String, Long> sentAt) {
            expected = sentAt;
            latencies.clear();
        }

        synchronized int seen() {
            return latencies.size();
        }

        synchronized double[] latencies() {
            if (failure != null) throw new CommandException("bench: reading the alerts topic failed: " + failure.getMessage(), failure);
            return latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }

        private void poll() {
            try {
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.nanoTime();
                        JsonNode alert = Json.mapper().readTree(rec.value());
                        for (JsonNode ev : alert.path("evidence")) {
                            Long t = expected.remove(ev.path("recordId").asText());
                            if (t != null) {
                                synchronized (this) {
                                    latencies.add((now - t) / 1e6);
                                }
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (!stop.get()) failure = e;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            consumer.wakeup();
            thread.join(5_000);
            consumer.close(Duration.ofSeconds(2));
        }
    }
}

package org.fenghuo.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.fenghuo.core.alert.AlertIds;
import org.fenghuo.jobs.common.GuardedClock;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.localservices.KafkaOffsets;
import org.fenghuo.jobs.correlation.CorrelationSettings;
import org.fenghuo.jobs.ingest.IngestSettings;
import org.fenghuo.simulator.FeedSink;
import org.fenghuo.simulator.KafkaFeedSink;
import org.fenghuo.simulator.SimulationStats;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.Speed;
import org.fenghuo.simulator.city.DemoCity;

/**
 * One simulated input for runs of the whole pipeline that are compared with each other: the records (kept, so that
 * each run reads exactly the same bytes from the same offsets), what the simulator says about them, and the settings
 * and consumer groups of one run of both jobs over them.
 */
final class PipelineInput {
    static final String SECRET = "pipeline-input-secret-0123456789";

    /** The input's records, in the order they are written. */
    final List<ProducerRecord<byte[], byte[]>> records;
    final SimulationStats stats;
    final Path regions;
    /** Alerts whose episode began before this (epoch millis) come out the same in every run: see {@link #simulate}. */
    final long settledBefore;
    /** Where the input begins in each feed partition; set by {@link #write}. */
    Map<TopicPartition, Long> feedStart = Map.of();

    private PipelineInput(List<ProducerRecord<byte[], byte[]>> records, SimulationStats stats, Path regions, long settledBefore) {
        this.records = records;
        this.stats = stats;
        this.regions = regions;
        this.settledBefore = settledBefore;
    }

    /**
     * Days of background at full speed, then hours of live traffic with the scripted scenarios, ~1% malformed, for
     * feed topics of {@code partitions} partitions each.
     *
     * <p>Which alerts two runs must agree on: a finite input ends, live feeds do not. The correlation's event time is
     * the slowest feed partition still delivering, less the out-of-orderness (4 h), so at the end of the input it stops
     * wherever the partitions happened to fall quiet, which depends on the order the ingest read them in; an alert whose
     * episode began in those last hours is held until event time passes its start (its id carries it, DESIGN §6) or
     * not, by chance. In production the next records release it. Every run's event time does reach the slowest feed
     * partition's clock at its end less the out-of-orderness, so the alerts whose episode began before that (less a
     * margin, since each partition of {@code events.normalized} sees only part of a feed partition) are settled; the
     * live traffic is long enough that these are all of the scripted scenarios' alerts and most of the others.
     */
    static PipelineInput simulate(long seed, Duration history, Duration live, Path dir, int partitions) throws Exception {
        DemoCity city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        Path regions = dir.resolve("city.geojson");
        city.writeGeoJson(regions);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        SimulationStats stats = new Simulator(city, SimulatorConfig.builder().seed(seed).speed(Speed.factor(100_000))
                .history(history).maxSimulatedDuration(live).build()).run(collect(out, times), () -> false);
        // each feed partition's event-time clock at its end, as the correlation keeps it (a wild date does not move it)
        Map<TopicPartition, GuardedClock> clocks = new HashMap<>();
        for (int i = 0; i < out.size(); i++) {
            ProducerRecord<byte[], byte[]> r = out.get(i);
            if (r.key() == null) continue; // the simulator keys every record; a null key would be spread at random
            TopicPartition tp = new TopicPartition(r.topic(), Utils.toPositive(Utils.murmur2(r.key())) % partitions);
            clocks.computeIfAbsent(tp, k -> new GuardedClock(GuardedClock.WILD_JUMP, GuardedClock.WILD_CONFIRMATIONS)).observe(times.get(i));
        }
        long slowest = Long.MAX_VALUE;
        for (String topic : Topics.feedTopics()) {
            for (int p = 0; p < partitions; p++) {
                GuardedClock c = clocks.get(new TopicPartition(topic, p));
                if (c == null) throw new IllegalStateException(topic + "/" + p + " gets no record of the input: simulate longer");
                slowest = Math.min(slowest, c.max());
            }
        }
        long settledBefore = slowest - CorrelationSettings.OUT_OF_ORDERNESS.defaultValue().toMillis() - SETTLED_MARGIN.toMillis();
        return new PipelineInput(out, stats, regions, settledBefore);
    }

    /** How far before the end of event time an alert must have begun to be compared (see {@link #simulate}). */
    private static final Duration SETTLED_MARGIN = Duration.ofHours(3);

    /** Every unique record is an event or a dead letter. */
    long expectedRecords() {
        return stats.validUnique() + stats.malformed();
    }

    /** Whether the alert (by id) began before {@link #settledBefore}, so that every run of this input raises it alike. */
    boolean settled(String alertId) {
        return AlertIds.episodeStartOf(alertId).toEpochMilli() < settledBefore;
    }

    /**
     * Asserts that a run gave the {@code reference} run's settled alerts, per rule and subject (each episode's highest
     * level: see {@link PipelineRun#bySubject}), and prints how the ids differ.
     *
     * @param log    prefix of the printed line, e.g. {@code [faults]}
     * @param against what the reference is, for the messages, e.g. {@code the fault-free run's}
     */
    void assertSameSettledAlerts(PipelineRun.Output run, PipelineRun.Output reference, String log, String against) {
        Map<String, String> alerts = settled(run.alertLevels());
        Map<String, String> expected = settled(reference.alertLevels());
        String difference = PipelineRun.difference(alerts, expected);
        System.out.printf("%s %d settled alerts (of %d); ids against %s: %s%n", log, alerts.size(), run.alertLevels().size(), against, difference);
        org.assertj.core.api.Assertions.assertThat(PipelineRun.bySubject(alerts)).as("the alerts (per rule and subject: each episode's"
                + " highest level) against %s; by id, %s", against, difference).isEqualTo(PipelineRun.bySubject(expected));
    }

    /** The settled alerts of a map by alert id. */
    Map<String, String> settled(Map<String, String> alertLevels) {
        Map<String, String> out = new java.util.TreeMap<>();
        alertLevels.forEach((id, level) -> {
            if (settled(id)) out.put(id, level);
        });
        return out;
    }

    /** Writes the whole input to the feed topics and remembers where it begins. */
    void write(String kafka) throws Exception {
        write(kafka, 0, records.size());
    }

    /** Writes records {@code from} (inclusive) to {@code to} (exclusive); the first call remembers where the input begins. */
    void write(String kafka, int from, int to) throws Exception {
        if (from == 0) {
            Map<TopicPartition, Long> start = new HashMap<>();
            for (String t : Topics.feedTopics()) start.putAll(KafkaOffsets.committedEnds(kafka, t));
            feedStart = start;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFeedSink.properties(kafka, Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records.subList(from, to)) producer.send(r);
            producer.flush();
        }
    }

    /**
     * Settings of both jobs of one run; the ingest's group is {@code <run>-ingest}, the correlation's
     * {@code <run>-correlation}.
     */
    Map<String, String> settings(String kafka, String es, String run, String checkpoints, int parallelism) {
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

    static Map<String, String> ingestOnly(Map<String, String> v) {
        Map<String, String> out = new LinkedHashMap<>(v);
        out.keySet().removeIf(k -> k.startsWith("fenghuo.correlation."));
        return out;
    }

    static Map<String, String> correlationOnly(Map<String, String> v) {
        Map<String, String> out = new LinkedHashMap<>(v);
        out.keySet().removeIf(k -> k.startsWith("fenghuo.ingest.") || k.equals(IngestSettings.SECRET.name()));
        return out;
    }

    static List<String> args(Map<String, String> v) {
        return v.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    /** The run's ingest starts at the input, its correlation and action readers at what comes next. */
    void prepareGroups(String kafka, String run) throws Exception {
        KafkaOffsets.commit(kafka, run + "-ingest", feedStart);
        PipelineRun.startAtEnd(kafka, run + "-correlation", List.of(Topics.EVENTS_NORMALIZED));
        PipelineRun.startAtEnd(kafka, run + "-correlation-actions", List.of(Topics.ALERT_ACTIONS));
    }

    private static FeedSink collect(List<ProducerRecord<byte[], byte[]>> out, List<Long> eventTimes) {
        return new FeedSink() {
            @Override
            public void send(Feed feed, String key, byte[] value, long eventTimeMillis) {
                eventTimes.add(eventTimeMillis);
                // the time of writing, as KafkaFeedSink does: a record stamped last March would be deleted at once by
                // the topic's time-based retention
                out.add(new ProducerRecord<>(feed.topic(), key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
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

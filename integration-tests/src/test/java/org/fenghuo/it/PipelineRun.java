package org.fenghuo.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.core.json.Json;
import org.fenghuo.localservices.KafkaOffsets;

/**
 * What one run of the pipeline (ingest and correlation) wrote for one input, read back from Kafka with
 * {@code read_committed} between offsets taken before the run and the topics' committed ends: the accounting
 * (events, dead letters, duplicates) and the alert set that fault tests compare with a fault-free run.
 */
final class PipelineRun {
    private final String kafka;
    final Map<TopicPartition, Long> eventsStart;
    final Map<TopicPartition, Long> deadLettersStart;
    final Map<TopicPartition, Long> alertsStart;

    /** Marks where this run's output begins: the topics' committed ends now. */
    PipelineRun(String kafka) throws Exception {
        this.kafka = kafka;
        this.eventsStart = KafkaOffsets.committedEnds(kafka, Topics.EVENTS_NORMALIZED);
        this.deadLettersStart = KafkaOffsets.committedEnds(kafka, Topics.DEAD_LETTER);
        this.alertsStart = KafkaOffsets.committedEnds(kafka, Topics.ALERTS);
    }

    /** The run's output so far. */
    record Output(long eventRecords, Set<String> eventIds, long deadLetterRecords, Set<String> deadLetterIds,
                  Map<String, String> alertLevels, List<String> repeatedAlertVersions) {
        String summary() {
            return eventRecords + " event records (" + eventIds.size() + " unique), " + deadLetterRecords + " dead letters ("
                    + deadLetterIds.size() + " unique), " + alertLevels.size() + " alerts";
        }
    }

    Output read() throws Exception {
        List<JsonNode> events = readCommitted(Topics.EVENTS_NORMALIZED, eventsStart);
        List<JsonNode> dead = readCommitted(Topics.DEAD_LETTER, deadLettersStart);
        List<JsonNode> alerts = readCommitted(Topics.ALERTS, alertsStart);
        Set<String> eventIds = new TreeSet<>();
        events.forEach(e -> eventIds.add(e.path("eventId").asText()));
        Set<String> deadIds = new TreeSet<>();
        dead.forEach(d -> deadIds.add(d.path("deadLetterId").asText()));
        Map<String, String> levels = new TreeMap<>();
        Map<String, Integer> versions = new HashMap<>();
        for (JsonNode a : alerts) {
            levels.merge(a.path("alertId").asText(), a.path("level").asText(), (x, y) -> rank(y) > rank(x) ? y : x);
            // one version of an alert: what a person sees change (level, status, evidence, actions, escalations)
            String version = a.path("alertId").asText() + " " + a.path("level").asText() + " " + a.path("status").asText() + " evidence="
                    + a.path("evidenceCount").asInt() + " actions=" + a.path("actionCount").asInt() + " escalations=" + a.path("escalations").size();
            versions.merge(version, 1, Integer::sum);
        }
        List<String> repeated = versions.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + " ×" + e.getValue()).sorted().toList();
        return new Output(events.size(), eventIds, dead.size(), deadIds, levels, repeated);
    }

    /**
     * Polls {@link #read()} until every input record is accounted for (unique events plus unique dead letters reach
     * {@code expectedRecords}) and the output has been quiet a while.
     */
    Output awaitQuiet(long expectedRecords, Duration quiet, Duration timeout) throws Exception {
        return awaitQuiet(expectedRecords, null, quiet, timeout);
    }

    /**
     * As {@link #awaitQuiet(long, Duration, Duration)}, and also until the correlation job's consumer group has
     * committed every event (it commits its offsets with the checkpoint that commits the alerts they caused): a quiet
     * alerts topic alone may only mean the correlation job is still catching up.
     */
    Output awaitQuiet(long expectedRecords, String correlationGroup, Duration quiet, Duration timeout) throws Exception {
        return awaitQuiet(expectedRecords, correlationGroup, 0, quiet, timeout);
    }

    /**
     * As {@link #awaitQuiet(long, String, Duration, Duration)}, and also until at least {@code expectedAlerts} alerts
     * are out. After a restart the correlation's event time waits (up to its idle timeout) for feed partitions that
     * delivered before it, so every event can be read while the alerts they complete are still to come.
     */
    Output awaitQuiet(long expectedRecords, String correlationGroup, int expectedAlerts, Duration quiet, Duration timeout) throws Exception {
        return awaitQuiet(expectedRecords, correlationGroup, id -> true, expectedAlerts, quiet, timeout);
    }

    /** As {@link #awaitQuiet(long, String, int, Duration, Duration)}, counting only the alerts {@code counted} accepts (by id). */
    Output awaitQuiet(long expectedRecords, String correlationGroup, java.util.function.Predicate<String> counted, int expectedAlerts,
                      Duration quiet, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Output last = read();
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            Output now = read();
            if (now.eventRecords() != last.eventRecords() || now.deadLetterRecords() != last.deadLetterRecords()
                    || !now.alertLevels().equals(last.alertLevels())) {
                lastChange = System.nanoTime();
            }
            last = now;
            boolean complete = now.eventIds().size() + now.deadLetterIds().size() >= expectedRecords
                    && now.alertLevels().keySet().stream().filter(counted).count() >= expectedAlerts
                    && (correlationGroup == null || consumedAll(correlationGroup, Topics.EVENTS_NORMALIZED));
            if (complete && System.nanoTime() - lastChange >= quiet.toNanos()) return now;
        }
        return last;
    }

    /** The source record ids of the committed events at offsets from {@code from} (inclusive) to {@code to}. */
    Set<String> recordIdsOfEvents(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode e : readCommitted(Topics.EVENTS_NORMALIZED, from, to)) out.add(e.path("recordId").asText());
        return out;
    }

    /** Every committed alert version written since {@code from} (offsets of the alerts topic). */
    List<JsonNode> alertsSince(Map<TopicPartition, Long> from) throws Exception {
        return readCommitted(Topics.ALERTS, from);
    }

    /** Per partition of each topic read, the offset after its last committed record (transaction markers follow it). */
    private final Map<TopicPartition, Long> afterLastRecord = new java.util.concurrent.ConcurrentHashMap<>();

    private List<JsonNode> readCommitted(String topic, Map<TopicPartition, Long> from) throws Exception {
        return readCommitted(topic, from, KafkaOffsets.committedEnds(kafka, topic));
    }

    private List<JsonNode> readCommitted(String topic, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(to.keySet());
            to.keySet().forEach(tp -> c.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (to.keySet().stream().anyMatch(tp -> c.position(tp) < to.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < to.get(tp)) {
                        out.add(Json.fromBytes(r.value(), JsonNode.class));
                        afterLastRecord.merge(tp, r.offset() + 1, Math::max);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether the group has committed every record of the topic this run has read (by {@link #read()}). A Flink Kafka
     * source commits the offset after the last record it processed, which stays short of the topic's end by the
     * transaction marker that follows that record.
     */
    private boolean consumedAll(String group, String topic) throws Exception {
        try (Admin admin = KafkaOffsets.admin(kafka)) {
            Map<TopicPartition, OffsetAndMetadata> at = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return afterLastRecord.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .allMatch(e -> at.get(e.getKey()) != null && at.get(e.getKey()).offset() >= e.getValue());
        }
    }

    static void startAtEnd(String kafka, String group, List<String> topics) throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String t : topics) ends.putAll(KafkaOffsets.committedEnds(kafka, t));
        KafkaOffsets.commit(kafka, group, ends);
    }

    /**
     * The alerts per rule and subject: the highest level of each of its episodes, sorted. This is what two runs of one
     * input must agree on. The episode part of an alert id is the time of the situation's first detection in the order
     * the detections arrived, and at parallelism 2 the contributions to one entity's risk score come over two channels
     * in an order that varies from run to run; an episode can then be named after a different one of its records.
     */
    static Map<String, List<String>> bySubject(Map<String, String> alertLevels) {
        Map<String, List<String>> out = new TreeMap<>();
        alertLevels.forEach((id, level) -> {
            int episode = id.lastIndexOf(':');
            out.computeIfAbsent(episode < 0 ? id : id.substring(0, episode), k -> new ArrayList<>()).add(level);
        });
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    /** What differs between two alert maps, for a message: ids only in {@code a}, and ids only in {@code b}. */
    static String difference(Map<String, String> a, Map<String, String> b) {
        Map<String, String> onlyA = new TreeMap<>(a);
        onlyA.entrySet().removeAll(b.entrySet());
        Map<String, String> onlyB = new TreeMap<>(b);
        onlyB.entrySet().removeAll(a.entrySet());
        return "only in the first: " + onlyA + "; only in the second: " + onlyB;
    }

    /** BLUE < YELLOW < ORANGE < RED, as {@link AlertLevel} orders them; anything else below all. */
    static int rank(String level) {
        try {
            return AlertLevel.valueOf(level).ordinal();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}

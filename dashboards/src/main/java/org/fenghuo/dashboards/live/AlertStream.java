package org.fenghuo.dashboards.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fenghuo.core.feed.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@code alerts} topic from its end (committed transactions only) and hands every alert version to a
 * listener. It has no consumer group: each dashboards instance pushes every alert to its own pages, and a page
 * catches up on what it missed from Elasticsearch when it (re)connects.
 */
public final class AlertStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertStream.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ObjectMapper json;
    private final Consumer<JsonNode> listener;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public AlertStream(String bootstrap, ObjectMapper json, Consumer<JsonNode> listener) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fenghuo-dashboards-alerts");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.json = json;
        this.listener = listener;
        this.thread = new Thread(this::run, "fenghuo-dashboards-alert-stream");
        this.thread.setDaemon(true);
    }

    public AlertStream start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // fix the start now, so nothing sent after start() is skipped
            LOG.info("following {} ({} partitions) for live alerts", Topics.ALERTS, partitions.size());
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        listener.accept(json.readTree(r.value()));
                    } catch (Exception e) {
                        LOG.warn("skipping alert at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running.get()) LOG.warn("alert stream woken unexpectedly", e);
        } catch (RuntimeException e) {
            LOG.error("alert stream stopped: pages get no live alerts until the service restarts", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }


    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

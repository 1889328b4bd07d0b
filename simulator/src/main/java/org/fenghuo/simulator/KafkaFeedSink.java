package org.fenghuo.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fenghuo.core.feed.Feed;

/**
 * Sends to the feed topics: key = record id, value = the record's bytes, timestamp = event time; idempotent,
 * acks=all, linger 5 ms.
 *
 * <p>Kafka 4 brokers reject a record whose timestamp is more than {@code log.message.timestamp.after.max.ms}
 * (default 1 h) ahead of their clock. The simulator produces such times on purpose (the "timestamp in the future"
 * dead letters) and also whenever it runs faster than real time from a start near now. So a timestamp more than
 * {@code maxFutureSkew} ahead of the wall clock is replaced by the wall clock; the event time in the record
 * itself is untouched, and it is what the jobs read.
 */
public final class KafkaFeedSink implements FeedSink {
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(50);

    private final Producer<byte[], byte[]> producer;
    private final long maxFutureSkewMillis;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaFeedSink(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** @param overrides extra producer settings (security, client id, …), applied last */
    public KafkaFeedSink(String bootstrapServers, Map<String, Object> overrides) {
        this(new KafkaProducer<>(properties(bootstrapServers, overrides)), DEFAULT_MAX_FUTURE_SKEW);
    }

    /** For tests and for callers that build their own producer. */
    public KafkaFeedSink(Producer<byte[], byte[]> producer, Duration maxFutureSkew) {
        this.producer = producer;
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    }

    static Properties properties(String bootstrapServers, Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fenghuo-simulator");
        p.putAll(overrides);
        return p;
    }

    /** @throws Exception the failure of an earlier asynchronous send, so that a broken broker stops the run */
    @Override
    public void send(Feed feed, String key, byte[] value, long eventTimeMillis) throws Exception {
        Exception earlier = failure.get();
        if (earlier != null) throw earlier;
        long timestamp = kafkaTimestamp(eventTimeMillis, System.currentTimeMillis());
        producer.send(new ProducerRecord<>(feed.topic(), null, timestamp, key.getBytes(StandardCharsets.UTF_8), value),
                (metadata, e) -> {
                    if (e != null) failure.compareAndSet(null, e);
                });
    }

    long kafkaTimestamp(long eventTimeMillis, long nowMillis) {
        return eventTimeMillis - nowMillis > maxFutureSkewMillis ? nowMillis : eventTimeMillis;
    }

    @Override
    public void flush() {
        producer.flush();
        Exception e = failure.get();
        if (e != null) throw new IllegalStateException("a record could not be sent to Kafka", e);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}

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
 * Sends to the feed topics: key = record id, value = the record's bytes; idempotent, acks=all, linger 5 ms.
 *
 * <p>The Kafka timestamp is the time of sending, as with any real feed producer, never the event time: the jobs read
 * event time from the record itself. Stamping event time would let the broker's time-based retention delete
 * history (28 days old) the moment it is written, and Kafka 4 brokers refuse timestamps more than an hour ahead.
 */
public final class KafkaFeedSink implements FeedSink {
    private final Producer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaFeedSink(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** @param overrides extra producer settings (security, client id, …), applied last */
    public KafkaFeedSink(String bootstrapServers, Map<String, Object> overrides) {
        this(new KafkaProducer<>(properties(bootstrapServers, overrides)));
    }

    /** For tests and for callers that build their own producer. */
    public KafkaFeedSink(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** Producer settings for feed records (durable, idempotent, batched), also used by replay and the benchmarks. */
    public static Properties properties(String bootstrapServers, Map<String, Object> overrides) {
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
        producer.send(new ProducerRecord<>(feed.topic(), key.getBytes(StandardCharsets.UTF_8), value),
                (metadata, e) -> {
                    if (e != null) failure.compareAndSet(null, e);
                });
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

package org.fenghuo.dashboards.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.dashboards.api.ApiException;

/**
 * Writes people's actions to {@code alert.actions}, keyed by alert id so that one alert's actions stay in order.
 * The send is awaited: the page is told "accepted" only once Kafka has the action.
 */
public final class ActionPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json;

    public ActionPublisher(String bootstrap, ObjectMapper json) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fenghuo-dashboards-actions");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.json = json;
    }

    public void publish(AlertAction action) {
        try {
            producer.send(new ProducerRecord<>(Topics.ALERT_ACTIONS, action.alertId(), json.writeValueAsBytes(action)))
                    .get(12, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "操作未能提交（服务正在停止）");
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new ApiException(503, "操作未能提交：Kafka 暂时不可用，请稍后重试");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise action " + action.actionId(), e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}

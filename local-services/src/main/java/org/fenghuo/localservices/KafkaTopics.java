package org.fenghuo.localservices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic creation against any bootstrap address, so it works whichever provider started the broker. */
final class KafkaTopics {
    private KafkaTopics() {
    }

    static Properties adminProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fenghuo-local-services");
        return p;
    }

    /** Replication factor of topics on a cluster of {@code brokers}: 1 on a single broker, at most 3. */
    static short replicationFactor(int brokers) {
        return (short) Math.max(1, Math.min(3, brokers));
    }

    /** Topic configs on a cluster of {@code brokers}: {@code min.insync.replicas=2} once there are 3 replicas. */
    static Map<String, String> topicConfigs(int brokers) {
        return replicationFactor(brokers) >= 3 ? Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2") : Map.of();
    }

    /**
     * Creates the topics (replication factor {@link #replicationFactor}, with {@link #topicConfigs}); topics that already
     * exist are left as they are, so this can be called by every component that needs them.
     */
    static void create(String bootstrapServers, Map<String, Integer> nameToPartitions, Duration timeout, int brokers) {
        if (nameToPartitions.isEmpty()) return;
        List<NewTopic> topics = new ArrayList<>();
        nameToPartitions.forEach((name, partitions) -> {
            if (partitions == null || partitions < 1) {
                throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
            }
            NewTopic topic = new NewTopic(name, partitions, replicationFactor(brokers));
            Map<String, String> configs = topicConfigs(brokers);
            topics.add(configs.isEmpty() ? topic : topic.configs(configs));
        });
        try (Admin admin = Admin.create(adminProperties(bootstrapServers))) {
            var results = admin.createTopics(topics).values();
            for (var e : results.entrySet()) {
                try {
                    e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new ServicesException("cannot create Kafka topic " + e.getKey() + " on " + bootstrapServers
                                + ": " + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
        } catch (TimeoutException e) {
            throw new ServicesException("creating Kafka topics " + nameToPartitions.keySet() + " on " + bootstrapServers
                    + " timed out after " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServicesException("interrupted while creating Kafka topics", e);
        }
    }
}

package org.fenghuo.jobs.common;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** The jobs' Kafka sinks, with the platform's delivery guarantee applied the same way everywhere. */
public final class KafkaSinks {
    private KafkaSinks() {}

    /**
     * A sink that follows {@link Platform#delivery()}. Exactly-once writes in transactions named from
     * {@code transactionalIdPrefix}, which must be unique per sink and stable across restarts: a restarted job aborts
     * the transactions its previous run left open by that name.
     */
    public static <T> KafkaSink<T> of(Platform platform, String bootstrap, KafkaRecordSerializationSchema<T> schema,
                                      String transactionalIdPrefix) {
        var b = KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(platform.delivery())
                // a broker restart must not lose an acknowledged write, and a retry must not reorder or repeat one
                .setProperty("acks", "all")
                .setProperty("enable.idempotence", "true");
        if (platform.exactlyOnce()) {
            b.setTransactionalIdPrefix(transactionalIdPrefix)
                    .setProperty("transaction.timeout.ms", String.valueOf(platform.transactionTimeout().toMillis()));
        }
        return b.build();
    }

    /** Always at-least-once: answers to people waiting on them (rule status), where a repeat is harmless. */
    public static <T> KafkaSink<T> atLeastOnce(String bootstrap, KafkaRecordSerializationSchema<T> schema) {
        return KafkaSink.<T>builder().setBootstrapServers(bootstrap).setRecordSerializer(schema)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE).setProperty("acks", "all").build();
    }
}

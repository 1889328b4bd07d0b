package org.fenghuo.jobs.common;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fenghuo.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the JSON values of the jobs' own topics ({@code events.normalized}, {@code control.rules},
 * {@code alert.actions}). A message that does not parse is logged with its coordinates and skipped: these topics are
 * written by Fenghuo's own tools, and one bad control message must not stop alerting.
 */
public final class JsonRecordDeserializer<T> implements KafkaRecordDeserializationSchema<T> {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRecordDeserializer.class);
    private final Class<T> type;
    private final TypeInformation<T> typeInfo;

    public JsonRecordDeserializer(Class<T> type) {
        this(type, TypeInformation.of(type));
    }

    public JsonRecordDeserializer(Class<T> type, TypeInformation<T> typeInfo) {
        this.type = type;
        this.typeInfo = typeInfo;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        if (record.value() == null) return;
        try {
            out.collect(Json.fromBytes(record.value(), type));
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipped unreadable {} at {}/{}@{}: {}", type.getSimpleName(), record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return typeInfo;
    }
}

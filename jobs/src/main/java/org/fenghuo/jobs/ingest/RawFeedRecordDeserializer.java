package org.fenghuo.jobs.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fenghuo.core.model.RawFeedRecord;

/** Keeps every Kafka record as it is, with its coordinates: parsing happens downstream so a bad record cannot fail the source. */
public final class RawFeedRecordDeserializer implements KafkaRecordDeserializationSchema<RawFeedRecord> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawFeedRecord> out) {
        out.collect(new RawFeedRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.timestamp()));
    }

    @Override
    public TypeInformation<RawFeedRecord> getProducedType() {
        return TypeInformation.of(RawFeedRecord.class);
    }
}

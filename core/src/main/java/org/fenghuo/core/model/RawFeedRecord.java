package org.fenghuo.core.model;

/**
 * A feed record exactly as it came off Kafka, with its coordinates so that a rejection can point back to it.
 * The value may be anything, including bytes that are not JSON.
 */
public record RawFeedRecord(String topic, int partition, long offset, byte[] key, byte[] value, long kafkaTimestamp) {
    public String coordinates() {
        return topic + "/" + partition + "@" + offset;
    }
}

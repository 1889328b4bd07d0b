package org.fenghuo.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A feed record that could not become an event, with the reason. The Kafka form ({@link #toKafkaValue()}) keeps the
 * original bytes so it can be repaired and replayed; the Elasticsearch form ({@link #toIndexDocument()}) does not,
 * because the original may hold unmasked personal data (DESIGN §3).
 *
 * @param deadLetterId deterministic: {@code sourceTopic/partition@offset}, so a replay overwrites
 * @param kind         FEED_REJECTED (ingest validation) or INDEX_REJECTED (Elasticsearch refused the document)
 * @param field        the field at fault, when one is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        String deadLetterId,
        String kind,
        String sourceTopic,
        Integer partition,
        Long offset,
        String recordId,
        String feed,
        String reason,
        String field,
        Instant rejectedAt,
        int sizeBytes,
        byte[] original) {

    public static final String FEED_REJECTED = "FEED_REJECTED";

    public static DeadLetter rejected(RawFeedRecord raw, String feed, String recordId, String field, String reason, Instant now) {
        byte[] value = raw.value() == null ? new byte[0] : raw.value();
        return new DeadLetter(raw.coordinates(), FEED_REJECTED, raw.topic(), raw.partition(), raw.offset(),
                recordId, feed, reason, field, now, value.length, value);
    }

    /** Document for {@code fenghuo-deadletters}: metadata and reason only, never the original bytes. */
    public IndexDocument toIndexDocument() {
        return new IndexDocument(deadLetterId, kind, sourceTopic, partition, offset, recordId, feed, reason, field,
                rejectedAt, sizeBytes);
    }

    /** Value for the {@code feed.dead-letter} topic: metadata, reason and the original bytes (base64, and as text when UTF-8). */
    public KafkaValue toKafkaValue() {
        byte[] bytes = original == null ? new byte[0] : original;
        return new KafkaValue(deadLetterId, kind, sourceTopic, partition, offset, recordId, feed, reason, field,
                rejectedAt, sizeBytes, utf8OrNull(bytes), Base64.getEncoder().encodeToString(bytes));
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IndexDocument(String deadLetterId, String kind, String sourceTopic, Integer partition, Long offset,
                                String recordId, String feed, String reason, String field, Instant rejectedAt,
                                int sizeBytes) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KafkaValue(String deadLetterId, String kind, String sourceTopic, Integer partition, Long offset,
                             String recordId, String feed, String reason, String field, Instant rejectedAt,
                             int sizeBytes, String originalText, String originalBase64) {}
}

package org.fenghuo.connectors.elasticsearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Builds the {@code fenghuo-deadletters} document for a document Elasticsearch will never accept. It
 * records where the document was going, why it was refused and its size, never its content: the
 * content may hold personal data, and the original record stays in the access-controlled feed topics.
 */
public final class DeadLetters {
    public static final String KIND_INDEX_REJECTED = "INDEX_REJECTED";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetters() {}

    /**
     * {@code index-rejected:<targetIndex>:<documentId>}: the same rejection replayed overwrites its dead
     * letter. Ids past Elasticsearch's 512-byte limit are replaced by their SHA-256 so the dead letter
     * itself cannot be refused for its id.
     */
    public static String indexRejectedId(String targetIndex, String documentId) {
        String id = "index-rejected:" + targetIndex + ":" + documentId;
        if (id.getBytes(StandardCharsets.UTF_8).length <= IndexDocument.MAX_ID_BYTES) {
            return id;
        }
        return "index-rejected:" + targetIndex + ":sha256:" + sha256(documentId);
    }

    /**
     * @param reason an already sanitised "type: reason" (see {@link FailureClassifier#describeError})
     * @param field  the offending field when Elasticsearch names one, else null
     */
    public static IndexDocument indexRejected(String deadLetterIndex, String targetIndex, String documentId,
                                              int status, String reason, String field, int sizeBytes,
                                              Instant rejectedAt) {
        String id = indexRejectedId(targetIndex, documentId);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("deadLetterId", id);
        doc.put("kind", KIND_INDEX_REJECTED);
        doc.put("targetIndex", targetIndex);
        doc.put("documentId", documentId);
        doc.put("reason", reason);
        if (field != null) {
            doc.put("field", field);
        }
        doc.put("status", status);
        doc.put("sizeBytes", sizeBytes);
        doc.put("rejectedAt", rejectedAt.toString());
        try {
            return new IndexDocument(deadLetterIndex, id, JSON.writeValueAsBytes(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a dead letter", e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

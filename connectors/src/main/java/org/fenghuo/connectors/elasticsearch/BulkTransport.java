package org.fenghuo.connectors.elasticsearch;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one thing the writer needs from Elasticsearch: send index operations, get one result per
 * operation back in request order. An interface so the writer's buffering, ordering and retry logic can
 * be unit-tested against a scripted fake; the production implementation is
 * {@link ElasticsearchBulkTransport}.
 */
interface BulkTransport extends AutoCloseable {

    /**
     * Completes with exactly one result per document, in order, or exceptionally when the request as a
     * whole failed (no response, or a non-2xx HTTP status).
     */
    CompletableFuture<List<BulkItemResult>> bulk(List<IndexDocument> documents);

    @Override
    void close() throws Exception;

    /** One bulk item's outcome; error fields are null on success. */
    record BulkItemResult(int status, String errorType, String errorReason, String causedByType) {
        static BulkItemResult ok(int status) {
            return new BulkItemResult(status, null, null, null);
        }

        static BulkItemResult error(int status, String type, String reason) {
            return new BulkItemResult(status, type, reason, null);
        }

        /** Safe to log and to store: see {@link FailureClassifier#describeError}. */
        String describe() {
            String d = FailureClassifier.describeError(errorType, errorReason);
            return causedByType == null ? d : d + " (caused by " + causedByType + ")";
        }
    }
}

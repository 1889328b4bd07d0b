package org.fenghuo.connectors.elasticsearch;

import java.io.Serializable;

/** The validated, immutable writer settings carried by an {@link ElasticsearchSink}. */
record SinkSettings(
        int maxBatchActions,
        long maxBatchBytes,
        long maxBufferTimeMillis,
        int maxInFlightRequests,
        RetryPolicy retryPolicy,
        String deadLetterIndex,
        boolean requireAlias) implements Serializable {
}

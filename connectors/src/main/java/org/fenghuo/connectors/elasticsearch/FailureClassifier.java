package org.fenghuo.connectors.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elasticsearch.client.ResponseException;

/**
 * Decides what happens to a failed bulk request or bulk item. Kept apart from the writer so the rules
 * are unit-testable and readable in one place.
 */
public final class FailureClassifier {
    private FailureClassifier() {}

    /** Whole-request statuses worth waiting for: overload and proxies/nodes that are briefly away. */
    static final Set<Integer> RETRYABLE_REQUEST_STATUSES = Set.of(429, 502, 503, 504);

    public enum ItemOutcome {
        /** Indexed (201 created, 200 updated). */
        SUCCESS,
        /**
         * 409: only possible when a document carries its own version/op_type. The stored document is at
         * least as new, so there is nothing to retry and nothing wrong with the input.
         */
        VERSION_CONFLICT,
        /**
         * Transient: 429, 5xx, es_rejected_execution_exception, cluster_block_exception. Resent after a
         * backoff.
         */
        RETRY,
        /** The document can never be indexed as it is (mapping, parsing, bad argument): dead-letter it. */
        REJECT,
        /** Waiting or dead-lettering would hide a configuration error (auth, missing alias): fail the job. */
        FATAL
    }

    public static ItemOutcome classifyItem(int status, String errorType) {
        if (status >= 200 && status < 300 && errorType == null) {
            return ItemOutcome.SUCCESS;
        }
        if ("es_rejected_execution_exception".equals(errorType) || "cluster_block_exception".equals(errorType)) {
            // A write block (flood-stage disk watermark: 429; an operator's index.blocks.write: 403) is
            // lifted by freeing disk or ending maintenance; failing the job would only restart into it.
            return ItemOutcome.RETRY;
        }
        if (status == 401 || status == 403) {
            return ItemOutcome.FATAL;
        }
        if (status == 404 && "index_not_found_exception".equals(errorType)) {
            // The aliases are created by IndexBootstrap; without them every document would be dead-lettered.
            return ItemOutcome.FATAL;
        }
        if (status == 409) {
            return ItemOutcome.VERSION_CONFLICT;
        }
        if (status == 429 || status >= 500) {
            return ItemOutcome.RETRY;
        }
        if (status >= 400) {
            return ItemOutcome.REJECT;
        }
        return ItemOutcome.FATAL;
    }

    public enum RequestOutcome {
        RETRY,
        /** 413: a single document above http.max_content_length; dead-lettered, not retried. */
        TOO_LARGE,
        FATAL
    }

    /** A classified whole-request failure; {@code status} is -1 when no HTTP response was received. */
    public record RequestFailure(RequestOutcome outcome, int status, String description) {}

    public static RequestFailure classifyRequestFailure(Throwable failure) {
        Throwable t = unwrap(failure);
        int status = -1;
        String description;
        if (t instanceof ElasticsearchException e && e.error() != null
                && "cluster_block_exception".equals(e.error().type())) {
            return new RequestFailure(RequestOutcome.RETRY, e.status(),
                    "status " + e.status() + ", " + describeError(e.error().type(), e.error().reason()));
        }
        if (t instanceof ElasticsearchException e) {
            status = e.status();
            description = e.error() == null ? "status " + status
                    : "status " + status + ", " + describeError(e.error().type(), e.error().reason());
        } else if (t instanceof TransportException e && e.statusCode() > 0) {
            status = e.statusCode();
            description = "status " + status + ", " + t.getClass().getSimpleName() + ": " + sanitize(t.getMessage());
        } else if (t instanceof ResponseException e) {
            status = e.getResponse().getStatusLine().getStatusCode();
            description = "status " + status;
        } else {
            description = t.getClass().getName() + ": " + sanitize(String.valueOf(t.getMessage()));
        }

        if (status == -1) {
            // No response at all: refused connection, reset, socket timeout, DNS. The cluster may come back.
            return new RequestFailure(
                    t instanceof IOException ? RequestOutcome.RETRY : RequestOutcome.FATAL, status, description);
        }
        if (RETRYABLE_REQUEST_STATUSES.contains(status)) {
            return new RequestFailure(RequestOutcome.RETRY, status, description);
        }
        if (status == 413) {
            return new RequestFailure(RequestOutcome.TOO_LARGE, status, description);
        }
        if (status == 401 || status == 403) {
            return new RequestFailure(RequestOutcome.FATAL, status,
                    description + " (authentication/authorisation failed: check the Elasticsearch credentials"
                            + " and the role's index privileges)");
        }
        return new RequestFailure(RequestOutcome.FATAL, status, description);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static final int MAX_REASON_CHARS = 1000;
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern FIELD_IN_REASON = Pattern.compile(
            "(?:failed to parse field|dynamic introduction of|failed to parse into|field) \\[([^\\]]+)]");

    /**
     * An Elasticsearch error reason stripped of anything that may echo the document: the value preview
     * ("Preview of field's value: '...'"), parser source excerpts after a line break, and every quoted
     * string. Field names survive because Elasticsearch prints them in [brackets].
     */
    public static String sanitize(String reason) {
        if (reason == null) {
            return null;
        }
        String r = reason;
        int preview = r.indexOf("Preview of field's value");
        if (preview >= 0) {
            r = r.substring(0, preview);
        }
        int newline = r.indexOf('\n');
        if (newline >= 0) {
            r = r.substring(0, newline);
        }
        r = QUOTED.matcher(r).replaceAll("'…'").strip();
        if (r.endsWith(".")) {
            r = r.substring(0, r.length() - 1);
        }
        return r.length() > MAX_REASON_CHARS ? r.substring(0, MAX_REASON_CHARS) + "…" : r;
    }

    /**
     * "type: sanitised reason". Nested {@code caused_by} reasons are left out on purpose: they are where
     * Elasticsearch quotes the offending value ("For input string: ...", "Unknown geometry type: ...").
     */
    public static String describeError(String type, String reason) {
        String t = type == null ? "unknown_error" : type;
        String r = sanitize(reason);
        return r == null || r.isEmpty() ? t : t + ": " + r;
    }

    /** The field an item error is about, when Elasticsearch names one; null otherwise. */
    public static String fieldOf(String reason) {
        if (reason == null) {
            return null;
        }
        Matcher m = FIELD_IN_REASON.matcher(reason);
        return m.find() ? m.group(1) : null;
    }
}

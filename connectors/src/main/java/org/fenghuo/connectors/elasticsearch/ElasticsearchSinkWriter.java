package org.fenghuo.connectors.elasticsearch;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.fenghuo.connectors.elasticsearch.BulkTransport.BulkItemResult;
import org.fenghuo.connectors.elasticsearch.FailureClassifier.RequestFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer behind {@link ElasticsearchSink}.
 *
 * <p>Threading: every field is touched only by the task's mailbox thread. Bulk responses arrive on the
 * HTTP client's I/O thread and are handed to the mailbox as mails, timers fire as mails too, so there are
 * no locks and no races between write(), flush(), responses and retries.
 *
 * <p>Ordering: at most one operation per document (index + id) is outstanding at a time. A newer version
 * of a document that is in flight or waiting for a retry stays in the buffer until the older one is
 * settled, so a retried old version can never overwrite a newer one. Two versions of the same document
 * that meet in the buffer are coalesced into the newer one: an index operation replaces the whole
 * document, so the older version would only have been overwritten.
 */
public final class ElasticsearchSinkWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);

    /** Rough size of the NDJSON action line that precedes each source, for the batch byte limit. */
    static final int ACTION_LINE_OVERHEAD_BYTES = 48;

    private final ElasticsearchDocumentMapper<T> mapper;
    private final SinkSettings settings;
    private final BulkTransport transport;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService time;

    private final Counter numDocumentsSent = new SimpleCounter();
    private final Counter numDocumentsRejected = new SimpleCounter();
    private final Counter numRetries = new SimpleCounter();
    private final Counter numVersionConflicts = new SimpleCounter();
    private final Counter numDocumentsCoalesced = new SimpleCounter();
    private final Counter flinkRecordsSend;
    private final Counter flinkRecordsSendErrors;
    private final Histogram bulkLatencyMs = new DescriptiveStatisticsHistogram(1000);
    private volatile long lastBulkLatencyMs;

    /** Not yet sent, in arrival order; at most one entry per document. */
    private final LinkedHashMap<DocKey, Pending> buffer = new LinkedHashMap<>();
    private long bufferBytes;
    /** Documents in an outstanding request or in a batch waiting to be retried. */
    private final Set<DocKey> busyKeys = new HashSet<>();
    /** Batches sent and not yet settled, including those waiting for their retry timer. */
    private volatile int activeBatches;
    private volatile int bufferedDocuments;
    private boolean flushTimerArmed;
    private boolean flushing;
    private boolean closed;
    private ElasticsearchSinkException fatal;

    ElasticsearchSinkWriter(ElasticsearchDocumentMapper<T> mapper, SinkSettings settings, BulkTransport transport,
                            MailboxExecutor mailbox, ProcessingTimeService time, SinkWriterMetricGroup metrics) {
        this.mapper = mapper;
        this.settings = settings;
        this.transport = transport;
        this.mailbox = mailbox;
        this.time = time;
        metrics.counter("numDocumentsSent", numDocumentsSent);
        metrics.counter("numDocumentsRejected", numDocumentsRejected);
        metrics.counter("numRetries", numRetries);
        metrics.counter("numVersionConflicts", numVersionConflicts);
        metrics.counter("numDocumentsCoalesced", numDocumentsCoalesced);
        metrics.gauge("inFlightRequests", () -> activeBatches);
        metrics.gauge("bufferedDocuments", () -> bufferedDocuments);
        metrics.histogram("bulkLatencyMs", bulkLatencyMs);
        metrics.setCurrentSendTimeGauge(() -> lastBulkLatencyMs);
        this.flinkRecordsSend = metrics.getNumRecordsSendCounter();
        this.flinkRecordsSendErrors = metrics.getNumRecordsSendErrorsCounter();
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        checkNotFailed();
        IndexDocument doc;
        try {
            doc = mapper.map(element);
        } catch (Exception e) {
            // The element is deliberately not part of the message: it may hold personal data.
            throw new IOException("documentMapper failed to map an element", e);
        }
        if (doc == null) {
            throw new IllegalStateException(
                    "documentMapper returned null: every element must map to a document (the sink never drops)");
        }
        // Back-pressure: a full buffer with every request slot taken waits here, on the mailbox, so
        // responses and retries keep being processed while the job's input stalls.
        while (activeBatches >= settings.maxInFlightRequests() && bufferFull()) {
            mailbox.yield();
            checkNotFailed();
        }
        enqueue(doc, false);
        sendReadyBatches(false);
    }

    /**
     * Blocks (yielding to the mailbox) until every buffered document, every retry and every dead letter
     * produced on the way is acknowledged by Elasticsearch. Called before each checkpoint barrier and at
     * end of input, which is what makes the sink at-least-once.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        checkNotFailed();
        flushing = true;
        try {
            sendReadyBatches(true);
            while (!buffer.isEmpty() || activeBatches > 0) {
                mailbox.yield();
                checkNotFailed();
                sendReadyBatches(true);
            }
        } finally {
            flushing = false;
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (!buffer.isEmpty() || activeBatches > 0) {
            // Only after a failure or cancellation: the job restarts from its last checkpoint and the
            // deterministic ids make the replay overwrite.
            LOG.info("Elasticsearch sink closing with {} buffered documents and {} unsettled bulk requests;"
                    + " they are replayed from the last checkpoint", buffer.size(), activeBatches);
        }
        transport.close();
    }

    // ---------------------------------------------------------------- buffering

    private void enqueue(IndexDocument doc, boolean isDeadLetter) {
        int idBytes = doc.idBytes();
        if (idBytes > IndexDocument.MAX_ID_BYTES) {
            // Elasticsearch would fail the entire bulk request for this one id, so it is rejected here.
            reject(doc, 400, "id_too_long: document id is " + idBytes + " bytes, Elasticsearch allows at most "
                    + IndexDocument.MAX_ID_BYTES, null, isDeadLetter);
            return;
        }
        byte[] source = singleLine(doc.jsonSource());
        if (source != doc.jsonSource()) {
            doc = new IndexDocument(doc.index(), doc.id(), source);
        }
        DocKey key = new DocKey(doc.index(), doc.id());
        int bytes = source.length + doc.index().length() + idBytes + ACTION_LINE_OVERHEAD_BYTES;
        Pending existing = buffer.get(key);
        if (existing != null) {
            bufferBytes -= existing.bytes;
            existing.doc = doc;
            existing.bytes = bytes;
            existing.deadLetter = isDeadLetter;
            numDocumentsCoalesced.inc();
        } else {
            buffer.put(key, new Pending(key, doc, bytes, time.getCurrentProcessingTime(), isDeadLetter));
        }
        bufferBytes += bytes;
        bufferedDocuments = buffer.size();
        armFlushTimer();
    }

    /**
     * The bulk body is newline-delimited, so a pretty-printed source would break it. A raw line feed can
     * only be whitespace between JSON tokens (inside strings it must be escaped), so a space is equivalent.
     */
    static byte[] singleLine(byte[] json) {
        int i = 0;
        while (i < json.length && json[i] != '\n') {
            i++;
        }
        if (i == json.length) {
            return json;
        }
        byte[] copy = json.clone();
        for (; i < copy.length; i++) {
            if (copy[i] == '\n') {
                copy[i] = ' ';
            }
        }
        return copy;
    }

    private boolean bufferFull() {
        return buffer.size() >= settings.maxBatchActions() || bufferBytes >= settings.maxBatchBytes();
    }

    private boolean oldestIsDue(long now) {
        return !buffer.isEmpty()
                && buffer.values().iterator().next().enqueuedAt + settings.maxBufferTimeMillis() <= now;
    }

    private void sendReadyBatches(boolean force) {
        if (closed || fatal != null) {
            return;
        }
        long now = time.getCurrentProcessingTime();
        while (activeBatches < settings.maxInFlightRequests() && !buffer.isEmpty()
                && (force || flushing || bufferFull() || oldestIsDue(now))) {
            Batch batch = takeBatch();
            if (batch == null) {
                break; // everything left waits for an older version of itself
            }
            activeBatches++;
            send(batch);
        }
        armFlushTimer();
    }

    private Batch takeBatch() {
        List<Pending> items = new ArrayList<>(Math.min(buffer.size(), settings.maxBatchActions()));
        long bytes = 0;
        for (Iterator<Pending> it = buffer.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (busyKeys.contains(p.key)) {
                continue;
            }
            if (!items.isEmpty()
                    && (items.size() >= settings.maxBatchActions() || bytes + p.bytes > settings.maxBatchBytes())) {
                break;
            }
            it.remove();
            bufferBytes -= p.bytes;
            busyKeys.add(p.key);
            items.add(p);
            bytes += p.bytes;
        }
        bufferedDocuments = buffer.size();
        return items.isEmpty() ? null : new Batch(items);
    }

    private void armFlushTimer() {
        if (flushTimerArmed || buffer.isEmpty() || closed) {
            return;
        }
        long now = time.getCurrentProcessingTime();
        long due = buffer.values().iterator().next().enqueuedAt + settings.maxBufferTimeMillis();
        if (due <= now) {
            // Already due but not sendable (slots full or an older version outstanding): the bulk response
            // that frees it triggers the send; this timer is only a safety net and must not spin.
            due = now + settings.maxBufferTimeMillis();
        }
        flushTimerArmed = true;
        time.registerTimer(due, timestamp -> {
            flushTimerArmed = false;
            sendReadyBatches(false);
        });
    }

    // ---------------------------------------------------------------- requests and responses

    private void send(Batch batch) {
        batch.attempts++;
        List<IndexDocument> docs = new ArrayList<>(batch.items.size());
        for (Pending p : batch.items) {
            docs.add(p.doc);
        }
        long started = System.nanoTime();
        CompletableFuture<List<BulkItemResult>> response;
        try {
            response = transport.bulk(docs);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((results, error) -> toMailbox(() -> onResponse(batch, started, results, error)));
    }

    private void toMailbox(Runnable action) {
        try {
            mailbox.execute(action::run, "Elasticsearch bulk response");
        } catch (RejectedExecutionException e) {
            // The task is shutting down; unacknowledged documents are replayed from the last checkpoint.
            LOG.debug("Elasticsearch bulk response arrived after the task stopped", e);
        }
    }

    private void onResponse(Batch batch, long startedNanos, List<BulkItemResult> results, Throwable error) {
        if (closed || fatal != null) {
            return; // the task is going down and will replay from its last checkpoint
        }
        long latency = (System.nanoTime() - startedNanos) / 1_000_000;
        bulkLatencyMs.update(latency);
        lastBulkLatencyMs = latency;
        if (error != null) {
            onRequestFailure(batch, error);
        } else {
            onItemResults(batch, results);
        }
        sendReadyBatches(false);
    }

    private void onRequestFailure(Batch batch, Throwable error) {
        RequestFailure failure = FailureClassifier.classifyRequestFailure(error);
        switch (failure.outcome()) {
            case RETRY -> retryLater(batch, batch.items, "bulk request failed: " + failure.description());
            case TOO_LARGE -> {
                if (batch.items.size() != 1) {
                    fail("a bulk request of " + batch.items.size() + " documents was refused as too large ("
                            + failure.description() + "): lower maxBatchBytes (now " + settings.maxBatchBytes()
                            + ") below the cluster's http.max_content_length", FailureClassifier.unwrap(error));
                }
                Pending p = batch.items.get(0);
                busyKeys.remove(p.key);
                reject(p.doc, 413, "request_entity_too_large: the document is larger than the cluster's"
                        + " http.max_content_length", null, p.deadLetter);
                activeBatches--;
            }
            case FATAL -> fail("bulk request to Elasticsearch failed and retrying cannot help: "
                    + failure.description(), FailureClassifier.unwrap(error));
        }
    }

    private void onItemResults(Batch batch, List<BulkItemResult> results) {
        if (results.size() != batch.items.size()) {
            fail("Elasticsearch answered a bulk request of " + batch.items.size() + " operations with "
                    + results.size() + " results", null);
        }
        List<Pending> retry = new ArrayList<>();
        String retryReason = null;
        for (int i = 0; i < results.size(); i++) {
            Pending p = batch.items.get(i);
            BulkItemResult r = results.get(i);
            switch (FailureClassifier.classifyItem(r.status(), r.errorType())) {
                case SUCCESS -> {
                    busyKeys.remove(p.key);
                    numDocumentsSent.inc();
                    flinkRecordsSend.inc();
                }
                case VERSION_CONFLICT -> {
                    busyKeys.remove(p.key);
                    numVersionConflicts.inc();
                    LOG.debug("Elasticsearch version conflict for document {} in {}; a newer version is stored",
                            p.doc.id(), p.doc.index());
                }
                case RETRY -> {
                    retry.add(p);
                    retryReason = r.describe();
                }
                case REJECT -> {
                    busyKeys.remove(p.key);
                    reject(p.doc, r.status(), r.describe(), FailureClassifier.fieldOf(r.errorReason()), p.deadLetter);
                }
                case FATAL -> fail("Elasticsearch refused document " + p.doc.id() + " for " + p.doc.index()
                        + " (status " + r.status() + ", " + r.describe() + ")" + hint(r), null);
            }
        }
        if (retry.isEmpty()) {
            activeBatches--;
        } else {
            retryLater(batch, retry, retry.size() + " of " + results.size() + " documents failed, e.g. " + retryReason);
        }
    }

    private static String hint(BulkItemResult r) {
        if (r.status() == 401 || r.status() == 403) {
            return ": check the Elasticsearch credentials and the role's index privileges";
        }
        if ("index_not_found_exception".equals(r.errorType())) {
            return ": the target alias does not exist; run IndexBootstrap before the job (the sink never"
                    + " auto-creates indices)";
        }
        return "";
    }

    /** The batch keeps its request slot and its documents stay busy, so nothing newer overtakes them. */
    private void retryLater(Batch batch, List<Pending> items, String reason) {
        if (!settings.retryPolicy().canRetry(batch.attempts)) {
            fail("giving up on " + items.size() + " documents after " + batch.attempts
                    + " attempts (maxAttempts " + settings.retryPolicy().maxAttempts() + "); last error: " + reason,
                    null);
        }
        batch.items = items;
        numRetries.inc(items.size());
        long delay = settings.retryPolicy().backoff(batch.attempts).toMillis();
        LOG.warn("Elasticsearch bulk: retrying {} documents in {} ms (attempt {} failed): {}",
                items.size(), delay, batch.attempts, reason);
        time.registerTimer(time.getCurrentProcessingTime() + delay, timestamp -> {
            if (!closed && fatal == null) {
                send(batch);
            }
        });
    }

    /**
     * Records a document Elasticsearch will never accept in the dead-letter index. Only the id, target
     * and a sanitised reason are logged and stored, never the source. A dead letter that is itself
     * refused has nowhere left to go, so the job fails rather than lose it.
     */
    private void reject(IndexDocument doc, int status, String reason, String field, boolean isDeadLetter) {
        if (isDeadLetter) {
            fail("the dead-letter document " + doc.id() + " was itself refused by " + doc.index() + " (status "
                    + status + ", " + reason + "); check the dead-letter index mapping (IndexBootstrap)", null);
        }
        numDocumentsRejected.inc();
        flinkRecordsSendErrors.inc();
        LOG.warn("Elasticsearch rejected document {} for {} permanently (status {}, {}); recorded in {}",
                doc.id(), doc.index(), status, reason, settings.deadLetterIndex());
        enqueue(DeadLetters.indexRejected(settings.deadLetterIndex(), doc.index(), doc.id(), status, reason, field,
                doc.jsonSource().length, Instant.now()), true);
    }

    private void fail(String message, Throwable cause) {
        ElasticsearchSinkException e = new ElasticsearchSinkException(message, cause);
        if (fatal == null) {
            fatal = e;
        }
        LOG.error("Elasticsearch sink failed: {}", message);
        throw e;
    }

    private void checkNotFailed() {
        if (fatal != null) {
            throw new ElasticsearchSinkException("the Elasticsearch sink has failed: " + fatal.getMessage(), fatal);
        }
    }

    // ---------------------------------------------------------------- introspection for tests

    long documentsSent() {
        return numDocumentsSent.getCount();
    }

    long documentsRejected() {
        return numDocumentsRejected.getCount();
    }

    long retries() {
        return numRetries.getCount();
    }

    long documentsCoalesced() {
        return numDocumentsCoalesced.getCount();
    }

    int activeBatches() {
        return activeBatches;
    }

    int bufferedDocumentCount() {
        return buffer.size();
    }

    // ---------------------------------------------------------------- state

    record DocKey(String index, String id) {}

    private static final class Pending {
        final DocKey key;
        IndexDocument doc;
        int bytes;
        final long enqueuedAt;
        boolean deadLetter;

        Pending(DocKey key, IndexDocument doc, int bytes, long enqueuedAt, boolean deadLetter) {
            this.key = key;
            this.doc = doc;
            this.bytes = bytes;
            this.enqueuedAt = enqueuedAt;
            this.deadLetter = deadLetter;
        }
    }

    private static final class Batch {
        List<Pending> items;
        int attempts;

        Batch(List<Pending> items) {
            this.items = items;
        }
    }
}

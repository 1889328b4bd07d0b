package org.fenghuo.connectors.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A fake bulk endpoint for unit tests of the writer's buffering, ordering and retry logic. It is not
 * Elasticsearch: what Elasticsearch does with a request is scripted by the test. The real client and
 * server are exercised by ElasticsearchSinkIT.
 */
final class ScriptedBulkTransport implements BulkTransport {

    /** One request as the writer sent it, and the future the test may complete by hand. */
    record Sent(List<IndexDocument> documents, CompletableFuture<List<BulkItemResult>> response) {
        List<String> ids() {
            return documents.stream().map(IndexDocument::id).toList();
        }

        List<String> sources() {
            return documents.stream().map(d -> new String(d.jsonSource(), StandardCharsets.UTF_8)).toList();
        }

        void succeed() {
            response.complete(documents.stream().map(d -> BulkItemResult.ok(201)).toList());
        }
    }

    final List<Sent> requests = new CopyOnWriteArrayList<>();
    private volatile Function<List<IndexDocument>, List<BulkItemResult>> responder;
    private volatile int requestsToFail;
    private volatile Supplier<Throwable> requestFailure;
    volatile boolean closed;

    /** The first {@code n} requests fail as a whole with the given error, then every item succeeds. */
    static ScriptedBulkTransport failingRequests(int n, Supplier<Throwable> failure) {
        ScriptedBulkTransport t = acceptingAll();
        t.requestsToFail = n;
        t.requestFailure = failure;
        return t;
    }

    /** Every item succeeds at once. */
    static ScriptedBulkTransport acceptingAll() {
        ScriptedBulkTransport t = new ScriptedBulkTransport();
        t.responder = docs -> docs.stream().map(d -> BulkItemResult.ok(201)).toList();
        return t;
    }

    /** Responses are completed by the test through {@link #requests}. */
    static ScriptedBulkTransport manual() {
        return new ScriptedBulkTransport();
    }

    /** Each document gets the result the function gives it; null means 201. */
    static ScriptedBulkTransport perItem(Function<IndexDocument, BulkItemResult> perDocument) {
        ScriptedBulkTransport t = new ScriptedBulkTransport();
        t.responder = docs -> {
            List<BulkItemResult> out = new ArrayList<>();
            for (IndexDocument d : docs) {
                BulkItemResult r = perDocument.apply(d);
                out.add(r == null ? BulkItemResult.ok(201) : r);
            }
            return out;
        };
        return t;
    }

    @Override
    public CompletableFuture<List<BulkItemResult>> bulk(List<IndexDocument> documents) {
        CompletableFuture<List<BulkItemResult>> f = new CompletableFuture<>();
        requests.add(new Sent(List.copyOf(documents), f));
        if (requestsToFail > 0) {
            requestsToFail--;
            f.completeExceptionally(requestFailure.get());
            return f;
        }
        Function<List<IndexDocument>, List<BulkItemResult>> r = responder;
        if (r != null) {
            try {
                f.complete(r.apply(documents));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }
        return f;
    }

    List<String> allIdsSent() {
        return requests.stream().flatMap(s -> s.ids().stream()).toList();
    }

    List<IndexDocument> allDocumentsSent() {
        return requests.stream().flatMap(s -> s.documents().stream()).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}

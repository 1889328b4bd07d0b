package org.fenghuo.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Bulk over the Elasticsearch Java client. Document sources are handed over as {@link BinaryData}, which
 * the client copies into the NDJSON body as they are: no second serialisation.
 */
final class ElasticsearchBulkTransport implements BulkTransport {
    private final ElasticsearchTransport transport;
    private final ElasticsearchAsyncClient client;
    private final boolean requireAlias;

    ElasticsearchBulkTransport(ElasticsearchTransport transport, boolean requireAlias) {
        this.transport = transport;
        this.client = new ElasticsearchAsyncClient(transport);
        this.requireAlias = requireAlias;
    }

    @Override
    public CompletableFuture<List<BulkItemResult>> bulk(List<IndexDocument> documents) {
        List<BulkOperation> operations = new ArrayList<>(documents.size());
        for (IndexDocument doc : documents) {
            BinaryData source = BinaryData.of(doc.jsonSource(), ContentType.APPLICATION_JSON);
            operations.add(BulkOperation.of(op -> op.index(ix -> ix.index(doc.index()).id(doc.id()).document(source))));
        }
        // require_alias: a write racing ahead of IndexBootstrap must not auto-create a concrete index
        // under the alias name, which would then block the alias forever.
        BulkRequest request = BulkRequest.of(b -> b.operations(operations).requireAlias(requireAlias));
        return client.bulk(request).thenApply(response -> {
            List<BulkItemResult> results = new ArrayList<>(response.items().size());
            for (BulkResponseItem item : response.items()) {
                ErrorCause error = item.error();
                if (error == null) {
                    results.add(BulkItemResult.ok(item.status()));
                } else {
                    String causedBy = error.causedBy() == null ? null : error.causedBy().type();
                    results.add(new BulkItemResult(item.status(), error.type(), error.reason(), causedBy));
                }
            }
            return results;
        });
    }

    @Override
    public void close() throws Exception {
        transport.close();
    }
}

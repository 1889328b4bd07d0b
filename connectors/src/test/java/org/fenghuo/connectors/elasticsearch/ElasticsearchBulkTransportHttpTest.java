package org.fenghuo.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fenghuo.connectors.elasticsearch.FailureClassifier.RequestFailure;
import org.fenghuo.connectors.elasticsearch.FailureClassifier.RequestOutcome;
import org.junit.jupiter.api.Test;

/**
 * The real Elasticsearch Java client against network failures and a stub HTTP server (not Elasticsearch),
 * to pin down which exceptions the client raises and how they are classified. Indexing against a real
 * Elasticsearch is covered by ElasticsearchSinkIT.
 */
class ElasticsearchBulkTransportHttpTest {

    private static final List<IndexDocument> DOCS = List.of(IndexDocument.of("fenghuo-events", "e1", "{}"));

    @Test
    void refusedConnectionIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(failureOf(ElasticsearchConnection.of("http://127.0.0.1:" + port)).outcome())
                .isEqualTo(RequestOutcome.RETRY);
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndIsRetryable() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(5000);
                } catch (Exception ignored) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ElasticsearchConnection conn = ElasticsearchConnection.builder()
                    .hosts("http://127.0.0.1:" + silent.getLocalPort())
                    .socketTimeout(Duration.ofMillis(300)).build();
            RequestFailure failure = failureOf(conn);
            assertThat(failure.outcome()).isEqualTo(RequestOutcome.RETRY);
            assertThat(failure.status()).isEqualTo(-1);
        }
    }

    @Test
    void statusesFromTheServerAreClassified() throws Exception {
        assertThat(failureFromStub(429, "{\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue"
                + " full\"},\"status\":429}").outcome()).isEqualTo(RequestOutcome.RETRY);
        assertThat(failureFromStub(502, "<html>bad gateway</html>").outcome()).isEqualTo(RequestOutcome.RETRY);
        assertThat(failureFromStub(503, "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"blocked\"},"
                + "\"status\":503}").outcome()).isEqualTo(RequestOutcome.RETRY);
        RequestFailure auth = failureFromStub(401, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing"
                + " authentication credentials\"},\"status\":401}");
        assertThat(auth.outcome()).isEqualTo(RequestOutcome.FATAL);
        assertThat(auth.status()).isEqualTo(401);
        assertThat(auth.description()).contains("security_exception");
    }

    @Test
    void itemResultsAreMappedInOrder() throws Exception {
        String body = "{\"took\":1,\"errors\":true,\"items\":["
                + "{\"index\":{\"_index\":\"fenghuo-events-000001\",\"_id\":\"a\",\"status\":201,\"result\":\"created\"}},"
                + "{\"index\":{\"_index\":\"fenghuo-events-000001\",\"_id\":\"b\",\"status\":400,\"error\":{"
                + "\"type\":\"document_parsing_exception\",\"reason\":\"[1:2] failed to parse field [x]\","
                + "\"caused_by\":{\"type\":\"number_format_exception\",\"reason\":\"For input string: \\\"v\\\"\"}}}}]}";
        HttpServer server = stub(200, body);
        try (ElasticsearchBulkTransport t = transport(ElasticsearchConnection.of(url(server)))) {
            List<BulkTransport.BulkItemResult> results = t.bulk(List.of(
                    IndexDocument.of("fenghuo-events", "a", "{}"), IndexDocument.of("fenghuo-events", "b", "{}")))
                    .get(10, TimeUnit.SECONDS);
            assertThat(results).containsExactly(
                    BulkTransport.BulkItemResult.ok(201),
                    new BulkTransport.BulkItemResult(400, "document_parsing_exception",
                            "[1:2] failed to parse field [x]", "number_format_exception"));
            assertThat(results.get(1).describe()).isEqualTo(
                    "document_parsing_exception: [1:2] failed to parse field [x] (caused by number_format_exception)");
        } finally {
            server.stop(0);
        }
    }

    private static RequestFailure failureFromStub(int status, String body) throws Exception {
        HttpServer server = stub(status, body);
        try {
            return failureOf(ElasticsearchConnection.of(url(server)));
        } finally {
            server.stop(0);
        }
    }

    private static RequestFailure failureOf(ElasticsearchConnection conn) throws Exception {
        try (ElasticsearchBulkTransport t = transport(conn)) {
            Throwable error = t.bulk(DOCS).handle((r, e) -> e).get(20, TimeUnit.SECONDS);
            assertThat(error).as("the request should have failed").isNotNull();
            return FailureClassifier.classifyRequestFailure(error);
        }
    }

    private static ElasticsearchBulkTransport transport(ElasticsearchConnection conn) {
        return new ElasticsearchBulkTransport(conn.createTransport(), true);
    }

    private static HttpServer stub(int status, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            exchange.getResponseHeaders().add("Content-Type",
                    body.startsWith("{") ? "application/json" : "text/html");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}

package org.fenghuo.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.util.BinaryData;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.fenghuo.connectors.elasticsearch.FailureClassifier.ItemOutcome;
import org.fenghuo.connectors.elasticsearch.FailureClassifier.RequestOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureClassifierTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "200, null, SUCCESS",
            "201, null, SUCCESS",
            "429, es_rejected_execution_exception, RETRY",
            "429, circuit_breaking_exception, RETRY",
            "500, es_rejected_execution_exception, RETRY",
            "503, unavailable_shards_exception, RETRY",
            "429, cluster_block_exception, RETRY",
            "403, cluster_block_exception, RETRY",
            "500, null_pointer_exception, RETRY",
            "400, mapper_parsing_exception, REJECT",
            "400, document_parsing_exception, REJECT",
            "400, strict_dynamic_mapping_exception, REJECT",
            "400, illegal_argument_exception, REJECT",
            "400, invalid_index_name_exception, REJECT",
            "409, version_conflict_engine_exception, VERSION_CONFLICT",
            "401, security_exception, FATAL",
            "403, security_exception, FATAL",
            "404, index_not_found_exception, FATAL",
    })
    void itemOutcomes(int status, String type, ItemOutcome expected) {
        assertThat(FailureClassifier.classifyItem(status, type)).isEqualTo(expected);
    }

    @Test
    void connectionErrorsAreRetried() {
        assertThat(outcome(new ConnectException("Connection refused"))).isEqualTo(RequestOutcome.RETRY);
        assertThat(outcome(new SocketTimeoutException("30,000 milliseconds timeout"))).isEqualTo(RequestOutcome.RETRY);
        assertThat(outcome(new CompletionException(new IOException("Connection reset by peer"))))
                .isEqualTo(RequestOutcome.RETRY);
    }

    @Test
    void overloadAndGatewayStatusesAreRetried() {
        for (int status : List.of(429, 502, 503, 504)) {
            assertThat(outcome(esException(status, "some_exception"))).as("status %d", status)
                    .isEqualTo(RequestOutcome.RETRY);
            assertThat(outcome(transportException(status))).as("status %d from a proxy", status)
                    .isEqualTo(RequestOutcome.RETRY);
        }
    }

    @Test
    void authAndOtherClientErrorsAreFatal() {
        var failure = FailureClassifier.classifyRequestFailure(esException(401, "security_exception"));
        assertThat(failure.outcome()).isEqualTo(RequestOutcome.FATAL);
        assertThat(failure.status()).isEqualTo(401);
        assertThat(failure.description()).contains("security_exception", "credentials");
        assertThat(outcome(esException(403, "security_exception"))).isEqualTo(RequestOutcome.FATAL);
        assertThat(outcome(esException(400, "illegal_argument_exception"))).isEqualTo(RequestOutcome.FATAL);
        // A product-check failure comes with a 200 status: retrying will not make it Elasticsearch.
        assertThat(outcome(transportException(200))).isEqualTo(RequestOutcome.FATAL);
        assertThat(outcome(new IllegalStateException("bug"))).isEqualTo(RequestOutcome.FATAL);
    }

    @Test
    void aClusterWideWriteBlockIsWaitedOut() {
        assertThat(outcome(esException(403, "cluster_block_exception"))).isEqualTo(RequestOutcome.RETRY);
    }

    @Test
    void payloadTooLargeIsItsOwnCase() {
        assertThat(outcome(transportException(413))).isEqualTo(RequestOutcome.TOO_LARGE);
    }

    @Test
    void sanitizeDropsEveryEchoOfTheDocument() {
        String reason = "[1:14] failed to parse field [phone] of type [integer] in document with id '42'."
                + " Preview of field's value: '13812345678'";
        assertThat(FailureClassifier.sanitize(reason))
                .isEqualTo("[1:14] failed to parse field [phone] of type [integer] in document with id '…'");

        String parser = "[1:6] failed to parse: [1:10] Unexpected end-of-input within/between Object entries\n"
                + " at [Source: (byte[])\"{\"name\":\"张三\",\"; line: 1, column: 10]";
        assertThat(FailureClassifier.sanitize(parser)).doesNotContain("张三").doesNotContain("Source");

        assertThat(FailureClassifier.sanitize("Unrecognized token 'zhangsan': was expecting (JSON String...)"))
                .doesNotContain("zhangsan");
        assertThat(FailureClassifier.sanitize(null)).isNull();
        assertThat(FailureClassifier.sanitize("x".repeat(5000))).hasSizeLessThan(1100);
    }

    @Test
    void describeKeepsTypeAndFieldNames() {
        assertThat(FailureClassifier.describeError("strict_dynamic_mapping_exception",
                "[1:16] mapping set to strict, dynamic introduction of [zzz] within [_doc] is not allowed"))
                .isEqualTo("strict_dynamic_mapping_exception: [1:16] mapping set to strict, dynamic introduction"
                        + " of [zzz] within [_doc] is not allowed");
        assertThat(FailureClassifier.describeError(null, null)).isEqualTo("unknown_error");
    }

    @Test
    void fieldIsExtractedWhenNamed() {
        assertThat(FailureClassifier.fieldOf(
                "[1:16] mapping set to strict, dynamic introduction of [zzz] within [_doc] is not allowed"))
                .isEqualTo("zzz");
        assertThat(FailureClassifier.fieldOf("[1:14] failed to parse field [details.amountOwedCny] of type [double]"))
                .isEqualTo("details.amountOwedCny");
        assertThat(FailureClassifier.fieldOf("Malformed content, must start with an object")).isNull();
    }

    private static RequestOutcome outcome(Throwable t) {
        return FailureClassifier.classifyRequestFailure(t).outcome();
    }

    private static ElasticsearchException esException(int status, String type) {
        return new ElasticsearchException("es/bulk",
                ErrorResponse.of(e -> e.status(status).error(c -> c.type(type).reason("because"))));
    }

    private static TransportException transportException(int status) {
        TransportHttpClient.Response response = new TransportHttpClient.Response() {
            @Override
            public TransportHttpClient.Node node() {
                return null;
            }

            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public String header(String name) {
                return null;
            }

            @Override
            public List<String> headers(String name) {
                return List.of();
            }

            @Override
            public BinaryData body() {
                return null;
            }

            @Override
            public Object originalResponse() {
                return null;
            }

            @Override
            public void close() {
            }
        };
        return new TransportException(response, "proxy said no", "es/bulk");
    }
}

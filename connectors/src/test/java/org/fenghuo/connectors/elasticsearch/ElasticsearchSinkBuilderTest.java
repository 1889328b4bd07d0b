package org.fenghuo.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ElasticsearchSinkBuilderTest {

    private static ElasticsearchSink.Builder<String> valid() {
        return ElasticsearchSink.<String>builder()
                .hosts("http://localhost:9200")
                .documentMapper(s -> IndexDocument.of("fenghuo-events", s, "{}"));
    }

    private static void assertRejected(UnaryOperator<ElasticsearchSink.Builder<String>> change, String message) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void defaults() {
        ElasticsearchSink<String> sink = valid().build();
        assertThat(sink.maxBatchActions()).isEqualTo(1000);
        assertThat(sink.maxBatchBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(sink.maxBufferTime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(sink.maxInFlightRequests()).isEqualTo(2);
        assertThat(sink.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(sink.retryPolicy().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sink.retryPolicy().multiplier()).isEqualTo(2.0);
        assertThat(sink.retryPolicy().maxAttempts()).isEqualTo(RetryPolicy.UNLIMITED);
        assertThat(sink.deadLetterIndex()).isEqualTo("fenghuo-deadletters");
        assertThat(sink.requireAlias()).isTrue();
        assertThat(sink.connection().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(sink.connection().socketTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void requiredSettings() {
        assertThatThrownBy(() -> ElasticsearchSink.<String>builder()
                .documentMapper(s -> IndexDocument.of("i", s, "{}")).build())
                .hasMessage("hosts is required: at least one http(s)://host:port URL");
        assertThatThrownBy(() -> ElasticsearchSink.<String>builder().hosts("http://localhost:9200").build())
                .hasMessage("documentMapper is required: it maps each element to an IndexDocument");
    }

    @Test
    void rangesAreNamedInTheMessage() {
        assertRejected(b -> b.maxBatchActions(0), "maxBatchActions must be between 1 and 100000, was 0");
        assertRejected(b -> b.maxBatchBytes(10), "maxBatchBytes must be between 1024 and 67108864, was 10");
        assertRejected(b -> b.maxBufferTime(Duration.ZERO), "maxBufferTime must be between 1ms and 10min, was 0ms");
        assertRejected(b -> b.maxBufferTime(null), "maxBufferTime must be set (between 1ms and 10min)");
        assertRejected(b -> b.maxInFlightRequests(0), "maxInFlightRequests must be between 1 and 64, was 0");
        assertRejected(b -> b.maxInFlightRequests(65), "maxInFlightRequests must be between 1 and 64, was 65");
        assertRejected(b -> b.initialBackoff(Duration.ofMinutes(2)),
                "initialBackoff must be between 1ms and 1min, was 2min");
        assertRejected(b -> b.maxBackoff(Duration.ofMillis(50)), "maxBackoff must be between 100ms and 1h, was 50ms");
        assertRejected(b -> b.backoffMultiplier(0.9), "backoffMultiplier must be between 1.0 and 10.0, was 0.9");
        assertRejected(b -> b.maxAttempts(0), "maxAttempts must be between 1 and 2147483647, was 0");
        assertRejected(b -> b.connectTimeout(Duration.ZERO), "connectTimeout must be between 1ms and 10min, was 0ms");
        assertRejected(b -> b.socketTimeout(Duration.ofHours(2)), "socketTimeout must be between 1ms and 1h, was 2h");
    }

    @Test
    void hostsMustBeHttpUrls() {
        assertRejected(b -> b.hosts("localhost:9200"), "hosts: 'localhost:9200' is not a URL (expected http(s)://host:port)");
        assertRejected(b -> b.hosts("ftp://x:21"), "hosts: 'ftp://x:21' is not a URL (expected http(s)://host:port)");
        assertRejected(b -> b.hosts("http://x:9200/es"), "hosts: 'http://x:9200/es' must not have a path");
        assertRejected(b -> b.hosts(List.of()), "hosts is required: at least one http(s)://host:port URL");
        ElasticsearchSink<String> sink = valid().hosts(" http://a:9200 ", "https://b:443").build();
        assertThat(sink.connection().hosts()).containsExactly("http://a:9200", "https://b:443");
    }

    @Test
    void authenticationSettings() {
        assertRejected(b -> b.basicAuth("elastic", null), "basicAuth needs both username and password");
        assertRejected(b -> b.basicAuth("elastic", "pw").apiKey("a2V5"), "set either basicAuth or apiKey, not both");
        assertRejected(b -> b.apiKey(" "), "apiKey must not be blank");
        ElasticsearchSink<String> sink = valid().basicAuth("elastic", "s3cret").build();
        assertThat(sink.connection().toString()).contains("elastic").doesNotContain("s3cret");
    }

    @Test
    void deadLetterIndexMustBeAValidIndexName() {
        assertRejected(b -> b.deadLetterIndex("Dead Letters"), "deadLetterIndex 'Dead Letters' is not a valid"
                + " Elasticsearch index name (lowercase, no \\ / * ? \" < > | space , # :, not starting with _ - +,"
                + " at most 255 bytes)");
        assertRejected(b -> b.deadLetterIndex(""), "deadLetterIndex is required and must not be blank");
        assertThat(valid().deadLetterIndex("other-deadletters").build().deadLetterIndex()).isEqualTo("other-deadletters");
    }

    @Test
    void connectionAndHostSettingsAreExclusive() {
        ElasticsearchConnection conn = ElasticsearchConnection.of("http://localhost:9200");
        assertThatThrownBy(() -> valid().connection(conn).build())
                .hasMessageContaining("set either connection(...) or hosts");
        ElasticsearchSink<String> sink = ElasticsearchSink.<String>builder().connection(conn)
                .documentMapper(s -> IndexDocument.of("i", s, "{}")).build();
        assertThat(sink.connection()).isSameAs(conn);
    }

    @Test
    void theSinkIsSerializable() throws Exception {
        ElasticsearchSink<String> sink = valid().basicAuth("u", "p").maxAttempts(5).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sink);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            ElasticsearchSink<String> copy = (ElasticsearchSink<String>) in.readObject();
            assertThat(copy.retryPolicy().maxAttempts()).isEqualTo(5);
            assertThat(copy.connection().hosts()).containsExactly("http://localhost:9200");
        }
    }
}

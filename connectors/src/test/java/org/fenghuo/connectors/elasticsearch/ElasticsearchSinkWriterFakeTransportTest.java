package org.fenghuo.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.fenghuo.connectors.elasticsearch.BulkTransport.BulkItemResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's buffering, batching, back-pressure, ordering and retry logic against a scripted fake bulk
 * endpoint ({@link ScriptedBulkTransport}). Nothing here talks to Elasticsearch; the real client and
 * server are covered by ElasticsearchSinkIT in the integration-tests module.
 */
class ElasticsearchSinkWriterFakeTransportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskThreadMailbox mailbox = new TaskThreadMailbox();
    private final WallClockTimeService time = new WallClockTimeService(mailbox);

    @AfterEach
    void stopTimers() {
        time.close();
    }

    private ElasticsearchSinkWriter<IndexDocument> writer(ScriptedBulkTransport transport,
                                                          Consumer<ElasticsearchSink.Builder<IndexDocument>> config) {
        ElasticsearchSink.Builder<IndexDocument> b = ElasticsearchSink.<IndexDocument>builder()
                .hosts("http://127.0.0.1:9")
                .documentMapper(d -> d)
                .maxBufferTime(Duration.ofMinutes(5)) // tests that want the timer set it lower
                .initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(4));
        config.accept(b);
        ElasticsearchSink<IndexDocument> sink = b.build();
        return new ElasticsearchSinkWriter<>(d -> d, sink.settings(), transport, mailbox, time,
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    private static IndexDocument doc(String id) {
        return IndexDocument.of("fenghuo-events", id, "{\"eventId\":\"" + id + "\"}");
    }

    private static IndexDocument doc(String id, int version) {
        return IndexDocument.of("fenghuo-events", id, "{\"eventId\":\"" + id + "\",\"v\":" + version + "}");
    }

    @Test
    void sendsFullBatchesAtOnceAndTheRemainderOnFlush() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        var writer = writer(transport, b -> b.maxBatchActions(3));
        for (int i = 0; i < 7; i++) {
            writer.write(doc("e" + i), null);
        }
        mailbox.runUntil(() -> transport.requests.size() == 2, 5000);
        assertThat(transport.requests.get(0).ids()).containsExactly("e0", "e1", "e2");
        assertThat(transport.requests.get(1).ids()).containsExactly("e3", "e4", "e5");

        writer.flush(false);

        assertThat(transport.requests).hasSize(3);
        assertThat(transport.requests.get(2).ids()).containsExactly("e6");
        assertThat(writer.documentsSent()).isEqualTo(7);
        assertThat(writer.activeBatches()).isZero();
        assertThat(writer.bufferedDocumentCount()).isZero();
    }

    @Test
    void splitsBatchesByBytes() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        var writer = writer(transport, b -> b.maxBatchBytes(1024).maxInFlightRequests(1));
        String pad = "x".repeat(400);
        for (int i = 0; i < 5; i++) {
            writer.write(IndexDocument.of("fenghuo-events", "e" + i, "{\"p\":\"" + pad + "\"}"), null);
        }
        writer.flush(true);
        assertThat(transport.allIdsSent()).containsExactly("e0", "e1", "e2", "e3", "e4");
        for (ScriptedBulkTransport.Sent sent : transport.requests) {
            assertThat(sent.documents()).hasSizeLessThanOrEqualTo(2); // 2 x ~470 bytes fit in 1 KiB, 3 do not
        }
    }

    @Test
    void aDocumentLargerThanMaxBatchBytesIsSentAlone() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        var writer = writer(transport, b -> b.maxBatchBytes(1024));
        writer.write(doc("small"), null);
        writer.write(IndexDocument.of("fenghuo-events", "big", "{\"p\":\"" + "x".repeat(5000) + "\"}"), null);
        writer.flush(true);
        assertThat(transport.allIdsSent()).containsExactly("small", "big");
        assertThat(writer.documentsSent()).isEqualTo(2);
    }

    @Test
    void theBufferTimerSendsAPartialBatchWhenInputStops() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        var writer = writer(transport, b -> b.maxBufferTime(Duration.ofMillis(100)));
        long start = System.currentTimeMillis();
        writer.write(doc("lonely"), null);
        assertThat(transport.requests).isEmpty();

        mailbox.runUntil(() -> !transport.requests.isEmpty(), 5000);

        long waited = System.currentTimeMillis() - start;
        assertThat(waited).isBetween(90L, 2000L);
        assertThat(transport.allIdsSent()).containsExactly("lonely");
        mailbox.runUntil(() -> writer.documentsSent() == 1, 5000);
    }

    @Test
    void writeBlocksWhileAllRequestSlotsAreTakenAndTheBufferIsFull() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.manual();
        var writer = writer(transport, b -> b.maxBatchActions(2).maxInFlightRequests(1));
        AtomicInteger written = new AtomicInteger();
        AtomicReference<Throwable> taskError = new AtomicReference<>();
        Thread task = new Thread(() -> {
            try {
                for (int i = 0; i < 6; i++) {
                    writer.write(doc("e" + i), null);
                    written.incrementAndGet();
                }
                writer.flush(true);
            } catch (Throwable t) {
                taskError.set(t);
            }
        }, "task");
        task.start();

        // e0,e1 are sent; e2,e3 fill the buffer; e4 must wait for the one request slot.
        waitFor(() -> written.get() == 4 && transport.requests.size() == 1);
        Thread.sleep(200);
        assertThat(written.get()).isEqualTo(4);
        assertThat(transport.requests).hasSize(1);

        transport.requests.get(0).succeed();
        waitFor(() -> transport.requests.size() == 2);
        transport.requests.get(1).succeed();
        waitFor(() -> transport.requests.size() == 3);
        transport.requests.get(2).succeed();
        task.join(10_000);

        assertThat(taskError.get()).isNull();
        assertThat(written.get()).isEqualTo(6);
        assertThat(transport.allIdsSent()).containsExactly("e0", "e1", "e2", "e3", "e4", "e5");
    }

    @Test
    void retriesOnlyTheRetryableItemsAndDeadLettersThePermanentOnes() throws Exception {
        AtomicInteger attemptsOnBusy = new AtomicInteger();
        ScriptedBulkTransport transport = ScriptedBulkTransport.perItem(d -> switch (d.id()) {
            case "busy" -> attemptsOnBusy.incrementAndGet() < 3
                    ? BulkItemResult.error(429, "es_rejected_execution_exception", "rejected execution of bulk")
                    : null;
            case "shard-down" -> attemptsOnBusy.get() < 2
                    ? BulkItemResult.error(503, "unavailable_shards_exception", "primary shard is not active")
                    : null;
            case "bad" -> new BulkItemResult(400, "document_parsing_exception",
                    "[1:14] failed to parse field [severity] of type [integer] in document with id 'bad'."
                            + " Preview of field's value: '13812345678'", "number_format_exception");
            default -> null;
        });
        var writer = writer(transport, b -> {});
        for (String id : List.of("ok1", "busy", "bad", "shard-down", "ok2")) {
            writer.write(doc(id), null);
        }
        writer.flush(false);

        assertThat(transport.requests.get(0).ids()).containsExactly("ok1", "busy", "bad", "shard-down", "ok2");
        // Only failed items are resent; the good ones and the rejected one never go again.
        List<String> resent = transport.requests.stream().skip(1)
                .flatMap(r -> r.documents().stream())
                .filter(d -> d.index().equals("fenghuo-events"))
                .map(IndexDocument::id).toList();
        assertThat(resent).containsOnly("busy", "shard-down").contains("busy", "shard-down");
        assertThat(transport.allIdsSent().stream().filter("busy"::equals)).hasSize(3);
        assertThat(writer.documentsSent()).isEqualTo(4 + 1); // four events and one dead letter
        assertThat(writer.documentsRejected()).isEqualTo(1);
        assertThat(writer.retries()).isEqualTo(3); // busy twice, shard-down once

        List<IndexDocument> deadLetters = transport.allDocumentsSent().stream()
                .filter(d -> d.index().equals(FenghuoIndices.DEAD_LETTERS)).toList();
        assertThat(deadLetters).hasSize(1);
        IndexDocument dl = deadLetters.get(0);
        assertThat(dl.id()).isEqualTo("index-rejected:fenghuo-events:bad");
        JsonNode body = JSON.readTree(dl.jsonSource());
        assertThat(body.path("deadLetterId").asText()).isEqualTo("index-rejected:fenghuo-events:bad");
        assertThat(body.path("kind").asText()).isEqualTo("INDEX_REJECTED");
        assertThat(body.path("targetIndex").asText()).isEqualTo("fenghuo-events");
        assertThat(body.path("documentId").asText()).isEqualTo("bad");
        assertThat(body.path("status").asInt()).isEqualTo(400);
        assertThat(body.path("field").asText()).isEqualTo("severity");
        assertThat(body.path("rejectedAt").asText()).isNotBlank();
        assertThat(body.path("reason").asText())
                .startsWith("document_parsing_exception: ")
                .contains("[severity]", "number_format_exception")
                .doesNotContain("13812345678");
        // Nothing of the rejected document's content travels into the dead letter.
        assertThat(new String(dl.jsonSource(), StandardCharsets.UTF_8)).doesNotContain("\"eventId\"");
    }

    @Test
    void aNewerVersionNeverOvertakesAnOlderOneThatIsBeingRetried() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.manual();
        var writer = writer(transport, b -> b.maxBatchActions(2).maxInFlightRequests(2));
        writer.write(doc("A", 1), null);
        writer.write(doc("B", 1), null); // batch 1: A1, B1 (pending)
        writer.write(doc("A", 2), null);
        writer.write(doc("C", 1), null); // buffer full: A2 waits for A1, C1 goes alone
        assertThat(transport.requests).hasSize(2);
        assertThat(transport.requests.get(1).ids()).containsExactly("C");

        // A1 fails transiently; it must be resent, and A2 only after A1 is acknowledged.
        transport.requests.get(0).response().complete(List.of(
                BulkItemResult.error(429, "es_rejected_execution_exception", "queue full"), BulkItemResult.ok(201)));
        transport.requests.get(1).succeed();
        mailbox.runUntil(() -> transport.requests.size() == 3, 5000);
        assertThat(transport.requests.get(2).sources()).containsExactly("{\"eventId\":\"A\",\"v\":1}");
        mailbox.runFor(50);
        assertThat(transport.requests).hasSize(3); // A2 still held back

        transport.requests.get(2).succeed();
        Thread completer = completeEachNewRequest(transport, 3);
        writer.flush(true);
        completer.interrupt();

        List<String> versionsOfA = transport.allDocumentsSent().stream().filter(d -> d.id().equals("A"))
                .map(d -> new String(d.jsonSource(), StandardCharsets.UTF_8)).toList();
        assertThat(versionsOfA).containsExactly(
                "{\"eventId\":\"A\",\"v\":1}", "{\"eventId\":\"A\",\"v\":1}", "{\"eventId\":\"A\",\"v\":2}");
    }

    @Test
    void versionsOfTheSameDocumentMeetingInTheBufferAreCoalescedToTheNewest() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        var writer = writer(transport, b -> b.maxBatchActions(10));
        writer.write(doc("A", 1), null);
        writer.write(doc("B", 1), null);
        writer.write(doc("A", 2), null);
        writer.write(doc("A", 3), null);
        writer.flush(true);
        assertThat(transport.requests).hasSize(1);
        assertThat(transport.requests.get(0).sources())
                .containsExactly("{\"eventId\":\"A\",\"v\":3}", "{\"eventId\":\"B\",\"v\":1}");
        assertThat(writer.documentsCoalesced()).isEqualTo(2);
    }

    @Test
    void connectionErrorsAreRetriedWithBackoffUntilTheyHeal() throws Exception {
        ScriptedBulkTransport transport =
                ScriptedBulkTransport.failingRequests(4, () -> new ConnectException("Connection refused"));
        var writer = writer(transport, b -> {});
        writer.write(doc("e1"), null);
        writer.write(doc("e2"), null);
        writer.flush(true);
        assertThat(transport.requests).hasSize(5);
        assertThat(transport.requests).allSatisfy(r -> assertThat(r.ids()).containsExactly("e1", "e2"));
        assertThat(writer.documentsSent()).isEqualTo(2);
        assertThat(writer.retries()).isEqualTo(8);
    }

    @Test
    void aWholeRequestAuthenticationFailureFailsTheJob() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.failingRequests(1, () -> new ElasticsearchException(
                "es/bulk", ErrorResponse.of(e -> e.status(401)
                        .error(c -> c.type("security_exception").reason("missing authentication credentials")))));
        var writer = writer(transport, b -> {});
        writer.write(doc("e1"), null);
        assertThatThrownBy(() -> writer.flush(true))
                .isInstanceOf(ElasticsearchSinkException.class)
                .hasMessageContaining("status 401")
                .hasMessageContaining("credentials");
        assertThat(transport.requests).hasSize(1);
    }

    @Test
    void maxAttemptsFailsTheJobInsteadOfDropping() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.perItem(
                d -> BulkItemResult.error(503, "unavailable_shards_exception", "primary shard is not active"));
        var writer = writer(transport, b -> b.maxAttempts(3));
        writer.write(doc("e1"), null);
        assertThatThrownBy(() -> writer.flush(true))
                .isInstanceOf(ElasticsearchSinkException.class)
                .hasMessageContaining("giving up on 1 documents after 3 attempts")
                .hasMessageContaining("unavailable_shards_exception");
        assertThat(transport.requests).hasSize(3);
        assertThatThrownBy(() -> writer.write(doc("e2"), null)).isInstanceOf(ElasticsearchSinkException.class);
    }

    @Test
    void authenticationFailureFailsTheJobWithAClearMessage() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.perItem(
                d -> BulkItemResult.error(403, "security_exception", "action [indices:data/write/bulk[s]] is unauthorized"));
        var writer = writer(transport, b -> {});
        writer.write(doc("e1"), null);
        assertThatThrownBy(() -> writer.flush(true))
                .isInstanceOf(ElasticsearchSinkException.class)
                .hasMessageContaining("e1")
                .hasMessageContaining("credentials");
    }

    @Test
    void aMissingAliasFailsTheJobAndPointsAtIndexBootstrap() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.perItem(d -> BulkItemResult.error(404,
                "index_not_found_exception", "no such index [fenghuo-events] and [require_alias] request flag is [true]"));
        var writer = writer(transport, b -> {});
        writer.write(doc("e1"), null);
        assertThatThrownBy(() -> writer.flush(true))
                .isInstanceOf(ElasticsearchSinkException.class)
                .hasMessageContaining("IndexBootstrap");
    }

    @Test
    void aRefusedDeadLetterFailsTheJob() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.perItem(
                d -> BulkItemResult.error(400, "mapper_parsing_exception", "failed to parse"));
        var writer = writer(transport, b -> {});
        writer.write(doc("e1"), null);
        assertThatThrownBy(() -> writer.flush(true))
                .isInstanceOf(ElasticsearchSinkException.class)
                .hasMessageContaining("dead-letter document index-rejected:fenghuo-events:e1 was itself refused");
    }

    @Test
    void anIdTooLongForElasticsearchIsDeadLetteredWithoutBeingSent() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        var writer = writer(transport, b -> {});
        String longId = "x".repeat(600);
        writer.write(doc(longId), null);
        writer.write(doc("fine"), null);
        writer.flush(true);
        assertThat(transport.allIdsSent()).doesNotContain(longId).contains("fine");
        IndexDocument dl = transport.allDocumentsSent().stream()
                .filter(d -> d.index().equals(FenghuoIndices.DEAD_LETTERS)).findFirst().orElseThrow();
        assertThat(dl.idBytes()).isLessThanOrEqualTo(512);
        assertThat(JSON.readTree(dl.jsonSource()).path("reason").asText()).startsWith("id_too_long");
        assertThat(writer.documentsRejected()).isEqualTo(1);
    }

    @Test
    void prettyPrintedSourcesAreFlattenedForTheNdjsonBody() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        var writer = writer(transport, b -> {});
        writer.write(IndexDocument.of("fenghuo-events", "p", "{\n  \"a\" : \"line\\nbreak\"\n}"), null);
        writer.flush(true);
        assertThat(transport.requests.get(0).sources()).containsExactly("{   \"a\" : \"line\\nbreak\" }");
    }

    @Test
    void nullFromTheMapperIsAnErrorNotASilentDrop() {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        ElasticsearchSink<IndexDocument> sink = ElasticsearchSink.<IndexDocument>builder()
                .hosts("http://127.0.0.1:9").documentMapper(d -> d).build();
        var writer = new ElasticsearchSinkWriter<IndexDocument>(d -> null, sink.settings(), transport, mailbox, time,
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
        assertThatThrownBy(() -> writer.write(doc("x"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never drops");
    }

    @Test
    void closeClosesTheTransport() throws Exception {
        ScriptedBulkTransport transport = ScriptedBulkTransport.acceptingAll();
        var writer = writer(transport, b -> {});
        writer.close();
        assertThat(transport.closed).isTrue();
    }

    /** Completes every request from index {@code from} on, as it appears, from a helper thread. */
    private static Thread completeEachNewRequest(ScriptedBulkTransport transport, int from) {
        Thread t = new Thread(() -> {
            int next = from;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    while (transport.requests.size() > next) {
                        transport.requests.get(next++).succeed();
                    }
                    Thread.sleep(2);
                }
            } catch (InterruptedException ignored) {
                // done
            }
        }, "completer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(5);
        }
    }
}

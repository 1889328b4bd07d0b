package org.fenghuo.connectors.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fenghuo.connectors.notify.Fixtures.notification;
import static org.fenghuo.connectors.notify.Fixtures.region;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.ProxyMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertNotification;
import org.fenghuo.core.alert.AlertNotification.Reason;
import org.fenghuo.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The notifier's writer, created through {@code sink.createWriter(context)} as Flink does, against a real HTTP server
 * ({@link HttpServer} on 127.0.0.1). Timings are kept short (tens to hundreds of milliseconds) so the class runs in
 * a few seconds.
 */
class WebhookNotifierSinkTest {
    private HookServer server;
    private final List<SinkWriter<AlertNotification>> writers = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = new HookServer();
    }

    @AfterEach
    void stop() throws Exception {
        for (SinkWriter<AlertNotification> w : writers) {
            w.close(); // idempotent; releases the notifier thread of a test that failed half-way
        }
        server.close();
    }

    // ------------------------------------------------------------------ routing and payload

    @Test
    void routesByLevelRegionPrefixAndReason() throws Exception {
        String base = server.url("");
        WebhookNotifierSink sink = WebhookNotifierSink.builder()
                .targets(base + "/d1;regions=339901;name=district-1 | " + base + "/d2;regions=339902;name=district-2\n"
                        + base + "/red;minLevel=RED;name=red-only|" + base + "/esc;reasons=ESCALATED;name=escalations "
                        + base + "/street;regions=339902003;name=street-3")
                .build();
        TestContext ctx = new TestContext();
        WebhookNotifierWriter writer = writer(sink, ctx);

        writer.write(notification("a", AlertLevel.YELLOW, Reason.NEW, region(1, 1, 1, 1), null), null);
        writer.write(notification("b", AlertLevel.ORANGE, Reason.NEW, region(2, 3, 1, 1), null), null);
        writer.write(notification("c", AlertLevel.RED, Reason.LEVEL_RAISED, region(2, 4, 1, 1), null), null);
        writer.write(notification("d", AlertLevel.YELLOW, Reason.ESCALATED, region(1, 2, 1, 1), "339901002"), null);
        // an entity alert without a region, escalated to street 3 of district 2
        writer.write(notification("e", AlertLevel.ORANGE, Reason.ESCALATED, null, "339902003"), null);
        writer.write(notification("f", AlertLevel.BLUE, Reason.NEW, region(3, 1, 1, 1), null), null); // nobody's

        await(() -> writer.stats().queued() == 0, 5000);
        assertThat(writer.stats().sent()).isEqualTo(10);
        assertThat(writer.stats().failed()).isZero();
        assertThat(server.idsByPath()).isEqualTo(Map.of(
                "/d1", Set.of("a", "d"),
                "/d2", Set.of("b", "c", "e"),
                "/red", Set.of("c"),
                "/esc", Set.of("d", "e"),
                "/street", Set.of("b", "e")));
        assertThat(ctx.counter("notificationsSent")).isEqualTo(10);
        assertThat(ctx.metrics.getCounter("notificationsSent")).isPresent();
    }

    @Test
    void postsTheNotificationAsJsonWithIdAndConfiguredHeaders() throws Exception {
        WebhookNotifierSink sink = WebhookNotifierSink.builder()
                .targets(server.url("/hook") + ";name=ops;header.Authorization=Bearer%20s3cret")
                .build();
        WebhookNotifierWriter writer = writer(sink, new TestContext());
        AlertNotification n = notification("petition.collective:REG:339901001001:20260305T012000Z/NEW/1",
                AlertLevel.ORANGE, Reason.NEW, region(1, 1, 1, 1), null);

        writer.write(n, null);

        await(() -> writer.stats().sent() == 1, 5000);
        Received r = server.received.get(0);
        assertThat(r.method).isEqualTo("POST");
        assertThat(r.path).isEqualTo("/hook");
        assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(r.header("X-Fenghuo-Notification-Id")).isEqualTo(n.notificationId());
        assertThat(r.header("X-Fenghuo-Attempt")).isEqualTo("1");
        assertThat(r.header("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(Json.fromBytes(r.body, AlertNotification.class)).isEqualTo(n);
        assertThat(Json.mapper().readTree(r.body).get("alert").get("level").asText()).isEqualTo("ORANGE");
        assertThat(sink.toString()).doesNotContain("s3cret");
    }

    // ------------------------------------------------------------------ retries

    @Test
    void retriesWithBackoffAfterTwo503sThenSucceeds() throws Exception {
        server.reply("/hook", (req, n) -> n <= 2 ? Reply.status(503) : Reply.status(200));
        WebhookNotifierSink sink = sink(b -> b.initialBackoff(Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2)));
        TestContext ctx = new TestContext();
        WebhookNotifierWriter writer = writer(sink, ctx);

        writer.write(notification("n1", AlertLevel.RED, region(1, 1, 1, 1)), null);

        await(() -> writer.stats().sent() == 1, 5000);
        List<Received> attempts = server.received;
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(r -> r.header("X-Fenghuo-Notification-Id")).containsOnly("n1");
        assertThat(attempts).extracting(r -> r.header("X-Fenghuo-Attempt")).containsExactly("1", "2", "3");
        long firstGap = millisBetween(attempts.get(0), attempts.get(1));
        long secondGap = millisBetween(attempts.get(1), attempts.get(2));
        assertThat(firstGap).as("first retry waits initialBackoff (+ ≤ 25 %% jitter)").isBetween(200L, 1000L);
        assertThat(secondGap).as("second retry waits twice as long").isBetween(400L, 1500L);
        assertThat(writer.stats().retried()).isEqualTo(2);
        assertThat(writer.stats().failed()).isZero();
        assertThat(ctx.counter("notificationsRetried")).isEqualTo(2);
    }

    @Test
    void honoursRetryAfter() throws Exception {
        server.reply("/hook", (req, n) -> n == 1 ? Reply.status(429).header("Retry-After", "1") : Reply.status(200));
        WebhookNotifierWriter writer = writer(sink(b -> b.initialBackoff(Duration.ofMillis(20))), new TestContext());

        writer.write(notification("n1", AlertLevel.RED, region(1, 1, 1, 1)), null);

        await(() -> writer.stats().sent() == 1, 5000);
        assertThat(server.received).hasSize(2);
        assertThat(millisBetween(server.received.get(0), server.received.get(1))).isBetween(1000L, 2500L);
    }

    @Test
    void aBadRequestIsNotRetriedAndFailuresAreLoggedLeanAndRateLimited() throws Exception {
        server.reply("/hook-secret-path", (req, n) -> Reply.status(400));
        WebhookNotifierSink sink = WebhookNotifierSink.builder()
                .targets(server.url("/hook-secret-path") + "?access_token=tok123;name=district-1;header.X-Token=s3cret")
                .initialBackoff(Duration.ofMillis(20))
                .build();
        TestContext ctx = new TestContext();
        try (CapturedLog log = new CapturedLog()) {
            WebhookNotifierWriter writer = writer(sink, ctx);
            AlertNotification first = notification("n1", AlertLevel.RED, region(1, 1, 1, 1));
            writer.write(first, null);
            await(() -> writer.stats().failed() == 1, 5000);
            writer.write(notification("n2", AlertLevel.RED, region(1, 1, 1, 1)), null);
            writer.write(notification("n3", AlertLevel.RED, region(1, 1, 1, 1)), null);
            await(() -> writer.stats().failed() == 3, 5000);
            Thread.sleep(200); // 10 backoffs: a retry would have happened by now

            assertThat(server.received).hasSize(3);
            assertThat(writer.stats().retried()).isZero();
            assertThat(writer.stats().sent()).isZero();
            assertThat(ctx.counter("notificationsFailed")).isEqualTo(3);
            assertThat(ctx.gauge("notificationsQueued")).isEqualTo(0L);
            assertThat(ctx.sinkGroup.sendErrors.getCount()).isEqualTo(3);

            List<String> warnings = log.lines("WARN");
            assertThat(warnings).as("one WARN per webhook per 10 s").hasSize(1);
            assertThat(warnings.get(0)).contains("district-1", "n1", first.alert().alertId(), "HTTP 400", "attempt 1/5",
                    "not retried");
            assertThat(String.join("\n", log.lines(null)))
                    .doesNotContain("s3cret", "tok123", "hook-secret-path", Fixtures.EXPLANATION_MARKER);
        }
    }

    @Test
    void gives5xxUpAfterMaxAttempts() throws Exception {
        server.reply("/hook", (req, n) -> Reply.status(500));
        WebhookNotifierWriter writer = writer(sink(b -> b.maxAttempts(3).initialBackoff(Duration.ofMillis(10))),
                new TestContext());

        writer.write(notification("n1", AlertLevel.RED, region(1, 1, 1, 1)), null);

        await(() -> writer.stats().failed() == 1, 5000);
        assertThat(server.received).hasSize(3);
        assertThat(writer.stats().retried()).isEqualTo(2);
        assertThat(writer.stats().queued()).isZero();
    }

    @Test
    void connectionErrorsAreRetried() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        WebhookNotifierSink sink = WebhookNotifierSink.builder()
                .target(WebhookTarget.of("nowhere", "http://127.0.0.1:" + closedPort + "/hook"))
                .maxAttempts(3).initialBackoff(Duration.ofMillis(10))
                .build();
        try (CapturedLog log = new CapturedLog()) {
            WebhookNotifierWriter writer = writer(sink, new TestContext());
            writer.write(notification("n1", AlertLevel.RED, region(1, 1, 1, 1)), null);

            await(() -> writer.stats().failed() == 1 && !log.lines("WARN").isEmpty(), 5000);
            assertThat(writer.stats().retried()).isEqualTo(2);
            assertThat(log.lines("WARN")).singleElement().asString().contains("nowhere", "attempt 3/3", "ConnectException");
        }
    }

    @Test
    void aRequestTimeoutIsRetried() throws Exception {
        server.reply("/hook", (req, n) -> "1".equals(req.header("X-Fenghuo-Attempt"))
                ? Reply.status(200).delay(3000) : Reply.status(200));
        WebhookNotifierWriter writer = writer(sink(b -> b.requestTimeout(Duration.ofMillis(500))
                .initialBackoff(Duration.ofMillis(10))), new TestContext());

        writer.write(notification("n1", AlertLevel.RED, region(1, 1, 1, 1)), null);

        await(() -> writer.stats().sent() == 1, 5000);
        // the first attempt timed out (on a very busy machine a retry may time out as well)
        assertThat(writer.stats().retried()).isGreaterThanOrEqualTo(1);
        assertThat(writer.stats().failed()).isZero();
        assertThat(server.received).extracting(r -> r.header("X-Fenghuo-Attempt")).contains("2");
    }

    // ------------------------------------------------------------------ never blocking

    @Test
    void writeReturnsAtOnceWhileTheWebhookIsSlow() throws Exception {
        server.reply("/hook", (req, n) -> Reply.status(200).delay(2000));
        List<AlertNotification> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(notification("n" + i, AlertLevel.RED, region(1, 1, 1, 1)));
        }
        // Warm-up, so that the measurement below sees the writer and not class loading, the JIT or a GC pause
        // (a young collection can take tens of milliseconds on a small, busy machine).
        try (WebhookNotifierWriter warmUp = writer(sink(b -> b.closeTimeout(Duration.ZERO)), new TestContext())) {
            for (int round = 0; round < 3; round++) {
                for (AlertNotification n : batch) {
                    warmUp.write(n, null);
                }
            }
        }
        WebhookNotifierWriter writer = writer(sink(b -> b.closeTimeout(Duration.ofMillis(300))), new TestContext());
        for (int i = 0; i < 20; i++) { // fills the 8 request slots
            writer.write(notification("warm-" + i, AlertLevel.RED, region(1, 1, 1, 1)), null);
        }
        System.gc();

        long start = System.nanoTime();
        for (AlertNotification n : batch) {
            writer.write(n, null);
        }
        writer.flush(false);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(elapsedMillis).as("1,000 writes and a flush").isLessThan(50);
        assertThat(writer.stats().queued()).isEqualTo(1020);
        assertThat(writer.stats().dropped()).isZero();

        long closeStart = System.nanoTime();
        writer.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart);
        assertThat(closeMillis).as("close waits closeTimeout, not for the webhook").isBetween(250L, 1500L);
        assertThat(writer.stats().abandoned()).isEqualTo(1020);
        assertThat(writer.stats().queued()).isZero();
    }

    @Test
    void aFullQueueDropsTheOldestWaitingDeliveryWithoutBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.reply("/hook", (req, n) -> Reply.status(200).await(release));
        TestContext ctx = new TestContext();
        WebhookNotifierWriter writer = writer(sink(b -> b.maxQueued(5).maxConcurrent(1)), ctx);

        long start = System.nanoTime();
        for (int i = 1; i <= 20; i++) {
            writer.write(notification("n" + i, AlertLevel.RED, region(1, 1, 1, 1)), null);
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(elapsedMillis).isLessThan(200);
        assertThat(writer.stats().dropped()).isEqualTo(15);
        assertThat(writer.stats().queued()).isEqualTo(5);
        assertThat(ctx.counter("notificationsDropped")).isEqualTo(15);
        assertThat(ctx.gauge("notificationsQueued")).isEqualTo(5L);

        release.countDown();
        await(() -> writer.stats().sent() == 5, 5000);
        // n1 was already in flight; n2..n16 were pushed out by newer ones
        assertThat(server.received).extracting(r -> r.header("X-Fenghuo-Notification-Id"))
                .containsExactly("n1", "n17", "n18", "n19", "n20");
    }

    @Test
    void whenEverythingHeldIsInFlightTheNewDeliveryIsDropped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.reply("/hook", (req, n) -> Reply.status(200).await(release));
        WebhookNotifierWriter writer = writer(sink(b -> b.maxQueued(2).maxConcurrent(2)), new TestContext());

        for (int i = 1; i <= 3; i++) {
            writer.write(notification("n" + i, AlertLevel.RED, region(1, 1, 1, 1)), null);
        }

        assertThat(writer.stats().dropped()).isEqualTo(1);
        release.countDown();
        await(() -> writer.stats().sent() == 2, 5000);
        assertThat(server.received).extracting(r -> r.header("X-Fenghuo-Notification-Id"))
                .containsExactlyInAnyOrder("n1", "n2");
    }

    @Test
    void aHangingWebhookDoesNotHoldUpTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.reply("/hanging", (req, n) -> Reply.status(200).await(release));
        WebhookNotifierSink sink = WebhookNotifierSink.builder()
                .targets(server.url("/hanging") + ";name=hanging " + server.url("/healthy") + ";name=healthy")
                .maxConcurrent(2)
                .build();
        WebhookNotifierWriter writer = writer(sink, new TestContext());

        for (int i = 1; i <= 5; i++) {
            writer.write(notification("n" + i, AlertLevel.RED, region(1, 1, 1, 1)), null);
        }

        await(() -> writer.stats().sent() == 5, 5000);
        assertThat(server.idsByPath().get("/healthy")).containsExactlyInAnyOrder("n1", "n2", "n3", "n4", "n5");
        assertThat(server.idsByPath().get("/hanging")).containsExactly("n1");
        release.countDown();
        await(() -> writer.stats().sent() == 10, 5000);
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeWaitsForInFlightDeliveries() throws Exception {
        server.reply("/hook", (req, n) -> Reply.status(200).delay(300));
        WebhookNotifierWriter writer = writer(sink(b -> b), new TestContext());
        writer.write(notification("n1", AlertLevel.RED, region(1, 1, 1, 1)), null);
        writer.write(notification("n2", AlertLevel.RED, region(1, 1, 1, 1)), null);

        long start = System.nanoTime();
        writer.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(writer.stats().sent()).isEqualTo(2);
        assertThat(writer.stats().abandoned()).isZero();
        assertThat(closeMillis).isBetween(200L, 3000L);
    }

    @Test
    void closeGivesUpAfterCloseTimeoutAndCountsTheAbandoned() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        server.reply("/hook", (req, n) -> Reply.status(200).await(never));
        TestContext ctx = new TestContext();
        WebhookNotifierWriter writer = writer(sink(b -> b.closeTimeout(Duration.ofMillis(300))), ctx);
        for (int i = 1; i <= 3; i++) {
            writer.write(notification("n" + i, AlertLevel.RED, region(1, 1, 1, 1)), null);
        }
        await(() -> server.received.size() == 3, 5000);

        try (CapturedLog log = new CapturedLog()) {
            long start = System.nanoTime();
            writer.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(closeMillis).isBetween(250L, 1500L);
            assertThat(log.lines("WARN")).singleElement().asString().contains("abandoned 3", "3 in flight");
        }
        assertThat(writer.stats().abandoned()).isEqualTo(3);
        assertThat(ctx.counter("notificationsAbandoned")).isEqualTo(3);
        assertThat(writer.stats().sent()).isZero();
    }

    @Test
    void closeDoesNotWaitForARetryDueAfterItsDeadline() throws Exception {
        server.reply("/hook", (req, n) -> Reply.status(503));
        WebhookNotifierWriter writer = writer(sink(b -> b.initialBackoff(Duration.ofSeconds(10))
                .maxBackoff(Duration.ofSeconds(20))), new TestContext());
        writer.write(notification("n1", AlertLevel.RED, region(1, 1, 1, 1)), null);
        await(() -> writer.stats().retried() == 1, 5000);

        long start = System.nanoTime();
        writer.close();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        assertThat(writer.stats().abandoned()).isEqualTo(1);
        assertThat(server.received).hasSize(1);
    }

    // ------------------------------------------------------------------ the sink itself

    @Test
    void theSinkIsSerializableAndItsCopyDelivers() throws Exception {
        WebhookNotifierSink sink = WebhookNotifierSink.builder()
                .targets(server.url("/hook") + ";minLevel=ORANGE;regions=339901;name=d1;header.X-Token=abc")
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sink);
        }
        WebhookNotifierSink copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (WebhookNotifierSink) in.readObject();
        }
        assertThat(copy.targets()).isEqualTo(sink.targets());

        WebhookNotifierWriter writer = writer(copy, new TestContext());
        writer.write(notification("n1", AlertLevel.RED, region(1, 1, 1, 1)), null);
        writer.write(notification("low", AlertLevel.YELLOW, region(1, 1, 1, 1)), null);
        await(() -> writer.stats().sent() == 1, 5000);
        assertThat(server.received).singleElement().satisfies(r -> assertThat(r.header("X-Token")).isEqualTo("abc"));
    }

    @Test
    void builderHasTheDocumentedDefaults() {
        WebhookNotifierSink sink = WebhookNotifierSink.builder().targets("https://ops.example/hook").build();

        assertThat(sink.targets()).hasSize(1);
        assertThat(sink.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(sink.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(sink.maxAttempts()).isEqualTo(5);
        assertThat(sink.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(sink.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sink.maxQueued()).isEqualTo(10_000);
        assertThat(sink.maxConcurrent()).isEqualTo(8);
        assertThat(sink.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(sink.failureLogInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void buildListsEveryInvalidOption() {
        assertThatThrownBy(() -> WebhookNotifierSink.builder()
                .connectTimeout(Duration.ZERO)
                .requestTimeout(null)
                .maxAttempts(0)
                .initialBackoff(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1))
                .maxQueued(0)
                .maxConcurrent(-1)
                .closeTimeout(Duration.ofMinutes(11))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targets: at least one webhook is required")
                .hasMessageContaining("connectTimeout must be between 1ms and 5min, was 0ms")
                .hasMessageContaining("requestTimeout must be set")
                .hasMessageContaining("maxAttempts must be between 1 and 100, was 0")
                .hasMessageContaining("maxBackoff must be between 2s and 1h, was 1s")
                .hasMessageContaining("maxQueued must be between 1 and 1000000, was 0")
                .hasMessageContaining("maxConcurrent must be between 1 and 1000, was -1")
                .hasMessageContaining("closeTimeout must be between 0ms and 10min, was 11min");

        assertThatThrownBy(() -> WebhookNotifierSink.builder()
                .targets("https://a.example/h https://a.example/other ftp://b")
                .build())
                .hasMessageContaining("webhook 'ftp://b': url must be http or https")
                .hasMessageNotContaining("at least one");
        assertThatThrownBy(() -> WebhookNotifierSink.builder()
                .targets("https://a.example/h https://a.example/other")
                .build())
                .hasMessageContaining("webhook names must be distinct, [a.example] used more than once");
    }

    // ------------------------------------------------------------------ policy details

    @Nested
    class Policy {
        @Test
        void backoffDoublesUpToTheCapWithUpTo25PercentJitter() {
            assertThat(WebhookNotifierWriter.retryDelayMillis(1, -1, 500, 30_000, 0.0)).isEqualTo(500);
            assertThat(WebhookNotifierWriter.retryDelayMillis(1, -1, 500, 30_000, 0.999)).isEqualTo(624);
            assertThat(WebhookNotifierWriter.retryDelayMillis(2, -1, 500, 30_000, 0.0)).isEqualTo(1000);
            assertThat(WebhookNotifierWriter.retryDelayMillis(4, -1, 500, 30_000, 0.0)).isEqualTo(4000);
            assertThat(WebhookNotifierWriter.retryDelayMillis(99, -1, 500, 30_000, 0.0)).isEqualTo(30_000);
        }

        @Test
        void retryAfterIsHonouredUpToMaxBackoff() {
            assertThat(WebhookNotifierWriter.retryDelayMillis(1, 3000, 500, 30_000, 0.0)).isEqualTo(3000);
            assertThat(WebhookNotifierWriter.retryDelayMillis(1, 3_600_000, 500, 30_000, 0.0)).isEqualTo(30_000);
            assertThat(WebhookNotifierWriter.retryDelayMillis(4, 1000, 500, 30_000, 0.0)).as("backoff longer").isEqualTo(4000);

            Instant now = Instant.parse("2026-03-05T01:20:00Z");
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(7).atOffset(ZoneOffset.UTC));
            assertThat(WebhookNotifierWriter.retryAfterMillis("7", now)).isEqualTo(7000);
            assertThat(WebhookNotifierWriter.retryAfterMillis(date, now)).isEqualTo(7000);
            assertThat(WebhookNotifierWriter.retryAfterMillis("soon", now)).isEqualTo(-1);
            assertThat(WebhookNotifierWriter.retryAfterMillis(null, now)).isEqualTo(-1);
        }

        @Test
        void classifiesAnswers() {
            assertThat(WebhookNotifierWriter.classify(response(204), null).success()).isTrue();
            for (int retryable : new int[] {408, 429, 500, 502, 503, 504}) {
                assertThat(WebhookNotifierWriter.classify(response(retryable), null).retryable()).as("%d", retryable).isTrue();
            }
            for (int permanent : new int[] {301, 400, 401, 403, 404, 410, 422}) {
                var o = WebhookNotifierWriter.classify(response(permanent), null);
                assertThat(o.success() || o.retryable()).as("%d", permanent).isFalse();
            }
            assertThat(WebhookNotifierWriter.classify(null,
                    new java.util.concurrent.CompletionException(new java.net.http.HttpTimeoutException("request timed out")))
                    .retryable()).isTrue();
            assertThat(WebhookNotifierWriter.classify(null, new IllegalStateException("bug")).retryable()).isFalse();
        }

        @Test
        void exceptionTextsHaveTheirUrlsRedacted() {
            assertThat(WebhookNotifierWriter.describe(new IOException("cannot reach https://h.example/robot?access_token=t0k")))
                    .isEqualTo("IOException: cannot reach https://h.example/…");
        }

        @Test
        void rateLimitedLogLetsOneLinePerIntervalThroughAndCountsTheRest() {
            AtomicLong nanos = new AtomicLong();
            RateLimitedLog log = new RateLimitedLog(10_000, nanos::get);
            assertThat(log.permit("a")).isZero();
            assertThat(log.permit("a")).isEqualTo(RateLimitedLog.SUPPRESS);
            assertThat(log.permit("b")).as("per key").isZero();
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
            assertThat(log.permit("a")).isEqualTo(RateLimitedLog.SUPPRESS);
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
            assertThat(log.permit("a")).as("two suppressed").isEqualTo(2);
            assertThat(log.permit("a")).isEqualTo(RateLimitedLog.SUPPRESS);
        }

        private java.net.http.HttpResponse<Void> response(int status) {
            return new FixedResponse(status);
        }
    }

    // ------------------------------------------------------------------ helpers

    private WebhookNotifierSink sink(UnaryOperator<WebhookNotifierSink.Builder> config) {
        return config.apply(WebhookNotifierSink.builder().target(WebhookTarget.of("hook", server.url("/hook")))).build();
    }

    private WebhookNotifierWriter writer(WebhookNotifierSink sink, TestContext ctx) throws IOException {
        SinkWriter<AlertNotification> w = sink.createWriter(ctx);
        writers.add(w);
        return (WebhookNotifierWriter) w;
    }

    private static long millisBetween(Received a, Received b) {
        return TimeUnit.NANOSECONDS.toMillis(b.atNanos - a.atNanos);
    }

    private static void await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + timeoutMillis + " ms");
            }
            Thread.sleep(5);
        }
    }

    /** One request as the server saw it; {@code atNanos} is when it arrived. */
    static final class Received {
        final String method;
        final String path;
        final Map<String, List<String>> headers;
        final byte[] body;
        final long atNanos;

        Received(String method, String path, Map<String, List<String>> headers, byte[] body, long atNanos) {
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.body = body;
            this.atNanos = atNanos;
        }

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String notificationId() {
            return header("X-Fenghuo-Notification-Id");
        }
    }

    /** What the server answers; {@link #delay} and {@link #await} hold the response back. */
    static final class Reply {
        final int status;
        final Map<String, String> headers = new TreeMap<>();
        long delayMillis;
        CountDownLatch latch;

        private Reply(int status) {
            this.status = status;
        }

        static Reply status(int status) {
            return new Reply(status);
        }

        Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Reply delay(long millis) {
            this.delayMillis = millis;
            return this;
        }

        Reply await(CountDownLatch l) {
            this.latch = l;
            return this;
        }
    }

    /** A webhook receiver: records every request; answers 200 unless told otherwise per path. */
    static final class HookServer implements AutoCloseable {
        final List<Received> received = new CopyOnWriteArrayList<>();
        private final Map<String, BiFunction<Received, Integer, Reply>> replies = new ConcurrentHashMap<>();
        private final Map<String, Integer> countByPath = new ConcurrentHashMap<>();
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hook-server");
            t.setDaemon(true);
            return t;
        });
        private final HttpServer http;

        HookServer() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            http.setExecutor(pool);
            http.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String path = exchange.getRequestURI().getPath();
                    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    headers.putAll(exchange.getRequestHeaders());
                    Received r = new Received(exchange.getRequestMethod(), path, headers, body, System.nanoTime());
                    int n = countByPath.merge(path, 1, Integer::sum);
                    received.add(r);
                    Reply reply = replies.getOrDefault(path, (req, k) -> Reply.status(200)).apply(r, n);
                    try {
                        if (reply.delayMillis > 0) {
                            Thread.sleep(reply.delayMillis);
                        }
                        if (reply.latch != null) {
                            reply.latch.await();
                        }
                    } catch (InterruptedException e) {
                        return; // server stopping
                    }
                    reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                    exchange.sendResponseHeaders(reply.status, -1);
                } catch (IOException e) {
                    // the client gave up (timeout, close): nothing to answer
                }
            });
            http.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + http.getAddress().getPort() + path;
        }

        void reply(String path, BiFunction<Received, Integer, Reply> reply) {
            replies.put(path, reply);
        }

        Map<String, Set<String>> idsByPath() {
            return received.stream().collect(Collectors.groupingBy(r -> r.path,
                    Collectors.mapping(Received::notificationId, Collectors.toSet())));
        }

        @Override
        public void close() {
            http.stop(0);
            pool.shutdownNow();
        }
    }

    /**
     * The init context Flink gives a sink writer, with a metric group whose metrics the test can read
     * ({@link MetricListener}). The notifier needs nothing else: the other methods fail if it asks.
     */
    static final class TestContext implements WriterInitContext {
        final MetricListener metrics = new MetricListener();
        final TestSinkWriterMetricGroup sinkGroup = new TestSinkWriterMetricGroup(metrics.getMetricGroup());

        long counter(String name) {
            return metrics.getCounter(name).map(Counter::getCount).orElseThrow(() -> new AssertionError("no counter " + name));
        }

        Object gauge(String name) {
            return metrics.getGauge(name).map(Gauge::getValue).orElseThrow(() -> new AssertionError("no gauge " + name));
        }

        @Override
        public SinkWriterMetricGroup metricGroup() {
            return sinkGroup;
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            throw new UnsupportedOperationException("not needed by the notifier");
        }

        @Override
        public MailboxExecutor getMailboxExecutor() {
            throw new UnsupportedOperationException("the notifier must not need the task mailbox");
        }

        @Override
        public ProcessingTimeService getProcessingTimeService() {
            throw new UnsupportedOperationException("the notifier keeps its own timers");
        }

        @Override
        public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
            throw new UnsupportedOperationException("not needed by the notifier");
        }

        @Override
        public boolean isObjectReuseEnabled() {
            return false;
        }

        @Override
        public <IN> TypeSerializer<IN> createInputSerializer() {
            throw new UnsupportedOperationException("not needed by the notifier");
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return OptionalLong.empty();
        }

        @Override
        public JobInfo getJobInfo() {
            throw new UnsupportedOperationException("not needed by the notifier");
        }

        @Override
        public TaskInfo getTaskInfo() {
            throw new UnsupportedOperationException("not needed by the notifier");
        }
    }

    /** A sink writer metric group that registers into a {@link MetricListener}'s group. */
    static final class TestSinkWriterMetricGroup extends ProxyMetricGroup<MetricGroup> implements SinkWriterMetricGroup {
        final Counter send = new SimpleCounter();
        final Counter sendErrors = new SimpleCounter();
        private final Counter outErrors = new SimpleCounter();
        private final Counter bytesSend = new SimpleCounter();

        TestSinkWriterMetricGroup(MetricGroup parent) {
            super(parent);
        }

        @Override
        public OperatorIOMetricGroup getIOMetricGroup() {
            return UnregisteredMetricsGroup.createOperatorIOMetricGroup();
        }

        @Override
        public Counter getNumRecordsOutErrorsCounter() {
            return outErrors;
        }

        @Override
        public Counter getNumRecordsSendErrorsCounter() {
            return sendErrors;
        }

        @Override
        public Counter getNumRecordsSendCounter() {
            return send;
        }

        @Override
        public Counter getNumBytesSendCounter() {
            return bytesSend;
        }

        @Override
        public void setCurrentSendTimeGauge(Gauge<Long> gauge) {
        }
    }

    /** Captures what the notifier writer logs (log4j is the test logging backend). */
    static final class CapturedLog implements AutoCloseable {
        private final List<LogEvent> events = new CopyOnWriteArrayList<>();
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final LoggerConfig loggerConfig;
        private final AbstractAppender appender;

        CapturedLog() {
            appender = new AbstractAppender("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    if (event.getLoggerName().equals(WebhookNotifierWriter.class.getName())) {
                        events.add(event.toImmutable());
                    }
                }
            };
            appender.start();
            loggerConfig = context.getConfiguration().getLoggerConfig(WebhookNotifierWriter.class.getName());
            loggerConfig.addAppender(appender, null, null);
            context.updateLoggers();
        }

        /** Formatted messages at {@code level} (all levels when null). */
        List<String> lines(String level) {
            return events.stream()
                    .filter(e -> level == null || e.getLevel().name().equals(level))
                    .map(e -> e.getMessage().getFormattedMessage())
                    .collect(Collectors.toList());
        }

        @Override
        public void close() {
            loggerConfig.removeAppender(appender.getName());
            context.updateLoggers();
            appender.stop();
        }
    }

    /** A canned response for {@link WebhookNotifierWriter#classify}. */
    private static final class FixedResponse implements java.net.http.HttpResponse<Void> {
        private final int status;

        FixedResponse(int status) {
            this.status = status;
        }

        @Override
        public int statusCode() {
            return status;
        }

        @Override
        public java.net.http.HttpRequest request() {
            return null;
        }

        @Override
        public Optional<java.net.http.HttpResponse<Void>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public Void body() {
            return null;
        }

        @Override
        public Optional<javax.net.ssl.SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public java.net.URI uri() {
            return java.net.URI.create("http://127.0.0.1/");
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return java.net.http.HttpClient.Version.HTTP_1_1;
        }
    }
}

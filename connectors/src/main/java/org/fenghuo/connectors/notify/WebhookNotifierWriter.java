package org.fenghuo.connectors.notify;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.fenghuo.core.alert.AlertNotification;
import org.fenghuo.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of {@link WebhookNotifierSink}. {@link #write} never waits for HTTP: it routes the notification, puts
 * one delivery per selected webhook in a bounded queue and returns. Up to {@code maxConcurrent} deliveries are sent
 * at once with {@link HttpClient#sendAsync}; the responses arrive on the HTTP client's threads. The webhooks take
 * turns, and none holds more than {@code ceil(maxConcurrent / number of webhooks)} request slots, so one hanging
 * webhook cannot hold up the others.
 *
 * <p><b>Retries.</b> Connection errors, timeouts, 408, 429 and 5xx are retried up to {@code maxAttempts} attempts in
 * all, after {@code initialBackoff · 2^(n-1)} (capped at {@code maxBackoff}) plus up to 25 % random jitter, or after
 * the response's {@code Retry-After} (seconds or an HTTP date, capped at {@code maxBackoff}) when that is longer.
 * Other answers (3xx, 4xx) are not retried: they mean the webhook is configured wrongly.
 *
 * <p><b>Queue full.</b> The writer holds at most {@code maxQueued} deliveries (waiting, backing off or in flight).
 * When a new one arrives at the limit, the <em>oldest</em> delivery that is not in flight is dropped: a notifier
 * that has fallen behind (a webhook down for minutes) should still pass on the alert that fired just now rather than
 * keep stale ones; the oldest is usually a retry to the failing webhook, and every dropped alert is still on the
 * dashboard (Kafka, Elasticsearch). Only if every held delivery is in flight is the new one dropped. Both count as
 * {@code notificationsDropped}.
 *
 * <p><b>Checkpoints.</b> {@link #flush} does not wait: notifications are best effort and must not delay
 * checkpoints. After a restore, replayed alerts may be notified again: receivers deduplicate by the
 * {@code X-Fenghuo-Notification-Id} header (the notification id is deterministic). {@link #close} waits up to
 * {@code closeTimeout} for outstanding deliveries, then abandons (counts and logs) the rest.
 *
 * <p><b>Logs</b> name the webhook, the notification and alert ids, the HTTP status or exception and the attempt;
 * never the payload, the URL's path or query, or the configured headers. Failures are logged at most once per
 * webhook per {@code failureLogInterval} (WARN), with the number of suppressed ones; single retries at DEBUG.
 */
public final class WebhookNotifierWriter implements SinkWriter<AlertNotification> {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifierWriter.class);

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** Receivers drop repeats by this header (a restart may resend). */
    public static final String NOTIFICATION_ID_HEADER = "X-Fenghuo-Notification-Id";
    /** 1 for the first attempt, 2 for the first retry, … */
    public static final String ATTEMPT_HEADER = "X-Fenghuo-Attempt";
    static final String USER_AGENT = "fenghuo-notifier";
    /** Jitter added on top of the backoff, as a fraction of it. */
    static final double JITTER = 0.25;

    private static final AtomicInteger WRITERS = new AtomicInteger();
    private static final Pattern URL_IN_TEXT = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\S+");

    private final List<WebhookTarget> targets;
    private final WebhookNotifierSink.Settings settings;
    private final NotifierStats stats = new NotifierStats();
    private final RateLimitedLog rateLimitedLog;
    private final HttpClient client;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Counter numRecordsSend;
    private final Counter numRecordsSendErrors;

    private final Object lock = new Object();
    /** Deliveries not in flight (ready or backing off), oldest first. Guarded by {@link #lock}. */
    private final TreeMap<Long, Delivery> waiting = new TreeMap<>();
    /** Per target (index into {@link #targets}): deliveries that may be sent now, in order. Guarded by {@link #lock}. */
    private final List<Set<Delivery>> ready;
    /** Guarded by {@link #lock}. */
    private final Set<Delivery> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Per target: requests in flight. Guarded by {@link #lock}. */
    private final int[] inFlightByTarget;
    /** Request slots one webhook may hold, so that a hanging webhook cannot hold up the others. */
    private final int slotsPerTarget;
    /** Round-robin start of the next {@link #pumpLocked} scan. Guarded by {@link #lock}. */
    private int nextTarget;
    private long nextSeq;
    private boolean closed;

    WebhookNotifierWriter(List<WebhookTarget> targets, WebhookNotifierSink.Settings settings,
                          SinkWriterMetricGroup metricGroup) {
        this.targets = List.copyOf(targets);
        this.settings = settings;
        this.ready = new ArrayList<>(this.targets.size());
        for (int i = 0; i < this.targets.size(); i++) {
            ready.add(new LinkedHashSet<>());
        }
        this.inFlightByTarget = new int[this.targets.size()];
        this.slotsPerTarget = Math.max(1, (settings.maxConcurrent() + this.targets.size() - 1) / this.targets.size());
        this.rateLimitedLog = new RateLimitedLog(settings.failureLogIntervalMillis(), System::nanoTime);
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(settings.connectTimeoutMillis()))
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        ProxySelector proxy = ProxySelector.getDefault(); // honours -Dhttp(s).proxyHost, as a closed network may need
        if (proxy != null) {
            http.proxy(proxy);
        }
        this.client = http.build();
        String threadName = "fenghuo-webhook-notifier-" + WRITERS.incrementAndGet();
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);

        metricGroup.counter("notificationsSent", stats.sentCounter());
        metricGroup.counter("notificationsFailed", stats.failedCounter());
        metricGroup.counter("notificationsRetried", stats.retriedCounter());
        metricGroup.counter("notificationsDropped", stats.droppedCounter());
        metricGroup.counter("notificationsAbandoned", stats.abandonedCounter());
        metricGroup.gauge("notificationsQueued", (Gauge<Long>) stats::queued);
        this.numRecordsSend = metricGroup.getNumRecordsSendCounter();
        this.numRecordsSendErrors = metricGroup.getNumRecordsSendErrorsCounter();
    }

    /** The writer's counts, the same numbers as its metrics. */
    public NotifierStats stats() {
        return stats;
    }

    /** Queues one delivery per webhook that wants the notification, and returns at once. */
    @Override
    public void write(AlertNotification notification, Context context) {
        if (notification == null) {
            return;
        }
        if (notification.alert() == null || notification.alert().level() == null || notification.notificationId() == null) {
            stats.failedCounter().inc();
            long suppressed = rateLimitedLog.permit("malformed");
            if (suppressed != RateLimitedLog.SUPPRESS) {
                LOG.warn("skipping notification {} without alert, level or notification id{}",
                        notification.notificationId(), suppressedNote(suppressed));
            }
            return;
        }
        int[] selected = new int[targets.size()];
        int count = 0;
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).accepts(notification)) {
                selected[count++] = i;
            }
        }
        if (count == 0) {
            return;
        }
        Payload payload = new Payload(notification);
        List<Delivery> droppedNow = null;
        synchronized (lock) {
            for (int k = 0; k < count; k++) {
                int t = selected[k];
                Delivery d = new Delivery(nextSeq++, t, targets.get(t), payload);
                if (closed) {
                    droppedNow = addDropped(droppedNow, d);
                    continue;
                }
                if (waiting.size() + inFlight.size() >= settings.maxQueued()) {
                    Map.Entry<Long, Delivery> oldest = waiting.pollFirstEntry();
                    if (oldest == null) {
                        droppedNow = addDropped(droppedNow, d); // everything held is in flight
                        continue;
                    }
                    Delivery old = oldest.getValue();
                    ready.get(old.targetIndex).remove(old);
                    old.finish();
                    droppedNow = addDropped(droppedNow, old);
                }
                waiting.put(d.seq, d);
                ready.get(t).add(d);
            }
            pumpLocked();
            updateQueuedLocked();
        }
        if (droppedNow != null) {
            stats.droppedCounter().inc(droppedNow.size());
            logDropped(droppedNow);
        }
    }

    /**
     * Does not wait for webhooks: notifications are best effort (the alerts are already in Kafka and Elasticsearch)
     * and a slow webhook must not delay checkpoints.
     */
    @Override
    public void flush(boolean endOfInput) {
        // nothing to do: deliveries continue in the background; close() waits for them, bounded
    }

    /**
     * Waits up to {@code closeTimeout} for outstanding deliveries (less when the only ones left are backing off
     * past that deadline), then abandons the rest, counting and logging them.
     */
    @Override
    public void close() {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.closeTimeoutMillis());
        List<CompletableFuture<?>> toCancel = new ArrayList<>();
        int abandonedInFlight;
        int abandonedWaiting;
        synchronized (lock) {
            if (closed) {
                return;
            }
            while (!inFlight.isEmpty() || !waiting.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (inFlight.isEmpty() && noneReadyLocked() && allDueAfterLocked(deadline))) {
                    break;
                }
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            abandonedInFlight = inFlight.size();
            abandonedWaiting = waiting.size();
            for (Delivery d : inFlight) {
                d.finish();
                if (d.response != null) {
                    toCancel.add(d.response);
                }
            }
            for (Delivery d : waiting.values()) {
                d.finish();
            }
            inFlight.clear();
            waiting.clear();
            ready.forEach(Set::clear);
            Arrays.fill(inFlightByTarget, 0);
            updateQueuedLocked();
        }
        toCancel.forEach(f -> f.cancel(true));
        scheduler.shutdownNow();
        shutdownClient();
        int abandoned = abandonedInFlight + abandonedWaiting;
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (abandoned > 0) {
            stats.abandonedCounter().inc(abandoned);
            LOG.warn("webhook notifier closed after waiting {} ms: abandoned {} undelivered notifications ({} in flight,"
                    + " {} queued or backing off); the alerts themselves are in Kafka and Elasticsearch; {}",
                    waitedMillis, abandoned, abandonedInFlight, abandonedWaiting, stats);
        } else {
            LOG.info("webhook notifier closed after waiting {} ms; {}", waitedMillis, stats);
        }
    }

    // ------------------------------------------------------------------ delivery

    /**
     * Starts deliveries while a request slot is free, taking the webhooks in turn (each its oldest ready delivery)
     * and giving none more than {@link #slotsPerTarget} slots.
     */
    private void pumpLocked() {
        int n = targets.size();
        while (!closed && inFlight.size() < settings.maxConcurrent()) {
            Delivery d = null;
            for (int k = 0; k < n && d == null; k++) {
                int t = (nextTarget + k) % n;
                Set<Delivery> queue = ready.get(t);
                if (!queue.isEmpty() && inFlightByTarget[t] < slotsPerTarget) {
                    Iterator<Delivery> it = queue.iterator();
                    d = it.next();
                    it.remove();
                    nextTarget = (t + 1) % n;
                }
            }
            if (d == null) {
                return;
            }
            waiting.remove(d.seq);
            inFlight.add(d);
            inFlightByTarget[d.targetIndex]++;
            d.attempts++;
            int attempt = d.attempts;
            Delivery started = d;
            try {
                scheduler.execute(() -> send(started, attempt));
            } catch (RejectedExecutionException e) {
                inFlight.remove(d); // only after close(), which abandons it anyway
                inFlightByTarget[d.targetIndex]--;
                d.finish();
            }
        }
    }

    private boolean noneReadyLocked() {
        for (Set<Delivery> queue : ready) {
            if (!queue.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** On the notifier thread: builds the request and hands it to the HTTP client, which does not block. */
    private void send(Delivery d, int attempt) {
        CompletableFuture<HttpResponse<Void>> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(d.target.url())
                    .timeout(Duration.ofMillis(settings.requestTimeoutMillis()))
                    .setHeader("Content-Type", CONTENT_TYPE)
                    .setHeader("User-Agent", USER_AGENT)
                    .setHeader(NOTIFICATION_ID_HEADER, d.payload.notification.notificationId())
                    .setHeader(ATTEMPT_HEADER, Integer.toString(attempt))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.payload.json()));
            d.target.headers().forEach(request::setHeader);
            response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            onResult(d, attempt, null, e);
            return;
        }
        synchronized (lock) {
            if (!d.finished) {
                d.response = response;
            }
        }
        response.whenComplete((r, e) -> onResult(d, attempt, r, e));
    }

    private void onResult(Delivery d, int attempt, HttpResponse<Void> response, Throwable error) {
        Outcome outcome = classify(response, error);
        String failureLine = null;
        long delay = -1;
        synchronized (lock) {
            if (d.finished) {
                return; // abandoned by close()
            }
            inFlight.remove(d);
            inFlightByTarget[d.targetIndex]--;
            d.response = null;
            if (outcome.success) {
                d.finish();
                stats.sentCounter().inc();
                numRecordsSend.inc();
            } else if (outcome.retryable && attempt < settings.maxAttempts() && !closed) {
                delay = retryDelayMillis(attempt, outcome.retryAfterMillis, settings.initialBackoffMillis(),
                        settings.maxBackoffMillis(), ThreadLocalRandom.current().nextDouble());
                stats.retriedCounter().inc();
                d.dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                waiting.put(d.seq, d);
                try {
                    d.retryTimer = scheduler.schedule(() -> retryDue(d), delay, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    waiting.remove(d.seq); // closing
                    d.finish();
                }
            } else {
                d.finish();
                stats.failedCounter().inc();
                numRecordsSendErrors.inc();
                failureLine = outcome.description + (outcome.retryable ? "" : " (not retried)");
            }
            pumpLocked();
            updateQueuedLocked();
            lock.notifyAll();
        }
        if (delay >= 0 && LOG.isDebugEnabled()) {
            LOG.debug("webhook '{}': notification {} (alert {}) attempt {}/{} failed: {}; retrying in {} ms",
                    d.target.name(), d.payload.notification.notificationId(), d.payload.alertId(), attempt,
                    settings.maxAttempts(), outcome.description, delay);
        }
        if (failureLine != null) {
            long suppressed = rateLimitedLog.permit("target:" + d.target.name());
            if (suppressed != RateLimitedLog.SUPPRESS) {
                LOG.warn("webhook '{}': gave up on notification {} (alert {}) after attempt {}/{}: {}{}",
                        d.target.name(), d.payload.notification.notificationId(), d.payload.alertId(), attempt,
                        settings.maxAttempts(), failureLine, suppressedNote(suppressed));
            }
        }
    }

    private void retryDue(Delivery d) {
        synchronized (lock) {
            d.retryTimer = null;
            if (d.finished || closed || !waiting.containsKey(d.seq)) {
                return;
            }
            ready.get(d.targetIndex).add(d);
            pumpLocked();
        }
    }

    private boolean allDueAfterLocked(long deadlineNanos) {
        for (Delivery d : waiting.values()) {
            if (d.dueNanos - deadlineNanos <= 0) {
                return false;
            }
        }
        return true;
    }

    private void updateQueuedLocked() {
        stats.setQueued(waiting.size() + inFlight.size());
    }

    private void shutdownClient() {
        try {
            // Java 21+: stop the client's threads now; before 21 they end once the client is unreachable
            HttpClient.class.getMethod("shutdownNow").invoke(client);
        } catch (NoSuchMethodException e) {
            // Java 17
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("could not shut down the HTTP client", e);
        }
    }

    // ------------------------------------------------------------------ policy (static, tested directly)

    /**
     * The wait before the next attempt after {@code attemptsMade} attempts: {@code initial · 2^(attemptsMade-1)},
     * capped at {@code max}, plus {@code JITTER · random01} of it; or {@code retryAfterMillis} (capped at max) when
     * that is longer.
     */
    static long retryDelayMillis(int attemptsMade, long retryAfterMillis, long initial, long max, double random01) {
        long base = initial;
        for (int i = 1; i < attemptsMade && base < max; i++) {
            base *= 2;
        }
        base = Math.min(base, max);
        long delay = base + (long) (base * JITTER * random01);
        if (retryAfterMillis > 0) {
            delay = Math.max(delay, Math.min(retryAfterMillis, max));
        }
        return delay;
    }

    /** {@code Retry-After} in milliseconds (delay-seconds or an HTTP date), or -1 when absent or unreadable. */
    static long retryAfterMillis(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Long.parseLong(v) * 1000;
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(0, Duration.between(now, at.toInstant()).toMillis());
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    static Outcome classify(HttpResponse<?> response, Throwable error) {
        if (error != null) {
            Throwable cause = error;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return new Outcome(false, cause instanceof IOException, -1, describe(cause));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Outcome(true, false, -1, "HTTP " + status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            long retryAfter = retryAfterMillis(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
            return new Outcome(false, true, retryAfter, "HTTP " + status);
        }
        String hint = switch (status) {
            case 301, 302, 303, 307, 308 -> " (redirects are not followed: configure the final URL)";
            case 401, 403 -> " (check the webhook's authorisation header)";
            case 404 -> " (check the webhook URL)";
            default -> "";
        };
        return new Outcome(false, false, -1, "HTTP " + status + hint);
    }

    /** Exception class and message, with any URL in the message redacted, at most 200 characters. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        Matcher m = URL_IN_TEXT.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(WebhookTarget.redact(m.group())));
        }
        m.appendTail(b);
        String text = b.toString().replaceAll("[\\r\\n]+", " ");
        if (text.length() > 200) {
            text = text.substring(0, 200) + "…";
        }
        return t.getClass().getSimpleName() + ": " + text;
    }

    private void logDropped(List<Delivery> dropped) {
        long suppressed = rateLimitedLog.permit("queue-full");
        if (suppressed == RateLimitedLog.SUPPRESS) {
            return;
        }
        Delivery first = dropped.get(0);
        LOG.warn("webhook notifier queue full (maxQueued={}): dropped notification {} (alert {}) for webhook '{}'{}; {}{}",
                settings.maxQueued(), first.payload.notification.notificationId(), first.payload.alertId(),
                first.target.name(), dropped.size() > 1 ? " and " + (dropped.size() - 1) + " more" : "", stats,
                suppressedNote(suppressed));
    }

    private static List<Delivery> addDropped(List<Delivery> list, Delivery d) {
        List<Delivery> l = list == null ? new ArrayList<>(2) : list;
        l.add(d);
        return l;
    }

    private String suppressedNote(long suppressed) {
        return suppressed > 0
                ? " (" + suppressed + " similar messages suppressed in the last " + settings.failureLogIntervalMillis() / 1000 + " s)"
                : "";
    }

    record Outcome(boolean success, boolean retryable, long retryAfterMillis, String description) {}

    /** One notification, serialised once for all its webhooks (lazily, on the notifier thread). */
    private static final class Payload {
        final AlertNotification notification;
        private byte[] json;

        Payload(AlertNotification notification) {
            this.notification = notification;
        }

        synchronized byte[] json() {
            if (json == null) {
                json = Json.toBytes(notification);
            }
            return json;
        }

        String alertId() {
            return notification.alert().alertId();
        }
    }

    /** One notification to one webhook. Mutable fields are guarded by the writer's lock. */
    private static final class Delivery {
        final long seq;
        final int targetIndex;
        final WebhookTarget target;
        final Payload payload;
        int attempts;
        boolean finished;
        long dueNanos;
        ScheduledFuture<?> retryTimer;
        CompletableFuture<?> response;

        Delivery(long seq, int targetIndex, WebhookTarget target, Payload payload) {
            this.seq = seq;
            this.targetIndex = targetIndex;
            this.target = target;
            this.payload = payload;
        }

        void finish() {
            finished = true;
            if (retryTimer != null) {
                retryTimer.cancel(false);
                retryTimer = null;
            }
        }
    }
}

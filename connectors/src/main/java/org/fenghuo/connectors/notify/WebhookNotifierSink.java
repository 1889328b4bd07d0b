package org.fenghuo.connectors.notify;

import org.fenghuo.connectors.Validate;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.fenghuo.core.alert.AlertNotification;

/**
 * Posts alert notifications (new, level raised, escalated) as JSON to webhooks, routed by level, region prefix and
 * reason ({@link WebhookTarget}). Best effort by design: the alerts themselves are already in Kafka and
 * Elasticsearch, so the notifier never back-pressures or fails the job. {@code write()} only queues; deliveries run
 * asynchronously with retries and backoff; a full queue drops the oldest waiting delivery; failures are counted and
 * logged (rate-limited).
 *
 * <pre>{@code
 * notifications.sinkTo(WebhookNotifierSink.builder()
 *         .targets("https://ops.example/hook;minLevel=ORANGE;regions=339901;name=district-1")
 *         .build());
 * }</pre>
 *
 * <p>The sink is serialisable (Flink ships it to the task managers): it keeps only the targets and plain settings;
 * each writer builds its own {@link java.net.http.HttpClient}. See the module README for options and metrics.
 */
public final class WebhookNotifierSink implements Sink<AlertNotification> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_QUEUED = 10_000;
    public static final int DEFAULT_MAX_CONCURRENT = 8;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

    private final List<WebhookTarget> targets;
    private final Settings settings;

    private WebhookNotifierSink(List<WebhookTarget> targets, Settings settings) {
        this.targets = List.copyOf(targets);
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SinkWriter<AlertNotification> createWriter(WriterInitContext context) throws IOException {
        return new WebhookNotifierWriter(targets, settings, context.metricGroup());
    }

    public List<WebhookTarget> targets() { return targets; }

    public Duration connectTimeout() { return Duration.ofMillis(settings.connectTimeoutMillis()); }

    public Duration requestTimeout() { return Duration.ofMillis(settings.requestTimeoutMillis()); }

    public int maxAttempts() { return settings.maxAttempts(); }

    public Duration initialBackoff() { return Duration.ofMillis(settings.initialBackoffMillis()); }

    public Duration maxBackoff() { return Duration.ofMillis(settings.maxBackoffMillis()); }

    public int maxQueued() { return settings.maxQueued(); }

    public int maxConcurrent() { return settings.maxConcurrent(); }

    public Duration closeTimeout() { return Duration.ofMillis(settings.closeTimeoutMillis()); }

    public Duration failureLogInterval() { return Duration.ofMillis(settings.failureLogIntervalMillis()); }

    @Override
    public String toString() {
        return "WebhookNotifierSink[targets=" + targets + ", " + settings + "]";
    }

    /** The validated writer settings, in milliseconds. */
    record Settings(long connectTimeoutMillis, long requestTimeoutMillis, int maxAttempts, long initialBackoffMillis,
                    long maxBackoffMillis, int maxQueued, int maxConcurrent, long closeTimeoutMillis,
                    long failureLogIntervalMillis) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Collects every option; {@link #build()} checks them all at once. */
    public static final class Builder {
        private final List<WebhookTarget> targets = new ArrayList<>();
        private final List<String> specs = new ArrayList<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private Duration failureLogInterval = DEFAULT_FAILURE_LOG_INTERVAL;

        private Builder() {}

        /** Adds a webhook. At least one is required; names must be distinct. */
        public Builder target(WebhookTarget target) {
            targets.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        /** Adds webhooks. */
        public Builder targets(Collection<WebhookTarget> more) {
            more.forEach(this::target);
            return this;
        }

        /**
         * Adds webhooks from config text: specs as in {@link WebhookTarget#parse}, separated by whitespace or
         * {@code |}. Parse errors are reported by {@link #build()} together with every other invalid option.
         */
        public Builder targets(String specList) {
            specs.add(specList == null ? "" : specList);
            return this;
        }

        /** TCP connect timeout, 1 ms..5 min, default 2 s. A timeout is retried. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Time for the whole request until the response headers, 1 ms..10 min, default 5 s. A timeout is retried. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** Attempts per delivery including the first, 1..100, default 5. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /** Wait before the first retry, 1 ms..10 min, default 500 ms; doubles per retry, plus up to 25 % jitter. */
        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = backoff;
            return this;
        }

        /** Cap of the doubling backoff and of a {@code Retry-After}, initialBackoff..1 h, default 30 s. */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = backoff;
            return this;
        }

        /**
         * Deliveries a writer holds (waiting, backing off or in flight), 1..1,000,000, default 10,000. When full,
         * the oldest delivery that is not in flight is dropped and counted.
         */
        public Builder maxQueued(int max) {
            this.maxQueued = max;
            return this;
        }

        /**
         * HTTP requests a writer has outstanding at once, over all webhooks, 1..1000, default 8. One webhook holds at
         * most {@code ceil(maxConcurrent / number of webhooks)} of them, so a hanging webhook cannot starve the others.
         */
        public Builder maxConcurrent(int max) {
            this.maxConcurrent = max;
            return this;
        }

        /** How long {@code close()} waits for outstanding deliveries, 0..10 min, default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** At most one failure WARN per webhook per interval, 0 (every failure)..1 h, default 10 s. */
        public Builder failureLogInterval(Duration interval) {
            this.failureLogInterval = interval;
            return this;
        }

        /**
         * @throws IllegalArgumentException listing every invalid option
         */
        public WebhookNotifierSink build() {
            List<String> errors = new ArrayList<>();
            List<WebhookTarget> all = new ArrayList<>(targets);
            for (String spec : specs) {
                try {
                    all.addAll(WebhookTarget.parseList(spec));
                } catch (IllegalArgumentException e) {
                    errors.add("targets: " + e.getMessage());
                }
            }
            if (all.isEmpty() && errors.isEmpty()) {
                errors.add("targets: at least one webhook is required,"
                        + " e.g. targets(\"https://ops.example/hook;minLevel=ORANGE;name=ops\")");
            }
            Set<String> duplicates = WebhookTarget.duplicateNames(all);
            if (!duplicates.isEmpty()) {
                errors.add("targets: webhook names must be distinct, " + duplicates
                        + " used more than once (add ;name=... to each spec)");
            }
            duration(errors, "connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(5));
            duration(errors, "requestTimeout", requestTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
            range(errors, "maxAttempts", maxAttempts, 1, 100);
            boolean initialOk = duration(errors, "initialBackoff", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(10));
            duration(errors, "maxBackoff", maxBackoff,
                    initialOk ? initialBackoff : Duration.ofMillis(1), Duration.ofHours(1));
            range(errors, "maxQueued", maxQueued, 1, 1_000_000);
            range(errors, "maxConcurrent", maxConcurrent, 1, 1000);
            duration(errors, "closeTimeout", closeTimeout, Duration.ZERO, Duration.ofMinutes(10));
            duration(errors, "failureLogInterval", failureLogInterval, Duration.ZERO, Duration.ofHours(1));
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid webhook notifier settings: " + String.join("; ", errors));
            }
            Settings settings = new Settings(connectTimeout.toMillis(), requestTimeout.toMillis(), maxAttempts,
                    initialBackoff.toMillis(), maxBackoff.toMillis(), maxQueued, maxConcurrent,
                    closeTimeout.toMillis(), failureLogInterval.toMillis());
            return new WebhookNotifierSink(all, settings);
        }

        private static void range(List<String> errors, String name, int value, int min, int max) {
            if (value < min || value > max) {
                errors.add(name + " must be between " + min + " and " + max + ", was " + value);
            }
        }

        private static boolean duration(List<String> errors, String name, Duration value, Duration min, Duration max) {
            if (value == null) {
                errors.add(name + " must be set (between " + Validate.human(min) + " and " + Validate.human(max) + ")");
                return false;
            }
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                errors.add(name + " must be between " + Validate.human(min) + " and " + Validate.human(max) + ", was " + Validate.human(value));
                return false;
            }
            return true;
        }
    }
}

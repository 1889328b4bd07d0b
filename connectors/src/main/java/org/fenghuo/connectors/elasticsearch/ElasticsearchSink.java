package org.fenghuo.connectors.elasticsearch;

import org.fenghuo.connectors.Validate;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * At-least-once Flink Sink V2 writing to Elasticsearch 8 with the bulk API. Every element is mapped to
 * an {@link IndexDocument} whose id the caller chooses deterministically, so the replay that follows a
 * failure overwrites what was already indexed: at-least-once delivery, effectively-once documents.
 *
 * <pre>{@code
 * ElasticsearchSink<Event> sink = ElasticsearchSink.<Event>builder()
 *         .hosts("http://localhost:9200")
 *         .documentMapper(e -> new IndexDocument(FenghuoIndices.EVENTS, e.eventId(), json(e)))
 *         .build();
 * stream.sinkTo(sink);
 * }</pre>
 *
 * <p>See the module README for the guarantees, defaults and dead-letter behaviour.
 */
public final class ElasticsearchSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_BATCH_ACTIONS = 1000;
    public static final long DEFAULT_MAX_BATCH_BYTES = 5L * 1024 * 1024;
    public static final Duration DEFAULT_MAX_BUFFER_TIME = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 2;

    private final ElasticsearchConnection connection;
    private final ElasticsearchDocumentMapper<T> documentMapper;
    private final SinkSettings settings;

    private ElasticsearchSink(ElasticsearchConnection connection, ElasticsearchDocumentMapper<T> documentMapper,
                              SinkSettings settings) {
        this.connection = connection;
        this.documentMapper = documentMapper;
        this.settings = settings;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        BulkTransport transport = new ElasticsearchBulkTransport(connection.createTransport(), settings.requireAlias());
        return new ElasticsearchSinkWriter<>(documentMapper, settings, transport,
                context.getMailboxExecutor(), context.getProcessingTimeService(), context.metricGroup());
    }

    public ElasticsearchConnection connection() {
        return connection;
    }

    public int maxBatchActions() {
        return settings.maxBatchActions();
    }

    public long maxBatchBytes() {
        return settings.maxBatchBytes();
    }

    public Duration maxBufferTime() {
        return Duration.ofMillis(settings.maxBufferTimeMillis());
    }

    public int maxInFlightRequests() {
        return settings.maxInFlightRequests();
    }

    public RetryPolicy retryPolicy() {
        return settings.retryPolicy();
    }

    public String deadLetterIndex() {
        return settings.deadLetterIndex();
    }

    public boolean requireAlias() {
        return settings.requireAlias();
    }

    SinkSettings settings() {
        return settings;
    }

    public static final class Builder<T> {
        private ElasticsearchConnection connection;
        private final ElasticsearchConnection.Builder connectionBuilder = ElasticsearchConnection.builder();
        private boolean connectionSettingsUsed;
        private ElasticsearchDocumentMapper<T> documentMapper;
        private int maxBatchActions = DEFAULT_MAX_BATCH_ACTIONS;
        private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private Duration maxBufferTime = DEFAULT_MAX_BUFFER_TIME;
        private int maxInFlightRequests = DEFAULT_MAX_IN_FLIGHT_REQUESTS;
        private Duration initialBackoff = RetryPolicy.DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = RetryPolicy.DEFAULT_MAX_BACKOFF;
        private double backoffMultiplier = RetryPolicy.DEFAULT_MULTIPLIER;
        private int maxAttempts = RetryPolicy.UNLIMITED;
        private String deadLetterIndex = FenghuoIndices.DEAD_LETTERS;
        private boolean requireAlias = true;

        private Builder() {}

        /** Elasticsearch URLs ({@code http(s)://host:port}). Required unless {@link #connection} is given. */
        public Builder<T> hosts(String... hosts) {
            connectionSettingsUsed = true;
            connectionBuilder.hosts(hosts);
            return this;
        }

        public Builder<T> hosts(List<String> hosts) {
            connectionSettingsUsed = true;
            connectionBuilder.hosts(hosts);
            return this;
        }

        public Builder<T> basicAuth(String username, String password) {
            connectionSettingsUsed = true;
            connectionBuilder.basicAuth(username, password);
            return this;
        }

        /** The encoded API key, {@code base64(id:key)}. */
        public Builder<T> apiKey(String encodedApiKey) {
            connectionSettingsUsed = true;
            connectionBuilder.apiKey(encodedApiKey);
            return this;
        }

        /** Default 5 s. */
        public Builder<T> connectTimeout(Duration timeout) {
            connectionSettingsUsed = true;
            connectionBuilder.connectTimeout(timeout);
            return this;
        }

        /** Default 60 s; a bulk request that times out is retried. */
        public Builder<T> socketTimeout(Duration timeout) {
            connectionSettingsUsed = true;
            connectionBuilder.socketTimeout(timeout);
            return this;
        }

        /** A connection shared with {@link IndexBootstrap}; replaces hosts/auth/timeouts. */
        public Builder<T> connection(ElasticsearchConnection connection) {
            this.connection = connection;
            return this;
        }

        /** Required. Maps each element to its index, deterministic id and JSON source. */
        public Builder<T> documentMapper(ElasticsearchDocumentMapper<T> documentMapper) {
            this.documentMapper = documentMapper;
            return this;
        }

        /** Documents per bulk request, 1..100000, default 1000. */
        public Builder<T> maxBatchActions(int maxBatchActions) {
            this.maxBatchActions = maxBatchActions;
            return this;
        }

        /** Bytes per bulk request, 1 KiB..64 MiB, default 5 MiB. A single larger document is sent alone. */
        public Builder<T> maxBatchBytes(long maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        /** Longest a document waits in the buffer before it is sent, 1 ms..10 min, default 1 s. */
        public Builder<T> maxBufferTime(Duration maxBufferTime) {
            this.maxBufferTime = maxBufferTime;
            return this;
        }

        /**
         * Bulk requests outstanding at once (including ones waiting to be retried), 1..64, default 2. At
         * the limit, {@code write()} waits: that is the back-pressure on the job.
         */
        public Builder<T> maxInFlightRequests(int maxInFlightRequests) {
            this.maxInFlightRequests = maxInFlightRequests;
            return this;
        }

        /** First retry delay, 1 ms..1 min, default 100 ms. */
        public Builder<T> initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** Retry delay cap, initialBackoff..1 h, default 30 s. */
        public Builder<T> maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** 1.0..10.0, default 2. */
        public Builder<T> backoffMultiplier(double backoffMultiplier) {
            this.backoffMultiplier = backoffMultiplier;
            return this;
        }

        /**
         * Attempts per document before the job fails, default unlimited ({@link RetryPolicy#UNLIMITED}).
         * Documents are never dropped after the last attempt: the job fails and replays instead.
         */
        public Builder<T> maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Where permanently rejected documents are recorded, default {@code fenghuo-deadletters}. */
        public Builder<T> deadLetterIndex(String deadLetterIndex) {
            this.deadLetterIndex = deadLetterIndex;
            return this;
        }

        /**
         * Default true: every target must be an existing alias (as created by {@link IndexBootstrap}), so a
         * write can never auto-create a concrete index under an alias name. Turn off only to write to
         * plain indices.
         */
        public Builder<T> requireAlias(boolean requireAlias) {
            this.requireAlias = requireAlias;
            return this;
        }

        public ElasticsearchSink<T> build() {
            if (connection != null && connectionSettingsUsed) {
                throw new IllegalArgumentException(
                        "set either connection(...) or hosts/basicAuth/apiKey/timeouts on the sink builder, not both");
            }
            ElasticsearchConnection conn = connection != null ? connection : connectionBuilder.build();
            Objects.requireNonNull(conn);
            if (documentMapper == null) {
                throw new IllegalArgumentException("documentMapper is required: it maps each element to an IndexDocument");
            }
            Validate.intInRange("maxBatchActions", maxBatchActions, 1, 100_000);
            Validate.longInRange("maxBatchBytes", maxBatchBytes, 1024, 64L * 1024 * 1024);
            Validate.durationInRange("maxBufferTime", maxBufferTime, Duration.ofMillis(1), Duration.ofMinutes(10));
            Validate.intInRange("maxInFlightRequests", maxInFlightRequests, 1, 64);
            RetryPolicy retryPolicy = new RetryPolicy(initialBackoff, maxBackoff, backoffMultiplier, maxAttempts);
            Validate.indexName("deadLetterIndex", deadLetterIndex);
            SinkSettings settings = new SinkSettings(maxBatchActions, maxBatchBytes, maxBufferTime.toMillis(),
                    maxInFlightRequests, retryPolicy, deadLetterIndex, requireAlias);
            return new ElasticsearchSink<>(conn, documentMapper, settings);
        }
    }
}

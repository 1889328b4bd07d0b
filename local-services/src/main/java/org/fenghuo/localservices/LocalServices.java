package org.fenghuo.localservices;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kafka and Elasticsearch for tests and the demo, from whichever {@link ServiceProvider} the options select
 * ({@code local} child processes by default). Closing stops them; so does JVM shutdown.
 *
 * <pre>{@code
 * try (LocalServices services = LocalServices.start()) {
 *     String bootstrap = services.kafkaBootstrapServers();   // 127.0.0.1:39211
 *     String es = services.elasticsearchUrl();               // http://127.0.0.1:39200
 * }
 * }</pre>
 */
public final class LocalServices implements AutoCloseable {
    private final LocalServicesOptions options;
    private final RunningServices running;

    private LocalServices(LocalServicesOptions options, RunningServices running) {
        this.options = options;
        this.running = running;
    }

    /** Starts with settings from system properties and {@code FENGHUO_SERVICES_*} environment variables. */
    public static LocalServices start() {
        return start(LocalServicesOptions.fromEnvironment().build());
    }

    /** Starts the services named in {@code options} in parallel and returns once all of them are ready. */
    public static LocalServices start(LocalServicesOptions options) {
        ServiceProvider provider = ServiceProvider.forName(options.provider());
        return new LocalServices(options, provider.start(options));
    }

    /** {@code 127.0.0.1:PORT}, comma-separated for several brokers; throws if Kafka was not among the services started. */
    public String kafkaBootstrapServers() {
        return running.kafkaBootstrapServers().orElseThrow(() -> notStarted(Service.KAFKA));
    }

    /**
     * {@code http://127.0.0.1:PORT} (no trailing slash) of the first node; throws if Elasticsearch was not among the
     * services started.
     */
    public String elasticsearchUrl() {
        return running.elasticsearchUrl().orElseThrow(() -> notStarted(Service.ELASTICSEARCH));
    }

    /** {@code http://127.0.0.1:PORT} of every Elasticsearch node, the first node's ({@link #elasticsearchUrl()}) first. */
    public List<String> elasticsearchUrls() {
        List<String> urls = running.elasticsearchUrls();
        if (urls.isEmpty()) throw notStarted(Service.ELASTICSEARCH);
        return urls;
    }

    /** Number of Kafka brokers ({@value LocalServicesOptions#KAFKA_BROKERS}); throws if Kafka was not started. */
    public int kafkaBrokers() {
        if (!hasKafka()) throw notStarted(Service.KAFKA);
        return running.kafkaBrokers();
    }

    /**
     * Kills Kafka broker {@code index} (0-based; node id {@code index + 1}) with SIGKILL, as in a crash, and returns once
     * the process is gone. Does nothing if it is not running.
     *
     * @throws UnsupportedOperationException if the provider cannot do this (only {@code local} can)
     */
    public void killKafkaBroker(int index) {
        if (!hasKafka()) throw notStarted(Service.KAFKA);
        running.killKafkaBroker(index);
    }

    /**
     * Starts Kafka broker {@code index} again after {@link #killKafkaBroker}, on the same ports and with the same log
     * directory, and returns once it serves requests and the cluster lists it (its replicas may still be catching up).
     *
     * @throws IllegalStateException if it is running
     * @throws UnsupportedOperationException if the provider cannot do this (only {@code local} can)
     */
    public void startKafkaBroker(int index) {
        if (!hasKafka()) throw notStarted(Service.KAFKA);
        running.startKafkaBroker(index);
    }

    /**
     * Stops every Elasticsearch node gracefully and keeps the data; connections to {@link #elasticsearchUrls()} are
     * refused until {@link #startElasticsearch()}.
     *
     * @throws UnsupportedOperationException if the provider cannot do this (only {@code local} can)
     */
    public void stopElasticsearch() {
        if (!hasElasticsearch()) throw notStarted(Service.ELASTICSEARCH);
        running.stopElasticsearch();
    }

    /**
     * Starts the stopped Elasticsearch nodes again on the same ports with the same data, and returns once every node
     * answers and the cluster is at least yellow with all of them.
     *
     * @throws UnsupportedOperationException if the provider cannot do this (only {@code local} can)
     */
    public void startElasticsearch() {
        if (!hasElasticsearch()) throw notStarted(Service.ELASTICSEARCH);
        running.startElasticsearch();
    }

    public boolean hasKafka() {
        return running.kafkaBootstrapServers().isPresent();
    }

    public boolean hasElasticsearch() {
        return running.elasticsearchUrl().isPresent();
    }

    /**
     * Creates the topics that do not exist yet: replication factor 1 on a single broker; on 3 or more brokers replication
     * factor 3 with {@code min.insync.replicas=2}.
     */
    public void createTopics(Map<String, Integer> nameToPartitions) {
        KafkaTopics.create(kafkaBootstrapServers(), nameToPartitions, Duration.ofSeconds(60), kafkaBrokers());
    }

    /** The run's data and logs (kept after close only if {@code keepRunDirectory}); empty for container providers. */
    public Optional<Path> runDirectory() {
        return running.runDirectory();
    }

    public LocalServicesOptions options() {
        return options;
    }

    /** Stops everything that was started; idempotent. */
    @Override
    public void close() {
        running.close();
    }

    private IllegalStateException notStarted(Service service) {
        return new IllegalStateException(service.label() + " was not started: " + LocalServicesOptions.SERVICES + " = "
                + options.services());
    }

    @Override
    public String toString() {
        return "LocalServices[provider=" + options.provider()
                + running.kafkaBootstrapServers().map(k -> ", kafka=" + k).orElse("")
                + running.elasticsearchUrl().map(e -> ", elasticsearch=" + e).orElse("") + "]";
    }
}

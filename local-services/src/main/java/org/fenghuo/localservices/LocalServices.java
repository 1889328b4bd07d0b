package org.fenghuo.localservices;

import java.nio.file.Path;
import java.time.Duration;
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

    /** {@code 127.0.0.1:PORT}; throws if Kafka was not among the services started. */
    public String kafkaBootstrapServers() {
        return running.kafkaBootstrapServers().orElseThrow(() -> notStarted(Service.KAFKA));
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash); throws if Elasticsearch was not among the services started. */
    public String elasticsearchUrl() {
        return running.elasticsearchUrl().orElseThrow(() -> notStarted(Service.ELASTICSEARCH));
    }

    public boolean hasKafka() {
        return running.kafkaBootstrapServers().isPresent();
    }

    public boolean hasElasticsearch() {
        return running.elasticsearchUrl().isPresent();
    }

    /** Creates the topics that do not exist yet, with replication factor 1. */
    public void createTopics(Map<String, Integer> nameToPartitions) {
        KafkaTopics.create(kafkaBootstrapServers(), nameToPartitions, Duration.ofSeconds(60));
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

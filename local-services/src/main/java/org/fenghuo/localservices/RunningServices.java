package org.fenghuo.localservices;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Services started by a {@link ServiceProvider}; closing stops them. The fault controls (killing a broker, stopping
 * Elasticsearch) are optional: a provider that cannot offer them keeps the defaults, which throw
 * {@link UnsupportedOperationException}.
 */
public interface RunningServices extends AutoCloseable {
    /** {@code host:port}, comma-separated for several brokers, if Kafka was started. */
    Optional<String> kafkaBootstrapServers();

    /** {@code http://host:port} of the first node, if Elasticsearch was started. */
    Optional<String> elasticsearchUrl();

    /** {@code http://host:port} of every node, the first node's first; empty if Elasticsearch was not started. */
    default List<String> elasticsearchUrls() {
        return elasticsearchUrl().map(List::of).orElse(List.of());
    }

    /** Number of Kafka brokers (0 if Kafka was not started). */
    default int kafkaBrokers() {
        return kafkaBootstrapServers().map(s -> s.split(",").length).orElse(0);
    }

    /** SIGKILLs Kafka broker {@code index} (0-based) and returns once it is gone. */
    default void killKafkaBroker(int index) {
        throw unsupported("killKafkaBroker");
    }

    /** Starts Kafka broker {@code index} (0-based) again and returns once it serves requests. */
    default void startKafkaBroker(int index) {
        throw unsupported("startKafkaBroker");
    }

    /** Stops every Elasticsearch node, keeping the data. */
    default void stopElasticsearch() {
        throw unsupported("stopElasticsearch");
    }

    /** Starts the Elasticsearch nodes again with their data and returns once the cluster is at least yellow. */
    default void startElasticsearch() {
        throw unsupported("startElasticsearch");
    }

    /** Where this run keeps its data and logs, if it has such a place on this machine. */
    default Optional<Path> runDirectory() {
        return Optional.empty();
    }

    /** Stops everything; idempotent; does not throw for a service that is already gone. */
    @Override
    void close();

    private UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(operation + " is not supported by " + getClass().getSimpleName()
                + ": fault controls need services this JVM runs as child processes; use "
                + LocalServicesOptions.describe(LocalServicesOptions.PROVIDER) + " = "
                + LocalServicesOptions.PROVIDER_LOCAL);
    }
}

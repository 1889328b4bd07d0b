package org.fenghuo.localservices;

import java.nio.file.Path;
import java.util.Optional;

/** Services started by a {@link ServiceProvider}; closing stops them. */
public interface RunningServices extends AutoCloseable {
    /** {@code host:port}, if Kafka was started. */
    Optional<String> kafkaBootstrapServers();

    /** {@code http://host:port}, if Elasticsearch was started. */
    Optional<String> elasticsearchUrl();

    /** Where this run keeps its data and logs, if it has such a place on this machine. */
    default Optional<Path> runDirectory() {
        return Optional.empty();
    }

    /** Stops everything; idempotent; does not throw for a service that is already gone. */
    @Override
    void close();
}

package org.fenghuo.localservices;

/**
 * A way of running Kafka and Elasticsearch. {@code local} (child processes) is the default and the only one that works
 * without Docker; a Testcontainers implementation can be added behind the same interface.
 */
public interface ServiceProvider {
    /** The value of {@value LocalServicesOptions#PROVIDER} that selects this provider. */
    String name();

    /** Starts the services named in {@code options} and returns once all of them are ready. */
    RunningServices start(LocalServicesOptions options);

    /** The provider selected by {@code name}, e.g. from {@link LocalServicesOptions#provider()}. */
    static ServiceProvider forName(String name) {
        return switch (name) {
            case LocalServicesOptions.PROVIDER_LOCAL -> new LocalProcessProvider();
            case LocalServicesOptions.PROVIDER_TESTCONTAINERS -> new TestcontainersProvider();
            default -> throw new ServicesConfigException(LocalServicesOptions.PROVIDER,
                    LocalServicesOptions.describe(LocalServicesOptions.PROVIDER) + " is '" + name + "'; expected '"
                            + LocalServicesOptions.PROVIDER_LOCAL + "' (default) or '"
                            + LocalServicesOptions.PROVIDER_TESTCONTAINERS + "'");
        };
    }
}

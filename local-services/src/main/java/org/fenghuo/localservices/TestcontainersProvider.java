package org.fenghuo.localservices;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Placeholder for a Testcontainers provider. This build does not include one: the machines it targets have no Docker
 * engine (see DESIGN.md §8), so selecting it fails with a message instead of a Docker client stack trace.
 */
final class TestcontainersProvider implements ServiceProvider {
    @Override
    public String name() {
        return LocalServicesOptions.PROVIDER_TESTCONTAINERS;
    }

    @Override
    public RunningServices start(LocalServicesOptions options) {
        throw new ServicesConfigException(LocalServicesOptions.PROVIDER, message(dockerHint()));
    }

    static String message(String dockerHint) {
        String setting = LocalServicesOptions.describe(LocalServicesOptions.PROVIDER);
        return setting + " is '" + LocalServicesOptions.PROVIDER_TESTCONTAINERS + "', but this build has no "
                + "Testcontainers provider (not implemented yet; it would also need a Docker engine, and " + dockerHint
                + "). Use '" + LocalServicesOptions.PROVIDER_LOCAL + "' (the default), which runs Kafka and "
                + "Elasticsearch as local child processes: unset " + LocalServicesOptions.environmentName(
                LocalServicesOptions.PROVIDER) + " or pass -D" + LocalServicesOptions.PROVIDER + "=local.";
    }

    private static String dockerHint() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return "DOCKER_HOST is set to " + host;
        }
        return Files.exists(Path.of("/var/run/docker.sock"))
                ? "a Docker socket exists at /var/run/docker.sock"
                : "no Docker engine was found on this machine (no /var/run/docker.sock, no DOCKER_HOST)";
    }
}

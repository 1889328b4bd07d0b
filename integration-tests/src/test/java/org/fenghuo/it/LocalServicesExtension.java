package org.fenghuo.it;

import java.nio.file.Path;
import org.fenghuo.localservices.LocalServices;
import org.fenghuo.localservices.LocalServicesOptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Real Kafka and Elasticsearch for integration tests, started once per test JVM and shared by every test class that
 * uses this extension (they live in the root context's store, which JUnit closes when the whole run ends). Declare a
 * parameter of type {@link LocalServices} in a test, constructor or {@code @BeforeAll} method to get them.
 *
 * <p>Runs go to {@code /var/tmp/fenghuo/it} rather than {@code target/}: as root, Elasticsearch runs as a separate
 * user that must be able to enter every directory on the way, which a checkout under {@code /root} does not allow.
 * Override with {@code -Dfenghuo.it.base-dir=DIR} (or the general {@code fenghuo.services.*} settings).
 */
public final class LocalServicesExtension implements BeforeAllCallback, ParameterResolver {
    public static final String BASE_DIR_PROPERTY = "fenghuo.it.base-dir";
    public static final Path DEFAULT_BASE_DIR = Path.of("/var/tmp/fenghuo/it");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalServicesExtension.class);

    /** The shared services, starting them if this is the first request in this JVM. */
    public static LocalServices services(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Shared.class, key -> Shared.start(), Shared.class)
                .get();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // start here rather than lazily in the first test, so that start-up time and failures belong to class set-up
        services(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalServices.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return services(extensionContext);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("local Kafka/Elasticsearch did not start: " + e.getMessage(), e);
        }
    }

    static LocalServicesOptions options() {
        LocalServicesOptions.Builder b = LocalServicesOptions.fromEnvironment();
        String itBase = System.getProperty(BASE_DIR_PROPERTY);
        if (itBase != null && !itBase.isBlank()) {
            b.baseDirectory(Path.of(itBase));
        } else if (!b.isConfigured(LocalServicesOptions.BASE_DIR)) {
            b.baseDirectory(DEFAULT_BASE_DIR);
        }
        if (!b.isConfigured(LocalServicesOptions.DIST_DIR)) {
            // share the unpacked distribution with the demo instead of unpacking 100 MB again for tests
            b.distributionDirectory(LocalServicesOptions.DEFAULT_BASE_DIR.resolve("dist"));
        }
        return b.build();
    }

    /**
     * The services, or the reason they could not start. The failure is remembered so that every later test class fails
     * fast with the same message instead of waiting for another doomed start.
     */
    static final class Shared implements ExtensionContext.Store.CloseableResource {
        private final LocalServices services;
        private final RuntimeException failure;

        private Shared(LocalServices services, RuntimeException failure) {
            this.services = services;
            this.failure = failure;
        }

        static Shared start() {
            try {
                return new Shared(LocalServices.start(options()), null);
            } catch (RuntimeException e) {
                return new Shared(null, e);
            }
        }

        LocalServices get() {
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            return services;
        }

        @Override
        public void close() {
            if (services != null) services.close();
        }
    }
}

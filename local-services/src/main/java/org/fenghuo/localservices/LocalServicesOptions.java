package org.fenghuo.localservices;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How to start the services. Every setting can be given as a system property ({@code fenghuo.services.base-dir})
 * or an environment variable ({@code FENGHUO_SERVICES_BASE_DIR}); the system property wins.
 *
 * @param provider              {@code local} (child processes, the default) or {@code testcontainers}
 * @param baseDirectory         holds {@code runs/} (one directory per start) and, by default, {@code dist/}
 * @param distributionDirectory where the Elasticsearch zip is unpacked once and shared by all runs
 * @param elasticsearchHeap     JVM heap of Elasticsearch, e.g. {@code 1g}
 * @param kafkaHeap             JVM heap of each Kafka broker, e.g. {@code 512m}
 * @param kafkaBrokers          how many Kafka brokers (1, or 3 to 5 for a replicated cluster)
 * @param elasticsearchNodes    how many Elasticsearch nodes form the cluster (1 to 3), each with {@code elasticsearchHeap}
 * @param elasticsearchUser     the system user Elasticsearch runs as when this JVM is root
 * @param elasticsearchJavaHome the JDK Elasticsearch runs on ({@code ES_JAVA_HOME})
 * @param services              which services to start
 * @param startTimeout          how long each service may take to become ready
 * @param keepRunDirectory      keep data and logs of a run after {@code close()} (for debugging)
 * @param progress              where progress lines go
 */
public record LocalServicesOptions(
        String provider,
        Path baseDirectory,
        Path distributionDirectory,
        String elasticsearchHeap,
        String kafkaHeap,
        int kafkaBrokers,
        int elasticsearchNodes,
        String elasticsearchUser,
        Path elasticsearchJavaHome,
        Set<Service> services,
        Duration startTimeout,
        boolean keepRunDirectory,
        PrintStream progress) {

    public static final String PROVIDER = "fenghuo.services.provider";
    public static final String BASE_DIR = "fenghuo.services.base-dir";
    public static final String DIST_DIR = "fenghuo.services.dist-dir";
    public static final String ES_HEAP = "fenghuo.services.es-heap";
    public static final String KAFKA_HEAP = "fenghuo.services.kafka-heap";
    public static final String KAFKA_BROKERS = "fenghuo.services.kafka-brokers";
    public static final String ES_NODES = "fenghuo.services.elasticsearch-nodes";
    public static final String ES_USER = "fenghuo.services.es-user";
    public static final String ES_JAVA_HOME = "fenghuo.services.es-java-home";
    public static final String SERVICES = "fenghuo.services.start";
    public static final String START_TIMEOUT = "fenghuo.services.start-timeout";
    public static final String KEEP_RUN_DIR = "fenghuo.services.keep-run-dir";

    public static final String PROVIDER_LOCAL = "local";
    public static final String PROVIDER_TESTCONTAINERS = "testcontainers";

    public static final Path DEFAULT_BASE_DIR = Path.of("/var/tmp/fenghuo");
    public static final String DEFAULT_ES_HEAP = "1g";
    public static final String DEFAULT_KAFKA_HEAP = "512m";
    public static final int DEFAULT_KAFKA_BROKERS = 1;
    public static final int MAX_KAFKA_BROKERS = 5;
    public static final int DEFAULT_ES_NODES = 1;
    public static final int MAX_ES_NODES = 3;
    public static final String DEFAULT_ES_USER = "fenghuo-es";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);

    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    public LocalServicesOptions {
        Objects.requireNonNull(provider, PROVIDER);
        Objects.requireNonNull(baseDirectory, BASE_DIR);
        Objects.requireNonNull(distributionDirectory, DIST_DIR);
        Objects.requireNonNull(elasticsearchJavaHome, ES_JAVA_HOME);
        Objects.requireNonNull(startTimeout, START_TIMEOUT);
        Objects.requireNonNull(progress, "progress");
        if (!provider.equals(PROVIDER_LOCAL) && !provider.equals(PROVIDER_TESTCONTAINERS)) {
            throw new ServicesConfigException(PROVIDER, describe(PROVIDER) + " is '" + provider
                    + "'; expected '" + PROVIDER_LOCAL + "' (default) or '" + PROVIDER_TESTCONTAINERS + "'");
        }
        checkHeap(ES_HEAP, elasticsearchHeap);
        checkHeap(KAFKA_HEAP, kafkaHeap);
        checkKafkaBrokers(kafkaBrokers);
        if (elasticsearchNodes < 1 || elasticsearchNodes > MAX_ES_NODES) {
            throw new ServicesConfigException(ES_NODES, describe(ES_NODES) + " is " + elasticsearchNodes
                    + "; expected 1 (a single node, the default) to " + MAX_ES_NODES + " (a cluster on loopback, each "
                    + "node with " + ES_HEAP + " of heap)");
        }
        if (elasticsearchUser == null || !USER.matcher(elasticsearchUser).matches()) {
            throw new ServicesConfigException(ES_USER, describe(ES_USER) + " is '" + elasticsearchUser
                    + "'; expected a system user name such as '" + DEFAULT_ES_USER + "'");
        }
        if (services == null || services.isEmpty()) {
            throw new ServicesConfigException(SERVICES, describe(SERVICES) + " names no service; expected a "
                    + "comma-separated list of 'kafka' and 'elasticsearch'");
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new ServicesConfigException(START_TIMEOUT, describe(START_TIMEOUT) + " must be positive");
        }
        baseDirectory = baseDirectory.toAbsolutePath().normalize();
        distributionDirectory = distributionDirectory.toAbsolutePath().normalize();
        services = Collections.unmodifiableSet(EnumSet.copyOf(services));
    }

    /** Defaults only; the environment is not consulted. */
    public static Builder builder() {
        return new Builder();
    }

    /** Defaults, overridden by {@code FENGHUO_SERVICES_*} environment variables, overridden by system properties. */
    public static Builder fromEnvironment() {
        return fromSources(System.getProperties()::getProperty, System.getenv()::get);
    }

    /** {@link #fromEnvironment()} with explicit sources, so that tests need not touch the real environment. */
    static Builder fromSources(Function<String, String> systemProperties, Function<String, String> environment) {
        Builder b = new Builder();
        Function<String, String> lookup = name -> {
            String v = systemProperties.apply(name);
            if (v == null || v.isBlank()) {
                v = environment.apply(environmentName(name));
            }
            if (v == null || v.isBlank()) {
                return null;
            }
            b.configured.add(name);
            return v.trim();
        };
        String v;
        if ((v = lookup.apply(PROVIDER)) != null) b.provider = v.toLowerCase(Locale.ROOT);
        if ((v = lookup.apply(BASE_DIR)) != null) b.baseDirectory = path(BASE_DIR, v);
        if ((v = lookup.apply(DIST_DIR)) != null) b.distributionDirectory = path(DIST_DIR, v);
        if ((v = lookup.apply(ES_HEAP)) != null) b.elasticsearchHeap = v;
        if ((v = lookup.apply(KAFKA_HEAP)) != null) b.kafkaHeap = v;
        if ((v = lookup.apply(KAFKA_BROKERS)) != null) b.kafkaBrokers = parseCount(KAFKA_BROKERS, v);
        if ((v = lookup.apply(ES_NODES)) != null) b.elasticsearchNodes = parseCount(ES_NODES, v);
        if ((v = lookup.apply(ES_USER)) != null) b.elasticsearchUser = v;
        if ((v = lookup.apply(ES_JAVA_HOME)) != null) b.elasticsearchJavaHome = path(ES_JAVA_HOME, v);
        if ((v = lookup.apply(SERVICES)) != null) b.services = parseServices(v);
        if ((v = lookup.apply(START_TIMEOUT)) != null) b.startTimeout = parseSeconds(START_TIMEOUT, v);
        if ((v = lookup.apply(KEEP_RUN_DIR)) != null) b.keepRunDirectory = Boolean.parseBoolean(v);
        return b;
    }

    /** {@code fenghuo.services.base-dir} → {@code FENGHUO_SERVICES_BASE_DIR}. */
    public static String environmentName(String setting) {
        return setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** "fenghuo.services.x (env FENGHUO_SERVICES_X)", for error messages. */
    static String describe(String setting) {
        return setting + " (env " + environmentName(setting) + ")";
    }

    public boolean starts(Service service) {
        return services.contains(service);
    }

    /** One sub-directory per start lives here. */
    public Path runsDirectory() {
        return baseDirectory.resolve("runs");
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.provider = provider;
        b.baseDirectory = baseDirectory;
        b.distributionDirectory = distributionDirectory;
        b.elasticsearchHeap = elasticsearchHeap;
        b.kafkaHeap = kafkaHeap;
        b.kafkaBrokers = kafkaBrokers;
        b.elasticsearchNodes = elasticsearchNodes;
        b.elasticsearchUser = elasticsearchUser;
        b.elasticsearchJavaHome = elasticsearchJavaHome;
        b.services = EnumSet.copyOf(services);
        b.startTimeout = startTimeout;
        b.keepRunDirectory = keepRunDirectory;
        b.progress = progress;
        return b;
    }

    private static void checkHeap(String setting, String value) {
        if (value == null || !HEAP.matcher(value).matches()) {
            throw new ServicesConfigException(setting, describe(setting) + " is '" + value
                    + "'; expected a JVM memory size such as 512m or 1g");
        }
    }

    /**
     * 1, or 3 to 5. Two brokers would be the worst of both: a KRaft quorum of two voters needs both, so losing either
     * stops the cluster, and a replication factor of 2 with {@code min.insync.replicas=2} stops writes just the same.
     */
    private static void checkKafkaBrokers(int brokers) {
        if (brokers == 1 || (brokers >= 3 && brokers <= MAX_KAFKA_BROKERS)) return;
        String why = brokers == 2
                ? " (two brokers survive no failure: a KRaft quorum of two controllers needs both)"
                : "";
        throw new ServicesConfigException(KAFKA_BROKERS, describe(KAFKA_BROKERS) + " is " + brokers + why
                + "; expected 1 (a single broker, the default) or 3 to " + MAX_KAFKA_BROKERS
                + " (a replicated cluster: replication factor 3, min.insync.replicas 2)");
    }

    private static int parseCount(String setting, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ServicesConfigException(setting, describe(setting) + " is '" + value
                    + "'; expected a whole number such as 1 or 3", e);
        }
    }

    private static Path path(String setting, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ServicesConfigException(setting, describe(setting) + " is not a valid path: " + value, e);
        }
    }

    static Set<Service> parseServices(String value) {
        Set<Service> result = EnumSet.noneOf(Service.class);
        for (String part : value.split("[,\\s]+")) {
            if (part.isEmpty()) continue;
            String p = part.toLowerCase(Locale.ROOT);
            switch (p) {
                case "kafka" -> result.add(Service.KAFKA);
                case "elasticsearch", "es" -> result.add(Service.ELASTICSEARCH);
                case "all", "both" -> result.addAll(EnumSet.allOf(Service.class));
                default -> throw new ServicesConfigException(SERVICES, describe(SERVICES) + " names unknown service '"
                        + part + "'; expected 'kafka' and/or 'elasticsearch'");
            }
        }
        if (result.isEmpty()) {
            throw new ServicesConfigException(SERVICES, describe(SERVICES) + " names no service");
        }
        return result;
    }

    private static Duration parseSeconds(String setting, String value) {
        try {
            String v = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new ServicesConfigException(setting, describe(setting) + " is '" + value
                    + "'; expected a number of seconds", e);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final Set<String> configured = new HashSet<>();
        private String provider = PROVIDER_LOCAL;
        private Path baseDirectory = DEFAULT_BASE_DIR;
        private Path distributionDirectory; // null: <baseDirectory>/dist
        private String elasticsearchHeap = DEFAULT_ES_HEAP;
        private String kafkaHeap = DEFAULT_KAFKA_HEAP;
        private int kafkaBrokers = DEFAULT_KAFKA_BROKERS;
        private int elasticsearchNodes = DEFAULT_ES_NODES;
        private String elasticsearchUser = DEFAULT_ES_USER;
        private Path elasticsearchJavaHome = Path.of(System.getProperty("java.home"));
        private Set<Service> services = EnumSet.allOf(Service.class);
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private boolean keepRunDirectory;
        private PrintStream progress = System.out;

        private Builder() {
        }

        /** Whether the environment or a system property gave this setting (only for builders from {@link #fromEnvironment()}). */
        public boolean isConfigured(String setting) {
            return configured.contains(setting);
        }

        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        public Builder baseDirectory(Path baseDirectory) {
            this.baseDirectory = baseDirectory;
            return this;
        }

        public Builder distributionDirectory(Path distributionDirectory) {
            this.distributionDirectory = distributionDirectory;
            return this;
        }

        public Builder elasticsearchHeap(String heap) {
            this.elasticsearchHeap = heap;
            return this;
        }

        public Builder kafkaHeap(String heap) {
            this.kafkaHeap = heap;
            return this;
        }

        /** 1 (the default), or 3 to 5 brokers with replication factor 3 and {@code min.insync.replicas=2}. */
        public Builder kafkaBrokers(int brokers) {
            this.kafkaBrokers = brokers;
            return this;
        }

        /** 1 (the default) to 3 Elasticsearch nodes forming one cluster, each with the Elasticsearch heap. */
        public Builder elasticsearchNodes(int nodes) {
            this.elasticsearchNodes = nodes;
            return this;
        }

        public Builder elasticsearchUser(String user) {
            this.elasticsearchUser = user;
            return this;
        }

        public Builder elasticsearchJavaHome(Path javaHome) {
            this.elasticsearchJavaHome = javaHome;
            return this;
        }

        public Builder services(Set<Service> services) {
            this.services = services.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(services);
            return this;
        }

        public Builder services(Service first, Service... rest) {
            this.services = EnumSet.of(first, rest);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Builder keepRunDirectory(boolean keep) {
            this.keepRunDirectory = keep;
            return this;
        }

        public Builder progress(PrintStream progress) {
            this.progress = progress;
            return this;
        }

        public LocalServicesOptions build() {
            Path base = baseDirectory == null ? DEFAULT_BASE_DIR : baseDirectory;
            Path dist = distributionDirectory != null ? distributionDirectory : base.resolve("dist");
            return new LocalServicesOptions(provider, base, dist, elasticsearchHeap, kafkaHeap, kafkaBrokers,
                    elasticsearchNodes, elasticsearchUser, elasticsearchJavaHome, services, startTimeout, keepRunDirectory,
                    progress);
        }
    }
}

package org.fenghuo.localservices;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka (broker and controller in one JVM) running as a child process, with storage, config and
 * logs in a directory it owns.
 */
public final class LocalKafka implements AutoCloseable {
    static final String CLASSPATH_RESOURCE = "org/fenghuo/localservices/kafka.classpath";
    private static final int START_ATTEMPTS = 2;

    private final LocalServicesOptions options;
    private final Path directory;
    private final PrintStream progress;
    private volatile ChildProcess broker;
    private volatile int port = -1;
    private volatile boolean closed;

    /** @param directory a directory this instance owns (created if missing); data, config and logs go there */
    public LocalKafka(LocalServicesOptions options, Path directory) {
        this.options = options;
        this.directory = directory.toAbsolutePath().normalize();
        this.progress = options.progress();
    }

    /** Formats storage, starts the broker and returns once it answers an AdminClient. */
    public synchronized void start() {
        if (broker != null) throw new IllegalStateException("kafka already started");
        long t0 = System.nanoTime();
        List<String> classpath = classpath();
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce(classpath, t0);
                return;
            } catch (PortTakenException e) {
                if (attempt >= START_ATTEMPTS || closed) throw e.failure;
                progress.println("[services] kafka: a port was taken by another process; retrying with new ports");
            }
        }
    }

    private void startOnce(List<String> classpath, long t0) {
        int[] ports = Ports.allocate(2);
        RunDirectories.deleteRecursively(directory.resolve("data"));
        try {
            Files.createDirectories(directory.resolve("data"));
            Files.writeString(directory.resolve("server.properties"),
                    serverProperties(ports[0], ports[1], directory.resolve("data")), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("log4j2.properties"), LOG4J2_PROPERTIES, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServicesConfigException(LocalServicesOptions.BASE_DIR, "kafka: cannot write to " + directory
                    + " (" + RunDirectories.describe(e) + ")", e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path config = directory.resolve("server.properties");

        // a separate, short-lived JVM because the broker refuses to start on unformatted storage
        List<String> format = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"),
                "-cp", String.join(File.pathSeparator, classpath), "kafka.tools.StorageTool", "format",
                "--standalone", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        Path formatOut = directory.resolve("format.out");
        ChildProcess formatter = ChildProcess.start("kafka-format", format, Map.of(), directory, formatOut,
                directory.resolve("format" + RunDirectories.PID_FILE_SUFFIX));
        try {
            if (!formatter.process().waitFor(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                formatter.stop(Duration.ofSeconds(5));
                throw new ServicesException("kafka: formatting storage timed out after "
                        + options.startTimeout().toSeconds() + " s\n--- " + formatOut + " ---\n"
                        + ChildProcess.tail(formatOut, 40));
            }
        } catch (InterruptedException e) {
            formatter.stop(Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw new ServicesException("kafka: interrupted while formatting storage", e);
        }
        if (formatter.process().exitValue() != 0) {
            throw new ServicesException("kafka: formatting storage failed (exit " + formatter.process().exitValue()
                    + ")\n--- " + formatOut + " ---\n" + ChildProcess.tail(formatOut, 40));
        }
        if (closed) throw new ServicesException("kafka: stopped while starting");

        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + options.kafkaHeap(),
                "-Xms" + options.kafkaHeap(), "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"),
                "-cp", String.join(File.pathSeparator, classpath), "kafka.Kafka", config.toString()));
        Path out = directory.resolve("kafka.out");
        progress.println("[services] kafka: starting broker (heap " + options.kafkaHeap() + ") …");
        ChildProcess child = ChildProcess.start("kafka", command, Map.of(), directory, out,
                directory.resolve("kafka" + RunDirectories.PID_FILE_SUFFIX));
        broker = child;
        port = ports[0];
        try {
            awaitReady(child, ports[0], out, System.nanoTime() + options.startTimeout().toNanos());
        } catch (ServicesException e) {
            child.stop(Duration.ofSeconds(10));
            broker = null;
            String log = ChildProcess.tail(out, 200);
            if (!closed && (log.contains("Address already in use") || log.contains("BindException"))) {
                throw new PortTakenException(e);
            }
            throw e;
        }
        progress.printf("[services] kafka: ready at %s (%.1f s)%n", bootstrapServers(),
                (System.nanoTime() - t0) / 1e9);
    }

    private void awaitReady(ChildProcess child, int brokerPort, Path out, long deadline) {
        // TCP first: an AdminClient pointed at a closed port logs a warning per retry
        while (!Ports.accepts("127.0.0.1", brokerPort, 500)) {
            checkRunning(child, out, deadline);
            sleep(100);
        }
        try (Admin admin = Admin.create(KafkaTopics.adminProperties("127.0.0.1:" + brokerPort))) {
            while (true) {
                checkRunning(child, out, deadline);
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) return;
                } catch (ExecutionException | TimeoutException e) {
                    // broker not registered with the controller yet
                }
                sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServicesException("kafka: interrupted while waiting for the broker", e);
        }
    }

    private void checkRunning(ChildProcess child, Path out, long deadline) {
        if (closed) throw new ServicesException("kafka: stopped while starting");
        if (!child.isAlive()) {
            throw new ServicesException("kafka: broker exited during start-up (exit " + child.process().exitValue()
                    + ")\n--- last lines of " + out + " ---\n" + ChildProcess.tail(out, 40));
        }
        if (System.nanoTime() > deadline) {
            throw new ServicesException("kafka: broker not ready after " + options.startTimeout().toSeconds()
                    + " s (" + LocalServicesOptions.describe(LocalServicesOptions.START_TIMEOUT) + ")\n--- last lines of "
                    + out + " ---\n" + ChildProcess.tail(out, 40));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServicesException("kafka: interrupted while waiting for the broker", e);
        }
    }

    /** {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        if (port < 0) throw new IllegalStateException("kafka is not started");
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return directory;
    }

    /** Creates topics that do not exist yet (replication factor 1). */
    public void createTopics(Map<String, Integer> nameToPartitions) {
        KafkaTopics.create(bootstrapServers(), nameToPartitions, Duration.ofSeconds(60));
    }

    /** Stops the broker: SIGTERM (a controlled shutdown), SIGKILL after 20 s. Idempotent. */
    @Override
    public void close() {
        closed = true;
        ChildProcess b = broker;
        if (b != null) {
            b.stop(Duration.ofSeconds(20));
        }
    }

    static List<String> classpath() {
        String text = ElasticsearchDistribution.readResource(CLASSPATH_RESOURCE).trim();
        List<String> entries = new ArrayList<>();
        for (String e : text.split(File.pathSeparator)) {
            if (e.isBlank()) continue;
            if (!Files.exists(Path.of(e))) {
                throw new ServicesException("kafka: " + e + " (recorded at build time in " + CLASSPATH_RESOURCE
                        + ") is missing: rebuild fenghuo-local-services (mvn -pl local-services install) so Maven "
                        + "downloads it again");
            }
            entries.add(e);
        }
        if (entries.stream().noneMatch(e -> e.contains("kafka_2.13"))) {
            throw new ServicesException("kafka: " + CLASSPATH_RESOURCE + " does not list kafka_2.13; rebuild "
                    + "fenghuo-local-services with Maven");
        }
        return entries;
    }

    /** The broker's configuration: one node that is both broker and controller, on loopback only. */
    static String serverProperties(int brokerPort, int controllerPort, Path dataDirectory) {
        String broker = "127.0.0.1:" + brokerPort;
        String controller = "127.0.0.1:" + controllerPort;
        return String.join("\n",
                "# written by fenghuo-local-services; regenerated on every start",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controller,
                "advertised.listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controller,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                // dynamic quorum (KIP-853): formatted with --standalone, so no static controller.quorum.voters
                "controller.quorum.bootstrap.servers=" + controller,
                "log.dirs=" + dataDirectory.toAbsolutePath(),
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                // fewer internal partitions: creating 50 of each on first use costs seconds on two cores
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "share.coordinator.state.topic.num.partitions=4",
                // tests and the demo start consumers right after the broker; the default 3 s delay only slows them
                "group.initial.rebalance.delay.ms=0",
                // topics are a contract (DESIGN §7): a typo in a topic name must fail, not create a new topic
                "auto.create.topics.enable=false",
                "log.retention.hours=168",
                "log.segment.bytes=67108864",
                "");
    }

    private static final String LOG4J2_PROPERTIES = String.join("\n",
            "# written by fenghuo-local-services: the broker logs to stdout, which goes to kafka.out",
            "status = warn",
            // Kafka's own shutdown hook logs the controlled shutdown; log4j's hook would stop logging half-way
            "shutdownHook = disable",
            "appender.out.type = Console",
            "appender.out.name = STDOUT",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.out.ref = STDOUT",
            "logger.request.name = kafka.request.logger",
            "logger.request.level = WARN",
            "logger.state.name = state.change.logger",
            "logger.state.level = WARN",
            "logger.cleaner.name = kafka.log.LogCleaner",
            "logger.cleaner.level = WARN",
            "");

    /** The broker lost a race for its port; retried with new ports. */
    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ServicesException failure;

        PortTakenException(ServicesException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}

package org.fenghuo.localservices;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;

/**
 * KRaft Kafka running as child processes, with storage, config and logs in a directory it owns: one node that is both
 * broker and controller, or (with {@link LocalServicesOptions#kafkaBrokers()} of 3 to 5) that many such nodes forming
 * one cluster with a static controller quorum, replication factor 3 and {@code min.insync.replicas=2}. Brokers can be
 * killed and started again ({@link #killBroker}, {@link #startBroker}) for fault tests.
 */
public final class LocalKafka implements AutoCloseable {
    static final String CLASSPATH_RESOURCE = "org/fenghuo/localservices/kafka.classpath";
    private static final int START_ATTEMPTS = 2;
    /** A group and a transactional id that never exist: looking them up makes the brokers create the internal topics. */
    private static final String WARM_UP_ID = "fenghuo-local-services-warm-up";

    private final LocalServicesOptions options;
    private final Path directory;
    private final PrintStream progress;
    private final int brokerCount;
    private final AtomicReferenceArray<ChildProcess> brokers;
    /** The PLAINTEXT and CONTROLLER ports of broker i (node id i + 1); null until started. */
    private volatile int[] brokerPorts;
    private volatile int[] controllerPorts;
    private volatile List<String> brokerClasspath;
    private volatile boolean closed;

    /** @param directory a directory this instance owns (created if missing); data, config and logs go there */
    public LocalKafka(LocalServicesOptions options, Path directory) {
        this.options = options;
        this.directory = directory.toAbsolutePath().normalize();
        this.progress = options.progress();
        this.brokerCount = options.kafkaBrokers();
        this.brokers = new AtomicReferenceArray<>(brokerCount);
    }

    /** Formats storage, starts the brokers and returns once an AdminClient sees all of them. */
    public synchronized void start() {
        if (brokerPorts != null) throw new IllegalStateException("kafka already started");
        long t0 = System.nanoTime();
        brokerClasspath = classpath();
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce(t0);
                return;
            } catch (PortTakenException e) {
                if (attempt >= START_ATTEMPTS || closed) throw e.failure;
                progress.println("[services] kafka: a port was taken by another process; retrying with new ports");
            }
        }
    }

    private void startOnce(long t0) {
        int[] ports = Ports.allocate(2 * brokerCount);
        int[] plaintext = Arrays.copyOfRange(ports, 0, brokerCount);
        int[] controller = Arrays.copyOfRange(ports, brokerCount, 2 * brokerCount);
        try {
            Files.createDirectories(directory);
            Files.writeString(log4jFile(), LOG4J2_PROPERTIES, StandardCharsets.UTF_8);
            for (int i = 0; i < brokerCount; i++) {
                Path dir = brokerDirectory(i);
                RunDirectories.deleteRecursively(dir.resolve("data"));
                Files.createDirectories(dir.resolve("data"));
                Files.writeString(dir.resolve("server.properties"),
                        serverProperties(i + 1, plaintext, controller, dir.resolve("data")), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ServicesConfigException(LocalServicesOptions.BASE_DIR, "kafka: cannot write to " + directory
                    + " (" + RunDirectories.describe(e) + ")", e);
        }
        format(Uuid.randomUuid().toString());
        if (closed) throw new ServicesException("kafka: stopped while starting");

        progress.println(brokerCount == 1
                ? "[services] kafka: starting broker (heap " + options.kafkaHeap() + ") …"
                : "[services] kafka: starting " + brokerCount + " brokers (heap " + options.kafkaHeap() + " each) …");
        brokerPorts = plaintext;
        controllerPorts = controller;
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        try {
            for (int i = 0; i < brokerCount; i++) {
                brokers.set(i, launch(i));
            }
            awaitClusterReady(deadline);
            if (brokerCount >= 3) {
                createInternalTopics(deadline);
            }
        } catch (ServicesException e) {
            stopAll();
            boolean portTaken = false;
            for (int i = 0; i < brokerCount; i++) {
                String log = ChildProcess.tail(brokerDirectory(i).resolve("kafka.out"), 200);
                portTaken |= log.contains("Address already in use") || log.contains("BindException");
                brokers.set(i, null);
            }
            brokerPorts = null;
            controllerPorts = null;
            if (!closed && portTaken) {
                throw new PortTakenException(e);
            }
            throw e;
        }
        if (brokerCount == 1) {
            progress.printf("[services] kafka: ready at %s (%.1f s)%n", bootstrapServers(), (System.nanoTime() - t0) / 1e9);
        } else {
            progress.printf("[services] kafka: %d brokers ready at %s (%.1f s)%n", brokerCount, bootstrapServers(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Formats the storage of every broker, in parallel (a separate, short-lived JVM each, because a broker refuses to
     * start on unformatted storage). A single node forms a dynamic quorum of itself ({@code --standalone}); a cluster has
     * its static {@code controller.quorum.voters}.
     */
    private void format(String clusterId) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<ChildProcess> formatters = new ArrayList<>();
        try {
            for (int i = 0; i < brokerCount; i++) {
                Path dir = brokerDirectory(i);
                List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=" + log4jFile(),
                        "-cp", String.join(File.pathSeparator, brokerClasspath), "kafka.tools.StorageTool", "format"));
                if (brokerCount == 1) command.add("--standalone");
                command.addAll(List.of("-t", clusterId, "-c", dir.resolve("server.properties").toString()));
                formatters.add(ChildProcess.start("kafka-format", command, Map.of(), dir, dir.resolve("format.out"),
                        dir.resolve("format" + RunDirectories.PID_FILE_SUFFIX)));
            }
            long deadline = System.nanoTime() + options.startTimeout().toNanos();
            for (int i = 0; i < brokerCount; i++) {
                ChildProcess formatter = formatters.get(i);
                Path formatOut = brokerDirectory(i).resolve("format.out");
                long left = Math.max(0, deadline - System.nanoTime());
                if (!formatter.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    throw new ServicesException("kafka: formatting storage timed out after "
                            + options.startTimeout().toSeconds() + " s\n--- " + formatOut + " ---\n"
                            + ChildProcess.tail(formatOut, 40));
                }
                if (formatter.process().exitValue() != 0) {
                    throw new ServicesException("kafka: formatting storage failed (exit "
                            + formatter.process().exitValue() + ")\n--- " + formatOut + " ---\n"
                            + ChildProcess.tail(formatOut, 40));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServicesException("kafka: interrupted while formatting storage", e);
        } finally {
            formatters.stream().filter(ChildProcess::isAlive).forEach(f -> f.stop(Duration.ofSeconds(5)));
        }
    }

    /** Starts the JVM of broker {@code index} with the config written by the first start. */
    private ChildProcess launch(int index) {
        Path dir = brokerDirectory(index);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + options.kafkaHeap(),
                "-Xms" + options.kafkaHeap(), "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4jFile(),
                "-cp", String.join(File.pathSeparator, brokerClasspath), "kafka.Kafka",
                dir.resolve("server.properties").toString()));
        return ChildProcess.start(brokerCount == 1 ? "kafka" : "kafka-" + (index + 1), command, Map.of(), dir,
                dir.resolve("kafka.out"), dir.resolve("kafka" + RunDirectories.PID_FILE_SUFFIX));
    }

    private void awaitClusterReady(long deadline) {
        // TCP first: an AdminClient pointed at a closed port logs a warning per retry. A KRaft broker opens its
        // PLAINTEXT port only once the controller has unfenced it.
        for (int i = 0; i < brokerCount; i++) {
            while (!Ports.accepts("127.0.0.1", brokerPorts[i], 500)) {
                checkAllRunning(deadline);
                sleep(100);
            }
        }
        try (Admin admin = Admin.create(KafkaTopics.adminProperties(bootstrapServers()))) {
            while (true) {
                checkAllRunning(deadline);
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= brokerCount) return;
                } catch (ExecutionException | TimeoutException e) {
                    // a broker not registered with the controller yet
                }
                sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServicesException("kafka: interrupted while waiting for the brokers", e);
        }
    }

    /**
     * Makes the brokers create {@code __consumer_offsets} and {@code __transaction_state} now, while every broker is up.
     * Created on first use instead, they would need 3 live brokers at that moment: a consumer group or transaction
     * first used while a broker is down would find no coordinator until it is back.
     */
    private void createInternalTopics(long deadline) {
        try (Admin admin = Admin.create(KafkaTopics.adminProperties(bootstrapServers()))) {
            while (true) {
                checkAllRunning(deadline);
                try {
                    admin.describeConsumerGroups(List.of(WARM_UP_ID)).all().get(10, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GroupIdNotFoundException) break;
                } catch (TimeoutException e) {
                    // the coordinator is not available until the topic exists
                }
                sleep(200);
            }
            while (true) {
                checkAllRunning(deadline);
                try {
                    admin.describeTransactions(List.of(WARM_UP_ID)).all().get(10, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TransactionalIdNotFoundException) break;
                } catch (TimeoutException e) {
                    // the coordinator is not available until the topic exists
                }
                sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServicesException("kafka: interrupted while creating the internal topics", e);
        }
    }

    /** Number of brokers: 1, or 3 to 5. */
    public int brokerCount() {
        return brokerCount;
    }

    /** Whether the process of broker {@code index} (0-based; node id {@code index + 1}) is alive. */
    public boolean isBrokerRunning(int index) {
        checkIndex(index);
        ChildProcess b = brokers.get(index);
        return b != null && b.isAlive();
    }

    /**
     * Kills broker {@code index} (0-based; node id {@code index + 1}) with SIGKILL, as in a crash: no controlled
     * shutdown, no flush. Returns once the process has exited. Does nothing if it is not running.
     */
    public synchronized void killBroker(int index) {
        checkIndex(index);
        requireStarted();
        ChildProcess b = brokers.get(index);
        if (b == null || !b.isAlive()) {
            progress.println("[services] kafka: broker " + (index + 1) + " is not running; nothing to kill");
            return;
        }
        long t0 = System.nanoTime();
        b.kill();
        progress.printf("[services] kafka: killed broker %d (SIGKILL, pid %d, 127.0.0.1:%d) (%.1f s)%n", index + 1,
                b.pid(), brokerPorts[index], (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Starts broker {@code index} (0-based; node id {@code index + 1}) again after {@link #killBroker}, on the same ports
     * and with the same log directory, and returns once it serves requests and the cluster lists it (its PLAINTEXT
     * port opens only after the controller has unfenced it). Its replicas may still be catching up.
     */
    public synchronized void startBroker(int index) {
        checkIndex(index);
        requireStarted();
        if (closed) throw new IllegalStateException("kafka is closed");
        if (isBrokerRunning(index)) {
            throw new IllegalStateException("kafka: broker " + (index + 1) + " (index " + index + ") is running; "
                    + "kill it first");
        }
        int id = index + 1;
        int port = brokerPorts[index];
        long t0 = System.nanoTime();
        progress.println("[services] kafka: starting broker " + id + " again at 127.0.0.1:" + port + " …");
        ChildProcess child = launch(index);
        brokers.set(index, child);
        long deadline = t0 + options.startTimeout().toNanos();
        try {
            while (!Ports.accepts("127.0.0.1", port, 500)) {
                checkRunning(index, deadline);
                sleep(100);
            }
            try (Admin admin = Admin.create(KafkaTopics.adminProperties(bootstrapServers()))) {
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(id));
                while (true) {
                    checkRunning(index, deadline);
                    try {
                        boolean listed = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                                .anyMatch(n -> n.id() == id);
                        // sent to this broker itself: it answers only once it has started
                        if (listed && !admin.describeConfigs(List.of(broker)).all().get(5, TimeUnit.SECONDS).isEmpty()) {
                            break;
                        }
                    } catch (ExecutionException | TimeoutException e) {
                        // not registered or not serving yet
                    }
                    sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServicesException("kafka: interrupted while waiting for broker " + id, e);
            }
        } catch (ServicesException e) {
            child.stop(Duration.ofSeconds(10));
            throw e;
        }
        progress.printf("[services] kafka: broker %d is back at 127.0.0.1:%d (%.1f s)%n", id, port,
                (System.nanoTime() - t0) / 1e9);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= brokerCount) {
            throw new IndexOutOfBoundsException("kafka broker index " + index + " is out of range: there "
                    + (brokerCount == 1 ? "is 1 broker (index 0)" : "are " + brokerCount + " brokers (index 0 to "
                    + (brokerCount - 1) + ")") + "; " + LocalServicesOptions.describe(LocalServicesOptions.KAFKA_BROKERS)
                    + " sets how many");
        }
    }

    private void requireStarted() {
        if (brokerPorts == null) throw new IllegalStateException("kafka is not started");
    }

    private void checkAllRunning(long deadline) {
        for (int i = 0; i < brokerCount; i++) {
            checkRunning(i, deadline);
        }
    }

    private void checkRunning(int index, long deadline) {
        String label = brokerCount == 1 ? "broker" : "broker " + (index + 1);
        Path out = brokerDirectory(index).resolve("kafka.out");
        ChildProcess child = brokers.get(index);
        if (closed) throw new ServicesException("kafka: stopped while starting");
        if (child == null || !child.isAlive()) {
            String exit = child == null ? "" : " (exit " + child.process().exitValue() + ")";
            throw new ServicesException("kafka: " + label + " exited during start-up" + exit
                    + "\n--- last lines of " + out + " ---\n" + ChildProcess.tail(out, 40));
        }
        if (System.nanoTime() > deadline) {
            throw new ServicesException("kafka: " + label + " not ready after " + options.startTimeout().toSeconds()
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

    /** {@code 127.0.0.1:PORT}, comma-separated for several brokers. */
    public String bootstrapServers() {
        int[] ports = brokerPorts;
        if (ports == null) throw new IllegalStateException("kafka is not started");
        return Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The PLAINTEXT port of the first broker, or -1 if not started. */
    public int port() {
        int[] ports = brokerPorts;
        return ports == null ? -1 : ports[0];
    }

    public Path directory() {
        return directory;
    }

    /** Where broker {@code index} keeps its config, data and output: the Kafka directory itself for a single broker. */
    Path brokerDirectory(int index) {
        return brokerCount == 1 ? directory : directory.resolve("broker-" + (index + 1));
    }

    private Path log4jFile() {
        return directory.resolve("log4j2.properties");
    }

    /** Creates topics that do not exist yet (replication factor 1 on a single broker, else 3). */
    public void createTopics(Map<String, Integer> nameToPartitions) {
        KafkaTopics.create(bootstrapServers(), nameToPartitions, Duration.ofSeconds(60), brokerCount);
    }

    /** Stops the brokers, in parallel: SIGTERM (a controlled shutdown), SIGKILL after 20 s. Idempotent. */
    @Override
    public void close() {
        closed = true;
        stopAll();
    }

    private void stopAll() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (int i = 0; i < brokerCount; i++) {
            ChildProcess b = brokers.get(i);
            if (b == null) continue;
            stops.add(CompletableFuture.runAsync(() -> b.stop(Duration.ofSeconds(20)), r -> {
                Thread t = new Thread(r, "fenghuo-stop-" + b.name());
                t.setDaemon(true);
                t.start();
            }));
        }
        stops.forEach(CompletableFuture::join);
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

    /** The configuration of a single node that is both broker and controller, on loopback only. */
    static String serverProperties(int brokerPort, int controllerPort, Path dataDirectory) {
        return serverProperties(1, new int[] {brokerPort}, new int[] {controllerPort}, dataDirectory);
    }

    /**
     * The configuration of node {@code nodeId} (1-based) of a cluster whose node i listens on {@code brokerPorts[i - 1]}
     * and {@code controllerPorts[i - 1]}: every node is both broker and controller, on loopback only. A single node uses a
     * dynamic quorum of itself; a cluster a static quorum of all nodes, replication factor 3 and min ISR 2 from 3 nodes.
     */
    static String serverProperties(int nodeId, int[] brokerPorts, int[] controllerPorts, Path dataDirectory) {
        int nodes = brokerPorts.length;
        String broker = "127.0.0.1:" + brokerPorts[nodeId - 1];
        String controller = "127.0.0.1:" + controllerPorts[nodeId - 1];
        String replication = String.valueOf(KafkaTopics.replicationFactor(nodes));
        String minIsr = KafkaTopics.replicationFactor(nodes) >= 3 ? "2" : "1";
        String quorum = nodes == 1
                // dynamic quorum (KIP-853): formatted with --standalone, so no static controller.quorum.voters
                ? "controller.quorum.bootstrap.servers=" + controller
                // static quorum: every node formatted with the same voters, no --initial-controllers needed
                : "controller.quorum.voters=" + IntStream.range(0, nodes)
                        .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts[i]).collect(Collectors.joining(","));
        return String.join("\n",
                "# written by fenghuo-local-services; regenerated on every start",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controller,
                "advertised.listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controller,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                quorum,
                "log.dirs=" + dataDirectory.toAbsolutePath(),
                "num.partitions=1",
                "default.replication.factor=" + replication,
                "min.insync.replicas=" + minIsr,
                "offsets.topic.replication.factor=" + replication,
                // fewer internal partitions: creating 50 of each on first use costs seconds on two cores
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=" + replication,
                "transaction.state.log.min.isr=" + minIsr,
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=" + replication,
                "share.coordinator.state.topic.min.isr=" + minIsr,
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

    /** A broker lost a race for its port; retried with new ports. */
    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ServicesException failure;

        PortTakenException(ServicesException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}

package org.fenghuo.localservices;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Elasticsearch from the Maven Central zip running as child processes, with config, data and logs in a directory it
 * owns: a single node, or (with {@link LocalServicesOptions#elasticsearchNodes()} of 2 or 3) that many nodes forming one
 * cluster on loopback. When this JVM is root, Elasticsearch runs as a dedicated system user (it refuses root). The
 * nodes can be stopped and started again with their data ({@link #stop}, {@link #startAgain}) for fault tests.
 */
public final class LocalElasticsearch implements AutoCloseable {
    static final String CLUSTER_NAME = "fenghuo-local";
    private static final int START_ATTEMPTS = 2;

    private final LocalServicesOptions options;
    private final Path directory;
    private final PrintStream progress;
    private final int nodeCount;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final AtomicReferenceArray<ChildProcess> nodes;
    /** HTTP and transport ports of node i; null until started. */
    private volatile int[] httpPorts;
    private volatile int[] transportPorts;
    private volatile Path home;
    private volatile String user;
    private volatile boolean closed;

    /** @param directory a directory this instance owns (created if missing); config, data and logs go there */
    public LocalElasticsearch(LocalServicesOptions options, Path directory) {
        this.options = options;
        this.directory = directory.toAbsolutePath().normalize();
        this.progress = options.progress();
        this.nodeCount = options.elasticsearchNodes();
        this.nodes = new AtomicReferenceArray<>(nodeCount);
    }

    /**
     * Unpacks the distribution if needed, starts the nodes and returns once the cluster is at least yellow with all of
     * them.
     */
    public synchronized void start() {
        if (httpPorts != null) throw new IllegalStateException("elasticsearch already started");
        long t0 = System.nanoTime();
        String runAs = preflight();
        Path unpacked = ElasticsearchDistribution.ensureUnpacked(ElasticsearchDistribution.locateZip(),
                options.distributionDirectory(), progress);
        if (runAs != null) {
            SystemUsers.checkTraversable(unpacked.resolve("bin"), runAs, LocalServicesOptions.DIST_DIR);
        }
        home = unpacked;
        user = runAs;
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce(t0);
                return;
            } catch (PortTakenException e) {
                if (attempt >= START_ATTEMPTS || closed) throw e.failure;
                progress.println("[services] elasticsearch: a port was taken by another process; retrying with new ports");
            }
        }
    }

    /**
     * Checks what can be checked before anything starts, so that a bad directory fails fast instead of after Kafka has
     * come up. Creates the Elasticsearch user if this JVM is root and it does not exist yet.
     *
     * @return the user Elasticsearch will run as, or null to run it as the current user
     */
    public String preflight() {
        if (!SystemUsers.runningAsRoot()) return null;
        String runAs = options.elasticsearchUser();
        SystemUsers.ensureUser(runAs);
        SystemUsers.checkTraversable(directory, runAs, LocalServicesOptions.BASE_DIR);
        SystemUsers.checkTraversable(options.distributionDirectory(), runAs, LocalServicesOptions.DIST_DIR);
        SystemUsers.checkTraversable(options.elasticsearchJavaHome().resolve("bin"), runAs,
                LocalServicesOptions.ES_JAVA_HOME);
        return runAs;
    }

    private void startOnce(long t0) {
        int[] ports = Ports.allocate(2 * nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            prepareDirectory(nodeDirectory(i));
        }
        if (user != null) {
            for (int i = 0; i < nodeCount; i++) {
                SystemUsers.checkTraversable(nodeDirectory(i), user, LocalServicesOptions.BASE_DIR);
                SystemUsers.chownRecursively(nodeDirectory(i), user);
            }
        }
        String as = user != null ? " as user " + user : "";
        progress.println(nodeCount == 1
                ? "[services] elasticsearch: starting" + as + " (heap " + options.elasticsearchHeap() + ") …"
                : "[services] elasticsearch: starting " + nodeCount + " nodes" + as + " (heap "
                        + options.elasticsearchHeap() + " each) …");
        httpPorts = Arrays.copyOfRange(ports, 0, nodeCount);
        transportPorts = Arrays.copyOfRange(ports, nodeCount, 2 * nodeCount);
        try {
            for (int i = 0; i < nodeCount; i++) {
                nodes.set(i, launch(i, true));
            }
            awaitHealthy(System.nanoTime() + options.startTimeout().toNanos());
        } catch (ServicesException e) {
            stopAll();
            boolean portTaken = false;
            for (int i = 0; i < nodeCount; i++) {
                String log = ChildProcess.tail(nodeDirectory(i).resolve("elasticsearch.out"), 300)
                        + ChildProcess.tail(mainLog(i), 300);
                portTaken |= log.contains("Address already in use") || log.contains("BindException")
                        || log.contains("BindTransportException") || log.contains("BindHttpException");
                nodes.set(i, null);
            }
            httpPorts = null;
            transportPorts = null;
            if (!closed && portTaken) {
                throw new PortTakenException(e);
            }
            throw e;
        }
        if (nodeCount == 1) {
            progress.printf("[services] elasticsearch: ready at %s (%.1f s)%n", url(), (System.nanoTime() - t0) / 1e9);
        } else {
            progress.printf("[services] elasticsearch: %d nodes ready at %s (%.1f s)%n", nodeCount,
                    String.join(", ", urls()), (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Starts node {@code index}. {@code firstStart}: the cluster forms for the first time (a cluster of several nodes
     * then names its initial master nodes, which must not be repeated once it has formed).
     */
    private ChildProcess launch(int index, boolean firstStart) {
        Path dir = nodeDirectory(index);
        List<String> command = new ArrayList<>();
        if (user != null) {
            // -u without -l: no login shell (the user has none), and the environment set below is passed through
            command.addAll(List.of("runuser", "-u", user, "--"));
        }
        command.add(home.resolve("bin/elasticsearch").toString());
        command.addAll(nodeCount == 1
                ? settingsArguments(httpPorts[0], transportPorts[0], dir, nodeName(0))
                : clusterSettingsArguments(index, httpPorts, transportPorts, dir, nodeNames(), firstStart));

        Map<String, String> env = new HashMap<>();
        env.put("ES_JAVA_HOME", options.elasticsearchJavaHome().toString());
        env.put("ES_PATH_CONF", dir.resolve("config").toString());
        env.put("ES_JAVA_OPTS", "-Xms" + options.elasticsearchHeap() + " -Xmx" + options.elasticsearchHeap());
        env.put("ES_TMPDIR", dir.resolve("tmp").toString());
        // JAVA_TOOL_OPTIONS & co. from a test runner or IDE would be applied to both Elasticsearch JVMs, and its
        // launcher script refuses to run with CLASSPATH set
        for (String name : List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH")) {
            env.put(name, null);
        }
        return ChildProcess.start(nodeCount == 1 ? "elasticsearch" : "elasticsearch-" + (index + 1), command, env, dir,
                dir.resolve("elasticsearch.out"), dir.resolve("elasticsearch" + RunDirectories.PID_FILE_SUFFIX));
    }

    /** Fresh config copy, data, logs and tmp directories for this run. */
    private void prepareDirectory(Path dir) {
        try {
            for (Path d = dir; d.startsWith(directory); d = d.getParent()) {
                Files.createDirectories(d);
                RunDirectories.setMode(d, "rwxr-xr-x");
                if (d.equals(directory)) break;
            }
            for (String sub : List.of("config", "data", "logs", "tmp")) {
                RunDirectories.deleteRecursively(dir.resolve(sub));
            }
            copyTree(home.resolve("config"), dir.resolve("config"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("tmp"));
        } catch (IOException e) {
            throw new ServicesConfigException(LocalServicesOptions.BASE_DIR, "elasticsearch: cannot prepare " + dir
                    + " (" + RunDirectories.describe(e) + ")", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private String nodeName(int index) {
        String base = "fenghuo-local-" + ProcessHandle.current().pid();
        return nodeCount == 1 ? base : base + "-" + (index + 1);
    }

    private List<String> nodeNames() {
        return IntStream.range(0, nodeCount).mapToObj(this::nodeName).collect(Collectors.toList());
    }

    /** {@code -E} settings: single node on loopback, security off, data and logs in {@code directory}. */
    static List<String> settingsArguments(int httpPort, int transportPort, Path directory, String nodeName) {
        return settingsArguments(httpPort, transportPort, directory, nodeName, List.of("discovery.type=single-node"));
    }

    /**
     * {@code -E} settings of node {@code index} of a cluster on loopback: it finds the others through their transport
     * ports. {@code firstStart}: {@code cluster.initial_master_nodes} names all nodes, which Elasticsearch wants only
     * for the very first formation of a cluster.
     */
    static List<String> clusterSettingsArguments(int index, int[] httpPorts, int[] transportPorts, Path directory,
                                                 List<String> nodeNames, boolean firstStart) {
        List<String> discovery = new ArrayList<>();
        discovery.add("discovery.seed_hosts=" + Arrays.stream(transportPorts).mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(",")));
        if (firstStart) {
            discovery.add("cluster.initial_master_nodes=" + String.join(",", nodeNames));
        }
        return settingsArguments(httpPorts[index], transportPorts[index], directory, nodeNames.get(index), discovery);
    }

    private static List<String> settingsArguments(int httpPort, int transportPort, Path directory, String nodeName,
                                                  List<String> discovery) {
        List<String> settings = new ArrayList<>();
        settings.add("cluster.name=" + CLUSTER_NAME);
        settings.add("node.name=" + nodeName);
        settings.addAll(discovery);
        settings.addAll(List.of(
                // from the very first start: otherwise it generates certificates and rewrites its config for TLS
                "xpack.security.enabled=false",
                "http.host=127.0.0.1",
                "transport.host=127.0.0.1",
                "http.port=" + httpPort,
                "transport.port=" + transportPort,
                "path.data=" + directory.resolve("data"),
                "path.logs=" + directory.resolve("logs"),
                // a nearly full developer disk must not turn every index read-only
                "cluster.routing.allocation.disk.threshold_enabled=false"));
        List<String> args = new ArrayList<>();
        for (String s : settings) {
            args.add("-E");
            args.add(s);
        }
        return args;
    }

    /** Every node answers, and reports a cluster of all nodes that is at least yellow. */
    private void awaitHealthy(long deadline) {
        // this minimal build has no "GET /", so readiness is the health endpoint; each node opens HTTP only once it
        // has joined the cluster, so every node is asked
        String query = "/_cluster/health?wait_for_status=yellow&timeout=1s"
                + (nodeCount > 1 ? "&wait_for_nodes=" + nodeCount : "");
        for (int i = 0; i < nodeCount; i++) {
            URI health = URI.create(url(i) + query);
            while (true) {
                checkAllRunning(deadline);
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10))
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) break;
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServicesException("elasticsearch: interrupted while waiting for it to start", e);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServicesException("elasticsearch: interrupted while waiting for it to start", e);
                }
            }
        }
        for (int i = 0; i < nodeCount; i++) {
            ChildProcess n = nodes.get(i);
            if (n != null) n.refreshDescendants();
        }
    }

    private void checkAllRunning(long deadline) {
        for (int i = 0; i < nodeCount; i++) {
            checkRunning(i, deadline);
        }
    }

    private void checkRunning(int index, long deadline) {
        String label = nodeCount == 1 ? "elasticsearch:" : "elasticsearch: node " + (index + 1);
        Path out = nodeDirectory(index).resolve("elasticsearch.out");
        ChildProcess child = nodes.get(index);
        if (closed) throw new ServicesException("elasticsearch: stopped while starting");
        if (child == null || !child.isAlive()) {
            String exit = child == null ? "" : " (exit " + child.process().exitValue() + ")";
            throw new ServicesException(label + " exited during start-up" + exit + logTails(index, out));
        }
        if (System.nanoTime() > deadline) {
            throw new ServicesException(label + " not healthy after " + options.startTimeout().toSeconds()
                    + " s (" + LocalServicesOptions.describe(LocalServicesOptions.START_TIMEOUT) + ")"
                    + logTails(index, out));
        }
    }

    private String logTails(int index, Path out) {
        return "\n--- last lines of " + out + " ---\n" + ChildProcess.tail(out, 40)
                + "\n--- last lines of " + mainLog(index) + " ---\n" + ChildProcess.tail(mainLog(index), 40);
    }

    /** The first node's {@link #mainLog(int)}. */
    Path mainLog() {
        return mainLog(0);
    }

    /**
     * {@code <logs>/fenghuo-local.log} of node {@code index}, or the newest other {@code .log} file if that one was not
     * written.
     */
    Path mainLog(int index) {
        Path logs = nodeDirectory(index).resolve("logs");
        Path main = logs.resolve(CLUSTER_NAME + ".log");
        if (Files.isRegularFile(main)) return main;
        Path newest = main;
        long newestTime = Long.MIN_VALUE;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logs, "*.log")) {
            for (Path f : files) {
                long t = Files.getLastModifiedTime(f).toMillis();
                if (t > newestTime) {
                    newest = f;
                    newestTime = t;
                }
            }
        } catch (IOException e) {
            // no logs directory yet
        }
        return newest;
    }

    /**
     * Stops every node (SIGTERM to each process tree, in parallel; SIGKILL after 20 s) and keeps their data, so that
     * {@link #startAgain} brings the same cluster back. Connections to the URLs are refused afterwards.
     */
    public synchronized void stop() {
        requireStarted();
        long t0 = System.nanoTime();
        progress.println("[services] elasticsearch: stopping " + describeNodes() + " (data kept) …");
        stopAll();
        progress.printf("[services] elasticsearch: stopped (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Starts the nodes that are not running (after {@link #stop}) on the same ports with the same data, and returns once
     * every node answers and the cluster is at least yellow with all of them.
     */
    public synchronized void startAgain() {
        requireStarted();
        if (closed) throw new IllegalStateException("elasticsearch is closed");
        long t0 = System.nanoTime();
        progress.println("[services] elasticsearch: starting " + describeNodes() + " again at "
                + String.join(", ", urls()) + " …");
        List<Integer> started = new ArrayList<>();
        try {
            for (int i = 0; i < nodeCount; i++) {
                ChildProcess n = nodes.get(i);
                if (n != null && n.isAlive()) continue;
                nodes.set(i, launch(i, false));
                started.add(i);
            }
            awaitHealthy(System.nanoTime() + options.startTimeout().toNanos());
        } catch (ServicesException e) {
            for (int i : started) {
                nodes.get(i).stop(Duration.ofSeconds(20));
            }
            throw e;
        }
        progress.printf("[services] elasticsearch: %s back at %s (%.1f s)%n", describeNodes(),
                String.join(", ", urls()), (System.nanoTime() - t0) / 1e9);
    }

    private String describeNodes() {
        return nodeCount == 1 ? "the node" : nodeCount + " nodes";
    }

    private void requireStarted() {
        if (httpPorts == null) throw new IllegalStateException("elasticsearch is not started");
    }

    /** {@code http://127.0.0.1:PORT} of the first node. */
    public String url() {
        return url(0);
    }

    /** {@code http://127.0.0.1:PORT} of node {@code index} (0-based). */
    public String url(int index) {
        int[] ports = httpPorts;
        if (ports == null) throw new IllegalStateException("elasticsearch is not started");
        return "http://127.0.0.1:" + ports[index];
    }

    /** The URLs of all nodes, the first node's first. */
    public List<String> urls() {
        return IntStream.range(0, nodeCount).mapToObj(this::url).collect(Collectors.toList());
    }

    /** Number of nodes: 1 to 3. */
    public int nodeCount() {
        return nodeCount;
    }

    /** The HTTP port of the first node, or -1 if not started. */
    public int httpPort() {
        int[] ports = httpPorts;
        return ports == null ? -1 : ports[0];
    }

    public Path directory() {
        return directory;
    }

    /** Where node {@code index} keeps its config, data and logs: the Elasticsearch directory itself for a single node. */
    Path nodeDirectory(int index) {
        return nodeCount == 1 ? directory : directory.resolve("node-" + (index + 1));
    }

    /** Stops the nodes and their launchers: SIGTERM to each process tree, SIGKILL after 20 s. Idempotent. */
    @Override
    public void close() {
        closed = true;
        stopAll();
    }

    private void stopAll() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            ChildProcess n = nodes.get(i);
            if (n == null) continue;
            stops.add(CompletableFuture.runAsync(() -> n.stop(Duration.ofSeconds(20)), r -> {
                Thread t = new Thread(r, "fenghuo-stop-" + n.name());
                t.setDaemon(true);
                t.start();
            }));
        }
        stops.forEach(CompletableFuture::join);
    }

    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ServicesException failure;

        PortTakenException(ServicesException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}

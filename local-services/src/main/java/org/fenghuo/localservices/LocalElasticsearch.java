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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A single-node Elasticsearch running as a child process from the Maven Central zip, with config, data and logs in a
 * directory it owns. When this JVM is root, Elasticsearch runs as a dedicated system user (it refuses root).
 */
public final class LocalElasticsearch implements AutoCloseable {
    static final String CLUSTER_NAME = "fenghuo-local";
    private static final int START_ATTEMPTS = 2;

    private final LocalServicesOptions options;
    private final Path directory;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private volatile ChildProcess node;
    private volatile int httpPort = -1;
    private volatile boolean closed;

    /** @param directory a directory this instance owns (created if missing); config, data and logs go there */
    public LocalElasticsearch(LocalServicesOptions options, Path directory) {
        this.options = options;
        this.directory = directory.toAbsolutePath().normalize();
        this.progress = options.progress();
    }

    /** Unpacks the distribution if needed, starts the node and returns once the cluster is at least yellow. */
    public synchronized void start() {
        if (node != null) throw new IllegalStateException("elasticsearch already started");
        long t0 = System.nanoTime();
        String user = preflight();
        Path home = ElasticsearchDistribution.ensureUnpacked(ElasticsearchDistribution.locateZip(),
                options.distributionDirectory(), progress);
        if (user != null) {
            SystemUsers.checkTraversable(home.resolve("bin"), user, LocalServicesOptions.DIST_DIR);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce(home, user, t0);
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
        String user = options.elasticsearchUser();
        SystemUsers.ensureUser(user);
        SystemUsers.checkTraversable(directory, user, LocalServicesOptions.BASE_DIR);
        SystemUsers.checkTraversable(options.distributionDirectory(), user, LocalServicesOptions.DIST_DIR);
        SystemUsers.checkTraversable(options.elasticsearchJavaHome().resolve("bin"), user,
                LocalServicesOptions.ES_JAVA_HOME);
        return user;
    }

    private void startOnce(Path home, String user, long t0) {
        int[] ports = Ports.allocate(2);
        prepareDirectory(home);
        if (user != null) {
            SystemUsers.checkTraversable(directory, user, LocalServicesOptions.BASE_DIR);
            SystemUsers.chownRecursively(directory, user);
        }
        List<String> command = new ArrayList<>();
        if (user != null) {
            // -u without -l: no login shell (the user has none), and the environment set below is passed through
            command.addAll(List.of("runuser", "-u", user, "--"));
        }
        command.add(home.resolve("bin/elasticsearch").toString());
        command.addAll(settingsArguments(ports[0], ports[1], directory, nodeName()));

        Map<String, String> env = new HashMap<>();
        env.put("ES_JAVA_HOME", options.elasticsearchJavaHome().toString());
        env.put("ES_PATH_CONF", directory.resolve("config").toString());
        env.put("ES_JAVA_OPTS", "-Xms" + options.elasticsearchHeap() + " -Xmx" + options.elasticsearchHeap());
        env.put("ES_TMPDIR", directory.resolve("tmp").toString());
        Path out = directory.resolve("elasticsearch.out");
        progress.println("[services] elasticsearch: starting" + (user != null ? " as user " + user : "")
                + " (heap " + options.elasticsearchHeap() + ") …");
        ChildProcess child = startProcess(command, env, out);
        node = child;
        httpPort = ports[0];
        try {
            awaitHealthy(child, out, System.nanoTime() + options.startTimeout().toNanos());
            child.refreshDescendants();
        } catch (ServicesException e) {
            child.stop(Duration.ofSeconds(20));
            node = null;
            String log = ChildProcess.tail(out, 300) + ChildProcess.tail(mainLog(), 300);
            if (!closed && (log.contains("Address already in use") || log.contains("BindException")
                    || log.contains("BindTransportException") || log.contains("BindHttpException"))) {
                throw new PortTakenException(e);
            }
            throw e;
        }
        progress.printf("[services] elasticsearch: ready at %s (%.1f s)%n", url(), (System.nanoTime() - t0) / 1e9);
    }

    private ChildProcess startProcess(List<String> command, Map<String, String> env, Path out) {
        Map<String, String> cleaned = new HashMap<>(env);
        // JAVA_TOOL_OPTIONS & co. from a test runner or IDE would be applied to both Elasticsearch JVMs, and its
        // launcher script refuses to run with CLASSPATH set
        for (String name : List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH")) {
            cleaned.put(name, null);
        }
        return ChildProcess.start("elasticsearch", command, cleaned, directory, out,
                directory.resolve("elasticsearch" + RunDirectories.PID_FILE_SUFFIX));
    }

    /** Fresh config copy, data, logs and tmp directories for this run. */
    private void prepareDirectory(Path home) {
        try {
            Files.createDirectories(directory);
            RunDirectories.setMode(directory, "rwxr-xr-x");
            for (String sub : List.of("config", "data", "logs", "tmp")) {
                RunDirectories.deleteRecursively(directory.resolve(sub));
            }
            copyTree(home.resolve("config"), directory.resolve("config"));
            Files.createDirectories(directory.resolve("data"));
            Files.createDirectories(directory.resolve("logs"));
            Files.createDirectories(directory.resolve("tmp"));
        } catch (IOException e) {
            throw new ServicesConfigException(LocalServicesOptions.BASE_DIR, "elasticsearch: cannot prepare " + directory
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

    private String nodeName() {
        return "fenghuo-local-" + ProcessHandle.current().pid();
    }

    /** {@code -E} settings: single node on loopback, security off, data and logs in {@code directory}. */
    static List<String> settingsArguments(int httpPort, int transportPort, Path directory, String nodeName) {
        List<String> args = new ArrayList<>();
        for (String s : List.of(
                "cluster.name=" + CLUSTER_NAME,
                "node.name=" + nodeName,
                "discovery.type=single-node",
                // from the very first start: otherwise it generates certificates and rewrites its config for TLS
                "xpack.security.enabled=false",
                "http.host=127.0.0.1",
                "transport.host=127.0.0.1",
                "http.port=" + httpPort,
                "transport.port=" + transportPort,
                "path.data=" + directory.resolve("data"),
                "path.logs=" + directory.resolve("logs"),
                // a nearly full developer disk must not turn every index read-only
                "cluster.routing.allocation.disk.threshold_enabled=false")) {
            args.add("-E");
            args.add(s);
        }
        return args;
    }

    private void awaitHealthy(ChildProcess child, Path out, long deadline) {
        // this minimal build has no "GET /", so readiness is the health endpoint
        URI health = URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s");
        while (true) {
            checkRunning(child, out, deadline);
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
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

    private void checkRunning(ChildProcess child, Path out, long deadline) {
        if (closed) throw new ServicesException("elasticsearch: stopped while starting");
        if (!child.isAlive()) {
            throw new ServicesException("elasticsearch: exited during start-up (exit " + child.process().exitValue()
                    + ")" + logTails(out));
        }
        if (System.nanoTime() > deadline) {
            throw new ServicesException("elasticsearch: not healthy after " + options.startTimeout().toSeconds()
                    + " s (" + LocalServicesOptions.describe(LocalServicesOptions.START_TIMEOUT) + ")" + logTails(out));
        }
    }

    private String logTails(Path out) {
        return "\n--- last lines of " + out + " ---\n" + ChildProcess.tail(out, 40)
                + "\n--- last lines of " + mainLog() + " ---\n" + ChildProcess.tail(mainLog(), 40);
    }

    /** {@code <logs>/fenghuo-local.log}, or the newest other {@code .log} file if that one was not written. */
    Path mainLog() {
        Path logs = directory.resolve("logs");
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

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        if (httpPort < 0) throw new IllegalStateException("elasticsearch is not started");
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path directory() {
        return directory;
    }

    /** Stops the node and its launcher: SIGTERM to the whole process tree, SIGKILL after 20 s. Idempotent. */
    @Override
    public void close() {
        closed = true;
        ChildProcess n = node;
        if (n != null) {
            n.stop(Duration.ofSeconds(20));
        }
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

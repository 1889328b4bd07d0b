package org.fenghuo.flinkcluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fenghuo.localservices.ChildProcess;
import org.fenghuo.localservices.Ports;
import org.fenghuo.localservices.RunDirectories;

/**
 * A real Flink session cluster on this machine: one JobManager ({@code StandaloneSessionClusterEntrypoint}) and
 * TaskManagers ({@code TaskManagerRunner}), each its own JVM, on Flink's runtime artifacts from Maven Central and a
 * generated {@code config.yaml} — what a Flink distribution's {@code bin/start-cluster.sh} would start, without the
 * distribution. Jobs reach it only through its REST API ({@link FlinkRest}), as they would a remote cluster.
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private static final String JOB_MANAGER_CLASS = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String MEMORY_UTILS_CLASS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String MEMORY_UTILS_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    /** The module opens Flink's own distribution passes to every JVM on Java 17 (its env.java.default-opts.all). */
    private static final List<String> JAVA_17_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final LocalFlinkClusterOptions options;
    private final Path runDir;
    private final Path confDir;
    private final String classpath;
    private final int restPort;
    private final List<String> jobManagerJvm;
    private final List<String> taskManagerJvm;
    private final List<String> taskManagerDynamic;
    private final ChildProcess[] taskManagers;
    private final int[] metricsPorts;
    private ChildProcess jobManager;
    private final FlinkRest rest;
    private final Thread shutdownHook;

    private LocalFlinkCluster(LocalFlinkClusterOptions options) {
        this.options = options;
        this.runDir = RunDirectories.create(options.baseDirectory().resolve("runs"));
        this.confDir = runDir.resolve("conf");
        this.classpath = String.join(":", classpathEntries());
        // REST, the JobManager's RPC, then one Prometheus port for the JobManager and one per TaskManager
        int[] ports = Ports.allocate(3 + options.taskManagers());
        this.restPort = ports[0];
        this.metricsPorts = Arrays.copyOfRange(ports, 2, ports.length);
        this.taskManagers = new ChildProcess[options.taskManagers()];
        writeConfig(ports[1]);
        List<String> jm = memoryParameters("GET_JM_RESOURCE_PARAMS");
        this.jobManagerJvm = splitArgs(jm.get(0));
        List<String> tm = memoryParameters("GET_TM_RESOURCE_PARAMS");
        this.taskManagerJvm = splitArgs(tm.get(0));
        this.taskManagerDynamic = splitArgs(tm.get(1));
        this.rest = new FlinkRest(restUrlOf(restPort));
        this.shutdownHook = new Thread(this::stopAll, "fenghuo-flink-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the JobManager and the TaskManagers and returns once every TaskManager has registered. */
    public static LocalFlinkCluster start(LocalFlinkClusterOptions options) {
        RunDirectories.cleanUpStale(options.baseDirectory().resolve("runs"), options.progress());
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(options);
            } catch (FlinkClusterException e) {
                // a port chosen free can still be taken before the child binds it; new ports make that a non-event
                if (attempt >= 3 || !portTaken(e)) throw e;
                options.progress().printf("[flink] a port was taken before the cluster could bind it; starting again on new ports (attempt %d)%n",
                        attempt + 1);
            }
        }
    }

    private static boolean portTaken(FlinkClusterException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("BindException") || m.contains("Address already in use");
    }

    private static LocalFlinkCluster startOnce(LocalFlinkClusterOptions options) {
        long t0 = System.nanoTime();
        LocalFlinkCluster c = new LocalFlinkCluster(options);
        try {
            c.startJobManager();
            for (int i = 0; i < options.taskManagers(); i++) c.startTaskManager(i);
            c.awaitTaskManagers(options.taskManagers());
            options.progress().printf("[flink] cluster: JobManager and %d TaskManagers (%d slots each) ready at %s (%.1f s)%n",
                    options.taskManagers(), options.slotsPerTaskManager(), c.restUrl(), (System.nanoTime() - t0) / 1e9);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public String restUrl() {
        return restUrlOf(restPort);
    }

    public FlinkRest rest() {
        return rest;
    }

    public Path runDirectory() {
        return runDir;
    }

    /** Where checkpoints go ({@code execution.checkpointing.dir}), as a {@code file://} URI. */
    public String checkpointsUri() {
        return runDir.resolve("checkpoints").toUri().toString();
    }

    public String savepointsUri() {
        return runDir.resolve("savepoints").toUri().toString();
    }

    /** Prometheus ports: the JobManager's first, then each TaskManager's. */
    public int[] metricsPorts() {
        return metricsPorts.clone();
    }

    /** SIGKILL to TaskManager {@code index}: no shutdown, as when its host dies. */
    public synchronized void killTaskManager(int index) {
        ChildProcess tm = taskManagers[index];
        if (tm == null) throw new IllegalStateException("TaskManager " + index + " is not running");
        ProcessHandle.of(tm.pid()).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("TaskManager " + index + " (pid " + tm.pid() + ") did not die after SIGKILL", e);
            }
        });
        taskManagers[index] = null;
        options.progress().println("[flink] TaskManager " + index + " killed (SIGKILL, pid " + tm.pid() + ")");
    }

    /** Starts TaskManager {@code index} (again); it registers with the JobManager by itself. */
    public synchronized void startTaskManager(int index) {
        if (taskManagers[index] != null && taskManagers[index].isAlive()) throw new IllegalStateException("TaskManager " + index + " is running");
        String name = "taskmanager-" + index;
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(taskManagerJvm);
        cmd.addAll(JAVA_17_OPENS);
        cmd.addAll(logging(name));
        cmd.addAll(List.of("-cp", classpath, TASK_MANAGER_CLASS, "--configDir", confDir.toString()));
        cmd.addAll(taskManagerDynamic);
        cmd.addAll(List.of("-D", "taskmanager.resource-id=" + name, "-D", "metrics.reporter.prom.port=" + metricsPorts[1 + index]));
        taskManagers[index] = ChildProcess.start(name, cmd, Map.of(), runDir, runDir.resolve(name + ".out"),
                runDir.resolve(name + RunDirectories.PID_FILE_SUFFIX));
    }

    /** Waits until the JobManager counts {@code count} registered TaskManagers. */
    public void awaitTaskManagers(int count) {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (jobManager != null && !jobManager.isAlive()) {
                throw new FlinkClusterException("the JobManager exited during start-up; last lines of its output:\n"
                        + ChildProcess.tail(jobManager.outputFile(), 40) + "\nand of its log:\n" + ChildProcess.tail(runDir.resolve("jobmanager.log"), 40));
            }
            for (int i = 0; i < taskManagers.length; i++) {
                ChildProcess tm = taskManagers[i];
                if (tm != null && !tm.isAlive()) {
                    throw new FlinkClusterException("TaskManager " + i + " exited during start-up; last lines of its output:\n"
                            + ChildProcess.tail(tm.outputFile(), 40) + "\nand of its log:\n" + ChildProcess.tail(runDir.resolve("taskmanager-" + i + ".log"), 40));
                }
            }
            try {
                JsonNode overview = rest.overview();
                int registered = overview.path("taskmanagers").asInt();
                if (registered >= count) return;
                last = registered + " of " + count + " TaskManagers registered";
            } catch (FlinkClusterException e) {
                last = e.getMessage();
            }
            sleep(250);
        }
        throw new FlinkClusterException("the Flink cluster was not ready within " + options.startTimeout().toSeconds() + " s (" + last
                + "); see " + runDir.resolve("jobmanager.log"));
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook is running or has run
        }
        if (!options.keepRunDirectory()) RunDirectories.deleteRecursively(runDir);
    }

    private synchronized void stopAll() {
        for (int i = 0; i < taskManagers.length; i++) {
            if (taskManagers[i] != null) taskManagers[i].stop(Duration.ofSeconds(15));
            taskManagers[i] = null;
        }
        if (jobManager != null) jobManager.stop(Duration.ofSeconds(15));
        jobManager = null;
    }

    private void startJobManager() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jobManagerJvm);
        cmd.addAll(JAVA_17_OPENS);
        cmd.addAll(logging("jobmanager"));
        cmd.addAll(List.of("-cp", classpath, JOB_MANAGER_CLASS, "--configDir", confDir.toString(),
                "-D", "metrics.reporter.prom.port=" + metricsPorts[0]));
        jobManager = ChildProcess.start("jobmanager", cmd, Map.of(), runDir, runDir.resolve("jobmanager.out"),
                runDir.resolve("jobmanager" + RunDirectories.PID_FILE_SUFFIX));
    }

    private List<String> logging(String name) {
        return List.of("-Dlog.file=" + runDir.resolve(name + ".log"), "-Dlog4j.configurationFile=file:" + confDir.resolve("log4j.properties"),
                "-Dlog4j2.configurationFile=file:" + confDir.resolve("log4j.properties"));
    }

    private void writeConfig(int rpcPort) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", rpcPort);
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.memory.process.size", options.jobManagerMemory());
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", options.slotsPerTaskManager());
        c.put("taskmanager.memory.process.size", options.taskManagerMemory());
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", restPort);
        c.put("parallelism.default", Math.min(2, options.taskManagers() * options.slotsPerTaskManager()));
        c.put("state.backend.type", options.stateBackend());
        c.put("execution.checkpointing.dir", checkpointsUri());
        c.put("execution.checkpointing.savepoint-dir", savepointsUri());
        c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        c.put("restart-strategy.type", "exponential-delay");
        c.put("restart-strategy.exponential-delay.initial-backoff", "1 s");
        c.put("restart-strategy.exponential-delay.max-backoff", "10 s");
        // a TaskManager that dies without a word is noticed in seconds, not after the default 50 s
        c.put("heartbeat.interval", 2000);
        c.put("heartbeat.timeout", 8000);
        c.put("web.upload.dir", runDir.resolve("uploads").toString());
        c.put("io.tmp.dirs", runDir.resolve("tmp").toString());
        c.put("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.put("metrics.reporter.prom.host", "127.0.0.1");
        StringBuilder yaml = new StringBuilder("# written by Fenghuo's LocalFlinkCluster; one file for the JobManager and the TaskManagers\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v instanceof String s ? quote(s) : v).append('\n'));
        try {
            Files.createDirectories(confDir);
            Files.createDirectories(runDir.resolve("uploads"));
            Files.createDirectories(runDir.resolve("tmp"));
            Files.writeString(confDir.resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
            try (InputStream in = LocalFlinkCluster.class.getResourceAsStream("log4j.properties")) {
                if (in == null) throw new IllegalStateException("log4j.properties is missing from the fenghuo-flink-cluster jar");
                Files.copy(in, confDir.resolve("log4j.properties"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Flink configuration in " + confDir, e);
        }
    }

    /** The JVM options and dynamic settings Flink's own start scripts would compute from the memory settings. */
    private List<String> memoryParameters(String command) {
        Path out = runDir.resolve(command.toLowerCase() + ".out");
        List<String> cmd = List.of(javaBinary(), "-cp", classpath, MEMORY_UTILS_CLASS, command, "--configDir", confDir.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FlinkClusterException("Flink's memory calculation (" + command + ") did not finish within 60 s");
            }
            List<String> results = Files.readAllLines(out).stream().filter(l -> l.startsWith(MEMORY_UTILS_PREFIX))
                    .map(l -> l.substring(MEMORY_UTILS_PREFIX.length()).trim()).toList();
            if (p.exitValue() != 0 || results.size() < 2) {
                throw new FlinkClusterException("Flink's memory calculation (" + command + ") failed for " + confDir.resolve("config.yaml")
                        + ":\n" + ChildProcess.tail(out, 30));
            }
            return results.subList(results.size() - 2, results.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + MEMORY_UTILS_CLASS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkClusterException("interrupted while computing Flink's memory settings");
        }
    }

    private static List<String> classpathEntries() {
        try (InputStream in = LocalFlinkCluster.class.getResourceAsStream("flink.classpath")) {
            if (in == null) throw new FlinkClusterException("flink.classpath is missing: build the fenghuo-flink-cluster module with Maven");
            List<String> entries = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(":"))
                    .filter(s -> !s.isBlank()).toList();
            for (String e : entries) {
                if (!Files.isReadable(Path.of(e))) {
                    throw new FlinkClusterException("Flink runtime jar " + e + " is missing; run mvn -pl flink-cluster -am install to fetch it");
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read flink.classpath", e);
        }
    }

    private static List<String> splitArgs(String line) {
        return Arrays.stream(line.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String restUrlOf(int port) {
        return "http://127.0.0.1:" + port;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkClusterException("interrupted while waiting for the Flink cluster");
        }
    }
}

package org.fenghuo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fenghuo.core.config.Settings;
import org.fenghuo.flinkcluster.FlinkRest;
import org.fenghuo.flinkcluster.LocalFlinkCluster;
import org.fenghuo.flinkcluster.LocalFlinkClusterOptions;
import org.fenghuo.jobs.correlation.CorrelationJob;
import org.fenghuo.jobs.correlation.CorrelationSettings;
import org.fenghuo.jobs.ingest.IngestJob;
import org.fenghuo.jobs.ingest.IngestSettings;
import org.fenghuo.simulator.city.DemoCity;

/**
 * {@code ./fenghuo cluster up|submit|status|stop|down}: the jobs as jars on a real Flink session cluster of separate
 * JobManager and TaskManager processes on this machine, with local Kafka and Elasticsearch, driven only through
 * Flink's REST API — the way they run on a real cluster. {@code up} stays in the foreground (Ctrl-C or
 * {@code cluster down} stops everything); the other subcommands find it through a state file.
 */
final class ClusterCommand {
    static final Set<String> FLAGS = Set.of();
    static final Set<String> OPTIONS = Set.of("task-managers", "slots", "regions", "parallelism", "from-savepoint", "jar-dir");
    private static final List<String> JOBS = List.of("ingest", "correlation");
    private static final String SETTINGS_COMMENT = "settings of this Fenghuo job on this cluster, written by ./fenghuo cluster up";
    private final Args args;
    private final PrintStream out = System.out;

    ClusterCommand(Args args) {
        this.args = args;
    }

    int run() throws Exception {
        List<String> p = args.positionals();
        if (p.isEmpty()) throw new UsageException("cluster needs a subcommand: up, submit, status, stop or down");
        return switch (p.get(0)) {
            case "up" -> up();
            case "submit" -> submit(p.subList(1, p.size()));
            case "status" -> status();
            case "stop" -> stop(p.subList(1, p.size()));
            case "down" -> down();
            default -> throw new UsageException("unknown cluster subcommand '" + p.get(0) + "'; use up, submit, status, stop or down");
        };
    }

    // ---- up ---------------------------------------------------------------------------------------------------------

    private int up() throws Exception {
        ClusterState.read().ifPresent(s -> {
            throw new CommandException("a cluster is already up (pid " + s.pid() + ", Flink " + s.flink() + "); ./fenghuo cluster down stops it");
        });
        int taskManagers = (int) args.longValue("task-managers", 2, 1, 8);
        int slots = (int) args.longValue("slots", 4, 1, 32);
        Path workDir = Files.createTempDirectory("fenghuo-cluster-");
        Path regions;
        if (args.value("regions", null) != null) {
            regions = Path.of(args.value("regions", null)).toAbsolutePath();
            if (!Files.isReadable(regions)) throw new CommandException("--regions " + regions + ": no such readable file");
        } else {
            regions = workDir.resolve("demo-city.geojson");
            DemoCity.generate(DemoCity.DEFAULT_SEED).writeGeoJson(regions);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<LocalStack> stackRef = new AtomicReference<>();
        AtomicReference<LocalFlinkCluster> clusterRef = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            out.println("[cluster] stopping…");
            LocalFlinkCluster c = clusterRef.get();
            if (c != null) c.close();
            LocalStack s = stackRef.get();
            if (s != null) s.close();
            ClusterState.remove();
            out.println("[cluster] stopped");
            stopped.countDown();
        }, "fenghuo-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        LocalStack stack = LocalStack.start(regions, out);
        stackRef.set(stack);
        LocalFlinkCluster cluster = LocalFlinkCluster.start(LocalFlinkClusterOptions.defaults(out)
                .withBaseDirectory(StateFile.path("flink")).withTaskManagers(taskManagers, slots));
        clusterRef.set(cluster);

        // each job's settings in a file the JobManager reads (--config): the secret stays off command lines and the web
        // UI, and only the ingest, which pseudonymises, gets it (a job refuses a setting it does not know)
        Path settings = cluster.runDirectory().resolve("job-settings");
        Files.createDirectories(settings);
        Properties common = new Properties();
        common.setProperty(IngestSettings.KAFKA_BOOTSTRAP.name(), stack.kafka());
        common.setProperty(IngestSettings.ES_HOSTS.name(), stack.elasticsearch());
        common.setProperty(IngestSettings.REGIONS.name(), regions.toString());
        common.setProperty(IngestSettings.CHECKPOINT_DIR.name(), cluster.checkpointsUri());
        Properties ingest = new Properties();
        ingest.putAll(common);
        ingest.setProperty(IngestSettings.SECRET.name(), stack.secret());
        StateFile.writePrivate(settings.resolve("ingest.properties"), ingest, SETTINGS_COMMENT);
        StateFile.writePrivate(settings.resolve("correlation.properties"), common, SETTINGS_COMMENT);
        new ClusterState(ProcessHandle.current().pid(), cluster.restUrl(), stack.kafka(), stack.elasticsearch(), settings.toString(),
                cluster.savepointsUri()).write();
        out.println("flink: " + cluster.restUrl());
        out.println("kafka: " + stack.kafka());
        out.println("elasticsearch: " + stack.elasticsearch());
        out.println("ready (next: ./fenghuo cluster submit; Ctrl-C or ./fenghuo cluster down stops everything)");
        stopped.await();
        return 0;
    }

    // ---- submit -----------------------------------------------------------------------------------------------------

    private int submit(List<String> which) throws Exception {
        ClusterState state = state();
        FlinkRest rest = new FlinkRest(state.flink());
        int parallelism = (int) args.longValue("parallelism", 2, 1, 256);
        String savepoint = args.value("from-savepoint", null);
        List<String> jobs = jobs(which);
        if (savepoint != null && jobs.size() != 1) throw new UsageException("--from-savepoint restores one job: name it (ingest or correlation)");
        Path jarDir = Path.of(args.value("jar-dir", System.getProperty("fenghuo.home", ".") + "/jobs/target"));
        for (String job : jobs) {
            String name = jobName(job);
            var running = rest.activeJob(name);
            if (running.isPresent()) {
                out.println("[cluster] " + name + " is already " + running.get().state() + " as job " + running.get().id() + "; left alone");
                continue;
            }
            Path jar = jarDir.resolve("fenghuo-" + job + "-job.jar");
            if (!Files.isReadable(jar)) throw new CommandException("job jar " + jar + " is missing; build it with: mvn -pl jobs -am package -DskipTests");
            List<String> jobArgs = List.of("--config=" + Path.of(state.settingsDirectory()).resolve(job + ".properties"),
                    "--fenghuo." + job + ".parallelism=" + parallelism);
            // the same validation the job's main will do in the JobManager, here, where its message is readable
            if (job.equals("ingest")) IngestSettings.from(Settings.fromArgs(jobArgs.toArray(String[]::new), System.getenv(), IngestSettings.ALL));
            else CorrelationSettings.from(Settings.fromArgs(jobArgs.toArray(String[]::new), System.getenv(), CorrelationSettings.ALL));
            long t0 = System.nanoTime();
            String jarId = rest.uploadJar(jar);
            String id = rest.runJar(jarId, entryClass(job), jobArgs, parallelism, savepoint);
            rest.awaitAllTasksRunning(id, Duration.ofSeconds(120));
            out.printf("[cluster] %s running as job %s, parallelism %d%s (%.1f s)%n", name, id, parallelism,
                    savepoint == null ? "" : ", restored from " + savepoint, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    // ---- status -----------------------------------------------------------------------------------------------------

    private int status() {
        ClusterState state = state();
        FlinkRest rest = new FlinkRest(state.flink());
        JsonNode o = rest.overview();
        out.printf("flink %s: %d TaskManagers, %d of %d slots free%n", state.flink(), o.path("taskmanagers").asInt(),
                o.path("slots-available").asInt(), o.path("slots-total").asInt());
        out.println("kafka " + state.kafka() + ", elasticsearch " + state.elasticsearch());
        List<FlinkRest.Job> jobs = new ArrayList<>(rest.jobs());
        if (jobs.isEmpty()) out.println("no jobs (./fenghuo cluster submit starts them)");
        jobs.sort((a, b) -> Long.compare(b.startTime(), a.startTime()));
        for (FlinkRest.Job j : jobs) {
            JsonNode cp = rest.checkpoints(j.id());
            JsonNode latest = cp.path("latest").path("completed");
            String checkpoint = latest.isMissingNode() || latest.isNull() ? "no checkpoint yet"
                    : "last checkpoint " + latest.path("id").asText() + " at " + Instant.ofEpochMilli(latest.path("latest_ack_timestamp").asLong());
            out.printf("  %-22s %-10s %s  started %s, %d checkpoints, %s%n", j.name(), j.state(), j.id(),
                    Instant.ofEpochMilli(j.startTime()), cp.path("counts").path("completed").asInt(), checkpoint);
        }
        return 0;
    }

    // ---- stop (with a savepoint) ------------------------------------------------------------------------------------

    private int stop(List<String> which) {
        ClusterState state = state();
        FlinkRest rest = new FlinkRest(state.flink());
        for (String job : jobs(which)) {
            String name = jobName(job);
            FlinkRest.Job running = rest.activeJob(name).orElseThrow(() -> new CommandException(name + " is not running"));
            String path = rest.stopWithSavepoint(running.id(), state.savepoints(), Duration.ofMinutes(5));
            out.println("[cluster] " + name + " stopped with savepoint " + path);
            out.println("          resume it with: ./fenghuo cluster submit " + job + " --from-savepoint " + path);
        }
        return 0;
    }

    // ---- down -------------------------------------------------------------------------------------------------------

    private int down() throws Exception {
        ClusterState state = state();
        ProcessHandle up = ProcessHandle.of(state.pid()).orElseThrow(() -> new CommandException("the cluster's process " + state.pid() + " is gone"));
        out.println("[cluster] stopping the cluster (pid " + state.pid() + ")…");
        up.destroy();
        try {
            up.onExit().get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CommandException("the cluster (pid " + state.pid() + ") did not stop within 90 s; kill it with kill -9 " + state.pid());
        }
        out.println("[cluster] stopped");
        return 0;
    }

    private static ClusterState state() {
        return ClusterState.read().orElseThrow(() -> new CommandException("no cluster is up: start one with ./fenghuo cluster up (in another terminal)"));
    }

    private static List<String> jobs(List<String> which) {
        if (which.isEmpty() || which.equals(List.of("all"))) return JOBS;
        for (String w : which) {
            if (!JOBS.contains(w)) throw new UsageException("unknown job '" + w + "'; the jobs are ingest and correlation (or all)");
        }
        return which;
    }

    private static String jobName(String job) {
        return job.equals("ingest") ? IngestJob.NAME : CorrelationJob.NAME;
    }

    private static String entryClass(String job) {
        return job.equals("ingest") ? IngestJob.class.getName() : CorrelationJob.class.getName();
    }

    /** Where a running {@code cluster up} is reached; written at start, removed at stop. */
    record ClusterState(long pid, String flink, String kafka, String elasticsearch, String settingsDirectory, String savepoints) {
        static Path file() {
            return StateFile.path("cluster.properties");
        }

        void write() throws IOException {
            StateFile.write(file(), pid, java.util.Map.of("flink", flink, "kafka", kafka, "elasticsearch", elasticsearch,
                    "settings", settingsDirectory, "savepoints", savepoints), "written by ./fenghuo cluster up; removed when it stops");
        }

        static void remove() {
            StateFile.remove(file());
        }

        static java.util.Optional<ClusterState> read() {
            return StateFile.readLive(file()).map(p -> new ClusterState(Long.parseLong(p.getProperty("pid")), p.getProperty("flink"),
                    p.getProperty("kafka"), p.getProperty("elasticsearch"), p.getProperty("settings"), p.getProperty("savepoints")));
        }
    }
}

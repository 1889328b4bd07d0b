package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fenghuo.jobs.correlation.CorrelationJob;
import org.fenghuo.jobs.ingest.IngestJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fenghuo cluster up|submit|status|stop|down} as an operator runs them, each in its own process: a local
 * session cluster with Kafka and Elasticsearch comes up, the job jars are submitted at parallelism 2 and index what is
 * replayed, the correlation job is stopped with a savepoint and resumed from it, and {@code down} stops every process
 * {@code up} started.
 */
class ClusterCommandIT {
    private static final Pattern SAVEPOINT = Pattern.compile("stopped with savepoint (\\S+)");

    @Test
    void anOperatorBringsUpTheClusterRunsTheJobsUpgradesOneFromASavepointAndTakesItDown(@TempDir Path tmp) throws Exception {
        Map<String, String> env = Map.of("FENGHUO_SERVICES_BASE_DIR", "/var/tmp/fenghuo/it-cluster-cli",
                "FENGHUO_PRIVACY_SECRET", "cluster-it-secret-0123456789");
        long t0 = System.nanoTime();
        CliProcess up = CliProcess.start("512m", env, List.of("cluster", "up", "--task-managers", "2", "--slots", "2"));
        List<ProcessHandle> children = List.of();
        try {
            up.awaitReady();
            children = up.process.descendants().toList();
            System.out.printf("[cluster-cli] up in %.1f s: flink %s, kafka %s, elasticsearch %s%n", (System.nanoTime() - t0) / 1e9,
                    up.flink, up.kafka, up.elasticsearch);
            assertThat(up.flink).matches("http://127\\.0\\.0\\.1:\\d+");

            CliProcess.Result bad = CliProcess.run(env, List.of("cluster", "submit", "enrichment"));
            assertThat(bad.exitCode()).as(bad.output()).isEqualTo(2);
            assertThat(bad.output()).contains("unknown job 'enrichment'").doesNotContain("Exception");

            CliProcess.Result submit = CliProcess.run(env, List.of("cluster", "submit", "all", "--parallelism", "2"));
            assertThat(submit.exitCode()).as(submit.output()).isZero();
            assertThat(submit.output()).contains(IngestJob.NAME + " running as job").contains(CorrelationJob.NAME + " running as job")
                    .contains("parallelism 2");

            CliProcess.Result status = CliProcess.run(env, List.of("cluster", "status"));
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.output()).contains("2 TaskManagers");
            assertThat(status.output().lines().filter(l -> l.contains("RUNNING")).toList()).as(status.output())
                    .anyMatch(l -> l.contains(IngestJob.NAME)).anyMatch(l -> l.contains(CorrelationJob.NAME));

            // feed it like an operator: simulate a file and replay it into the cluster's Kafka
            assertThat(org.fenghuo.cli.Main.run(List.of("simulate", "--out", tmp.toString(), "--records", "300", "--seed", "5"))).isZero();
            List<String> replay = new ArrayList<>(List.of("replay", "--kafka", up.kafka, "--quiet"));
            try (var files = Files.list(tmp)) {
                files.filter(f -> f.toString().endsWith(".jsonl")).forEach(f -> replay.add(f.toString()));
            }
            assertThat(org.fenghuo.cli.Main.run(replay)).isZero();
            Elastic elastic = new Elastic(up.elasticsearch);
            long docs = 0;
            // exactly-once on the cluster: output is visible once the checkpoint that holds it completes
            for (int i = 0; i < 720 && docs < 280; i++) {
                Thread.sleep(250);
                docs = elastic.count("fenghuo-events") + elastic.count("fenghuo-deadletters");
            }
            assertThat(docs).as("events + dead letters from 300 replayed records (a few are duplicates)").isBetween(280L, 300L);

            // an upgrade: stop the correlation job with a savepoint and start it again from that savepoint
            CliProcess.Result stop = CliProcess.run(env, List.of("cluster", "stop", "correlation"));
            assertThat(stop.exitCode()).as(stop.output()).isZero();
            Matcher m = SAVEPOINT.matcher(stop.output());
            assertThat(m.find()).as(stop.output()).isTrue();
            String savepoint = m.group(1);
            assertThat(Path.of(URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint))).as("the savepoint on disk").isDirectory();
            assertThat(stop.output()).contains("./fenghuo cluster submit correlation --from-savepoint " + savepoint);
            CliProcess.Result resume = CliProcess.run(env, List.of("cluster", "submit", "correlation", "--from-savepoint", savepoint));
            assertThat(resume.exitCode()).as(resume.output()).isZero();
            assertThat(resume.output()).contains(CorrelationJob.NAME + " running as job").contains("restored from " + savepoint);
            CliProcess.Result again = CliProcess.run(env, List.of("cluster", "submit", "ingest"));
            assertThat(again.output()).as("a running job is left alone").contains(IngestJob.NAME + " is already RUNNING");
        } finally {
            CliProcess.Result down = CliProcess.run(env, List.of("cluster", "down"));
            boolean exited = up.process.waitFor(90, TimeUnit.SECONDS);
            if (!exited) up.stop();
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(exited).as("cluster up exits after cluster down; its output: " + up.seen).isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("process " + child.pid() + " started by cluster up stopped").isFalse();
            }
        }
        CliProcess.Result after = CliProcess.run(env, List.of("cluster", "status"));
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.output()).contains("no cluster is up");
    }
}

package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fenghuo demo} as an operator runs it, in its own process: it prints the addresses and {@code ready},
 * ingests what is replayed into its Kafka, and on SIGTERM stops everything it started.
 */
class DemoIT {
    @Test
    void demoStartsIngestsAndStopsCleanly(@TempDir Path tmp) throws Exception {
        long started = System.nanoTime();
        CliProcess demo = CliProcess.demo("768m", Map.of("FENGHUO_SERVICES_BASE_DIR", "/var/tmp/fenghuo/it-demo",
                "FENGHUO_PRIVACY_SECRET", "demo-it-secret-0123456789", "FENGHUO_DASHBOARD_PORT", "0",
                "FENGHUO_DEMO_PASSWORD", "demo-it-password"));
        try {
            demo.awaitReady();
            String kafka = demo.kafka, es = demo.elasticsearch, dashboard = demo.dashboard;
            double readySeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("demo ready in %.1f s%n", readySeconds);
            assertThat(dashboard).matches("http://127\\.0\\.0\\.1:\\d+/");
            DashboardClient officer = new DashboardClient(dashboard);
            assertThat(officer.login("admin", "demo-it-password").status()).as("the demo's admin logs in with FENGHUO_DEMO_PASSWORD").isEqualTo(200);
            assertThat(officer.get("/").body()).contains("<html");
            assertThat(kafka).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(es).startsWith("http://127.0.0.1:");

            // feed it like an operator would: simulate a file, replay it into the demo's Kafka
            assertThat(org.fenghuo.cli.Main.run(List.of("simulate", "--out", tmp.toString(), "--records", "300", "--seed", "5"))).isZero();
            List<String> replay = new ArrayList<>(List.of("replay", "--kafka", kafka, "--quiet"));
            try (var files = Files.list(tmp)) {
                files.filter(f -> f.toString().endsWith(".jsonl")).forEach(f -> replay.add(f.toString()));
            }
            assertThat(org.fenghuo.cli.Main.run(replay)).isZero();
            Elastic elastic = new Elastic(es);
            long docs = 0;
            for (int i = 0; i < 240 && docs < 280; i++) {
                Thread.sleep(250);
                docs = elastic.count("fenghuo-events") + elastic.count("fenghuo-deadletters");
            }
            assertThat(docs).as("events + dead letters from 300 replayed records (a few are duplicates)").isBetween(280L, 300L);
        } finally {
            List<ProcessHandle> children = demo.process.descendants().toList();
            boolean exited = demo.stop();
            assertThat(exited).as("demo exits on SIGTERM; output: " + demo.seen).isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("child process " + child.pid() + " stopped").isFalse();
            }
        }
    }
}

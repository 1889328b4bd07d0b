package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoriesTest {
    @TempDir
    Path tmp;

    @Test
    void runDirectoryIsNamedAfterThisJvmAndNotStale() {
        Path runs = tmp.resolve("runs");
        Path dir = RunDirectories.create(runs);
        assertThat(dir.getParent()).isEqualTo(runs);
        assertThat(dir.getFileName().toString()).startsWith(ProcessHandle.current().pid() + "-");
        long[] owner = RunDirectories.owner(dir).orElseThrow();
        assertThat(RunDirectories.ownerAlive(owner[0], owner[1])).isTrue();
        assertThat(RunDirectories.findStale(runs)).isEmpty();
        assertThat(RunDirectories.create(runs)).isNotEqualTo(dir);
    }

    @Test
    void directoryOfADeadJvmIsStale() throws Exception {
        long deadPid = deadPid();
        Path runs = tmp.resolve("runs");
        Files.createDirectories(runs.resolve(deadPid + "-1700000000000-1"));
        // same pid as a live process but a different start time: the pid was reused, the owner is gone
        Files.createDirectories(runs.resolve(ProcessHandle.current().pid() + "-1000-1"));
        Files.createDirectories(runs.resolve("not-a-run-directory"));
        assertThat(RunDirectories.findStale(runs)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(deadPid + "-1700000000000-1", ProcessHandle.current().pid() + "-1000-1");
    }

    @Test
    void cleanUpKillsOnlyProcessesThatLookLikeOurServices() throws Exception {
        Path runs = tmp.resolve("runs");
        Path stale = runs.resolve(deadPid() + "-1700000000000-1");
        Files.createDirectories(stale.resolve("kafka"));
        // $0 = "kafka.Kafka": the command line looks like a leftover broker
        Process lookalike = new ProcessBuilder("bash", "-c", "while :; do sleep 0.2; done", "kafka.Kafka").start();
        // a pid that was reused by something unrelated must survive
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(stale.resolve("kafka/kafka.pid"), lookalike.pid() + "\n" + unrelated.pid() + "\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RunDirectories.cleanUpStale(runs, new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(lookalike.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(unrelated.isAlive()).isTrue();
            assertThat(stale).doesNotExist();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("removed stale run directory")
                    .contains("stopped 1 leftover process");
        } finally {
            lookalike.destroyForcibly();
            unrelated.destroyForcibly();
        }
    }

    @Test
    void cleanUpFindsProcessesStartedBeforeThePidFileByTheirCommandLine() throws Exception {
        Path stale = tmp.resolve("runs").resolve(deadPid() + "-1700000000000-1");
        Files.createDirectories(stale);
        Process leftover = new ProcessBuilder("bash", "-c", "while :; do sleep 0.2; done", "kafka.Kafka",
                stale.resolve("kafka/server.properties").toString()).start();
        try {
            assertThat(RunDirectories.cleanUp(stale)).isEqualTo(1);
            assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            leftover.destroyForcibly();
        }
    }

    @Test
    void serviceLookalikes() {
        assertThat(RunDirectories.looksLikeService("java -cp x kafka.Kafka /r/server.properties")).isTrue();
        assertThat(RunDirectories.looksLikeService("java -m org.elasticsearch.server/org.elasticsearch.bootstrap.Elasticsearch")).isTrue();
        assertThat(RunDirectories.looksLikeService("runuser -u fenghuo-es -- /d/bin/elasticsearch -E a=b")).isTrue();
        assertThat(RunDirectories.looksLikeService("sleep 60")).isFalse();
    }

    @Test
    void unwritableBaseDirectoryNamesTheSetting() throws Exception {
        // a path below a regular file cannot be created, even by root
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> RunDirectories.createTraversable(file.resolve("base"), LocalServicesOptions.BASE_DIR))
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.base-dir")
                .hasMessageContaining(file.resolve("base").toString());
    }

    @Test
    void startWithUnwritableBaseDirectoryFailsBeforeStartingAnything() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        LocalServicesOptions options = LocalServicesOptions.builder().baseDirectory(file.resolve("base"))
                .progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).build();
        assertThatThrownBy(() -> LocalServices.start(options))
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.base-dir");
    }

    @Test
    void pidFilesIgnoreGarbage() throws Exception {
        Path f = Files.writeString(tmp.resolve("x.pid"), "12\n\nabc\n 34 \n");
        assertThat(RunDirectories.readPids(f)).isEqualTo(List.of(12L, 34L));
    }

    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}

package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
    @TempDir
    Path tmp;

    @Test
    void stopTerminatesTheWholeTreeGracefully() throws Exception {
        // a wrapper with a child, like runuser → elasticsearch; the grandchild must not be orphaned
        ChildProcess p = ChildProcess.start("tree", List.of("bash", "-c", "sleep 300 & wait"), Map.of(), tmp,
                tmp.resolve("out"), tmp.resolve("tree.pid"));
        waitUntil(() -> p.process().descendants().findAny().isPresent());
        p.refreshDescendants();
        List<ProcessHandle> tree = p.process().descendants().collect(Collectors.toList());
        assertThat(RunDirectories.readPids(tmp.resolve("tree.pid"))).hasSize(2).first().isEqualTo(p.pid());

        assertThat(p.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(p.isAlive()).isFalse();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void stopFallsBackToSigkill() throws Exception {
        ChildProcess p = ChildProcess.start("stubborn", List.of("bash", "-c", "trap '' TERM; while :; do sleep 0.1; done"),
                Map.of(), tmp, tmp.resolve("out"), tmp.resolve("s.pid"));
        Thread.sleep(300);
        assertThat(p.stop(Duration.ofMillis(500))).isFalse();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void killSigkillsTheWholeTreeWithoutGrace() throws Exception {
        // TERM is ignored, so only a SIGKILL ends these; and the parent must not get to clean up after itself
        ChildProcess p = ChildProcess.start("crash", List.of("bash", "-c",
                "trap 'echo cleaned >> " + tmp.resolve("trap") + "' EXIT; trap '' TERM; sleep 300 & wait"),
                Map.of(), tmp, tmp.resolve("out"), tmp.resolve("c.pid"));
        waitUntil(() -> p.process().descendants().findAny().isPresent());
        List<ProcessHandle> tree = p.process().descendants().collect(Collectors.toList());
        long t0 = System.nanoTime();
        p.kill();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(p.isAlive()).isFalse();
        assertThat(p.process().exitValue()).isEqualTo(137);
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(tmp.resolve("trap")).doesNotExist();
        p.kill(); // already dead: nothing happens
    }

    @Test
    void outputGoesToTheFileAndEnvironmentIsApplied() throws Exception {
        ChildProcess p = ChildProcess.start("echo", List.of("bash", "-c", "echo \"A=$A B=${B-unset}\"; echo err >&2"),
                java.util.Collections.unmodifiableMap(new java.util.HashMap<>(Map.of("A", "1"))), tmp,
                tmp.resolve("out"), tmp.resolve("e.pid"));
        p.process().waitFor();
        assertThat(Files.readString(tmp.resolve("out"))).contains("A=1 B=unset").contains("err");
    }

    @Test
    void tailReturnsTheLastLines() throws Exception {
        Path f = tmp.resolve("log");
        Files.writeString(f, IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")));
        assertThat(ChildProcess.tail(f, 3)).isEqualTo("line 98\nline 99\nline 100");
        assertThat(ChildProcess.tail(tmp.resolve("missing"), 3)).contains("does not exist");
        Files.write(f, new byte[] {'o', 'k', '\n', (byte) 0xE4, (byte) 0xB8}); // truncated UTF-8 at the end
        assertThat(ChildProcess.tail(f, 2)).startsWith("ok");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}

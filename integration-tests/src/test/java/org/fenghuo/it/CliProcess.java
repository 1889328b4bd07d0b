package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code ./fenghuo} command in its own process, as an operator runs it: {@code demo --no-simulator} or
 * {@code cluster up}, which stay in the foreground, with the addresses they print; or a short command run to its end.
 */
final class CliProcess {
    final Process process;
    final List<String> seen = new ArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    String kafka, elasticsearch, dashboard, flink;

    private CliProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (IOException ignored) {
                // process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code ./fenghuo demo --no-simulator}. */
    static CliProcess demo(String heap, Map<String, String> env) throws IOException {
        return start(heap, env, List.of("demo", "--no-simulator"));
    }

    static CliProcess start(String heap, Map<String, String> env, List<String> args) throws IOException {
        return new CliProcess(builder(heap, env, args).start());
    }

    /** What a short command printed (stdout and stderr) and its exit code; fails the test if it runs over 5 minutes. */
    record Result(int exitCode, String output) {}

    static Result run(Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        Process p = builder("512m", env, args).start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean exited = p.waitFor(5, TimeUnit.MINUTES);
        if (!exited) p.destroyForcibly();
        assertThat(exited).as("./fenghuo " + String.join(" ", args) + " ends").isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static ProcessBuilder builder(String heap, Map<String, String> env, List<String> args) throws IOException {
        Path cli = Path.of("../cli/target").toAbsolutePath().normalize();
        String classpath = cli.resolve("classes") + ":" + Files.readString(cli.resolve("runtime.classpath")).trim();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dlog4j2.configurationFile=log4j2-cli.properties",
                "-Dfenghuo.home=" + Path.of("..").toAbsolutePath().normalize(), "-cp", classpath, "org.fenghuo.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb;
    }

    /** Reads the output up to {@code ready}, noting the kafka, elasticsearch and dashboard addresses. */
    void awaitReady() throws InterruptedException {
        while (true) {
            String l = lines.poll(180, TimeUnit.SECONDS);
            assertThat(l).as("output so far: " + seen).isNotNull();
            seen.add(l);
            if (l.startsWith("kafka: ")) kafka = l.substring(7);
            if (l.startsWith("elasticsearch: ")) elasticsearch = l.substring(15);
            if (l.startsWith("dashboard: ")) dashboard = l.substring(11);
            if (l.startsWith("flink: ")) flink = l.substring(7);
            if (l.equals("ready") || l.startsWith("ready (")) return;
        }
    }

    /** SIGTERM, as systemd or a terminal would send; whether it exited within 90 s (else it is killed). */
    boolean stop() throws InterruptedException {
        process.destroy();
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);
        if (!exited) process.destroyForcibly();
        return exited;
    }
}

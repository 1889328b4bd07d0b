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

/** {@code ./fenghuo demo --no-simulator} in its own process, as an operator runs it, with the addresses it prints. */
final class DemoProcess {
    final Process process;
    final List<String> seen = new ArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    String kafka, elasticsearch, dashboard;

    private DemoProcess(Process process) {
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

    static DemoProcess start(String heap, Map<String, String> env) throws IOException {
        Path cli = Path.of("../cli/target").toAbsolutePath().normalize();
        String classpath = cli.resolve("classes") + ":" + Files.readString(cli.resolve("runtime.classpath")).trim();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dlog4j2.configurationFile=log4j2-cli.properties", "-cp", classpath,
                "org.fenghuo.cli.Main", "demo", "--no-simulator").redirectErrorStream(true);
        pb.environment().putAll(env);
        return new DemoProcess(pb.start());
    }

    /** Reads the output up to {@code ready}, noting the kafka, elasticsearch and dashboard addresses. */
    void awaitReady() throws InterruptedException {
        while (true) {
            String l = lines.poll(180, TimeUnit.SECONDS);
            assertThat(l).as("demo output so far: " + seen).isNotNull();
            seen.add(l);
            if (l.startsWith("kafka: ")) kafka = l.substring(7);
            if (l.startsWith("elasticsearch: ")) elasticsearch = l.substring(15);
            if (l.startsWith("dashboard: ")) dashboard = l.substring(11);
            if (l.equals("ready")) return;
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

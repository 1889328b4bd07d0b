package org.fenghuo.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running {@code ./fenghuo demo} can be reached, so that {@code replay} and other commands find its Kafka
 * without being told. Written at start, removed at stop; a file whose owner process is gone is ignored.
 */
record DemoState(long pid, String kafka, String elasticsearch) {
    static Path file() {
        String base = System.getenv().getOrDefault("FENGHUO_SERVICES_BASE_DIR", "/var/tmp/fenghuo");
        return Path.of(base, "demo.properties");
    }

    void write() {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("kafka", kafka);
        p.setProperty("elasticsearch", elasticsearch);
        try {
            Files.createDirectories(file().getParent());
            try (Writer w = Files.newBufferedWriter(file(), StandardCharsets.UTF_8)) {
                p.store(w, "written by ./fenghuo demo; removed when it stops");
            }
        } catch (IOException e) {
            System.err.println("[demo] note: could not write " + file() + " (" + e.getMessage() + "); replay will need --kafka");
        }
    }

    static void remove() {
        try {
            Files.deleteIfExists(file());
        } catch (IOException ignored) {
            // a stale file is ignored by read() anyway
        }
    }

    static Optional<DemoState> read() {
        Path f = file();
        if (!Files.isRegularFile(f)) return Optional.empty();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
            long pid = Long.parseLong(p.getProperty("pid"));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.of(new DemoState(pid, p.getProperty("kafka"), p.getProperty("elasticsearch")));
            }
        } catch (IOException | RuntimeException ignored) {
            // unreadable or stale: as if absent
        }
        return Optional.empty();
    }

    /** Kafka from --kafka, then FENGHUO_KAFKA_BOOTSTRAP, then a running demo. */
    static String kafka(Args args) {
        String k = args.value("kafka", System.getenv("FENGHUO_KAFKA_BOOTSTRAP"));
        if (k != null && !k.isBlank()) return k;
        return read().map(DemoState::kafka).orElseThrow(() -> new CommandException(
                "no Kafka to send to: pass --kafka HOST:PORT, set FENGHUO_KAFKA_BOOTSTRAP, or start ./fenghuo demo first"));
    }
}

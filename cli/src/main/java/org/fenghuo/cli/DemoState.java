package org.fenghuo.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a running {@code ./fenghuo demo} can be reached, so that {@code replay} and other commands find its Kafka
 * without being told. Written at start, removed at stop; a file whose owner process is gone is ignored.
 */
record DemoState(long pid, String kafka, String elasticsearch) {
    static Path file() {
        return StateFile.path("demo.properties");
    }

    void write() {
        try {
            StateFile.write(file(), pid, Map.of("kafka", kafka, "elasticsearch", elasticsearch), "written by ./fenghuo demo; removed when it stops");
        } catch (IOException e) {
            System.err.println("[demo] note: could not write " + file() + " (" + e.getMessage() + "); replay will need --kafka");
        }
    }

    static void remove() {
        StateFile.remove(file());
    }

    static Optional<DemoState> read() {
        return StateFile.readLive(file()).map(p -> new DemoState(Long.parseLong(p.getProperty("pid")), p.getProperty("kafka"),
                p.getProperty("elasticsearch")));
    }

    /** Kafka from --kafka, then FENGHUO_KAFKA_BOOTSTRAP, then a running demo. */
    static String kafka(Args args) {
        String k = args.value("kafka", System.getenv("FENGHUO_KAFKA_BOOTSTRAP"));
        if (k != null && !k.isBlank()) return k;
        return read().map(DemoState::kafka).orElseThrow(() -> new CommandException(
                "no Kafka to send to: pass --kafka HOST:PORT, set FENGHUO_KAFKA_BOOTSTRAP, or start ./fenghuo demo first"));
    }
}

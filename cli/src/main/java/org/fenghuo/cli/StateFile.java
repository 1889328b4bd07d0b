package org.fenghuo.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a command that stays in the foreground ({@code demo}, {@code cluster up}) can be reached by the other
 * commands: a properties file under the services' base directory, with the owner's pid. Written at start, removed at
 * stop; a file whose owner process is gone counts as absent.
 */
final class StateFile {
    private StateFile() {}

    static Path path(String name) {
        return Path.of(System.getenv().getOrDefault("FENGHUO_SERVICES_BASE_DIR", "/var/tmp/fenghuo"), name);
    }

    static void write(Path file, long pid, Map<String, String> values, String comment) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        values.forEach(p::setProperty);
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, comment);
        }
    }

    /** Writes settings readable by the owner only (they may hold the pseudonymisation secret), replacing the file. */
    static void writePrivate(Path file, Properties values, String comment) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            values.store(w, comment);
        }
    }

    /** The file's values if its owner is still alive; empty if it is missing, unreadable or stale. */
    static Optional<Properties> readLive(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            long pid = Long.parseLong(p.getProperty("pid"));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? Optional.of(p) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale file is ignored by readLive() anyway
        }
    }
}

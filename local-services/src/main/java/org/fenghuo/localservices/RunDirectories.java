package org.fenghuo.localservices;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Run directories: {@code <runs>/<ownerPid>-<ownerStartMillis>-<n>}. The owner is in the name rather than in a
 * file inside, so there is no moment when a fresh directory looks ownerless to another JVM cleaning up.
 */
public final class RunDirectories {
    public static final String PID_FILE_SUFFIX = ".pid";
    private static final Pattern NAME = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Start instants from /proc have clock-tick resolution and are recomputed from the boot time on each read. */
    private static final long START_TOLERANCE_MILLIS = 2_000;

    private RunDirectories() {
    }

    /** Creates a fresh run directory for this JVM, world-traversable so that the Elasticsearch user can reach into it. */
    public static Path create(Path runsDirectory) {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        createTraversable(runsDirectory, LocalServicesOptions.BASE_DIR);
        while (true) {
            Path dir = runsDirectory.resolve(self.pid() + "-" + start + "-" + SEQUENCE.incrementAndGet());
            try {
                Files.createDirectory(dir);
                setMode(dir, "rwxr-xr-x");
                return dir;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // an earlier JVM with the same pid and start time cannot exist; a stale one from before a reboot can
            } catch (IOException e) {
                throw notWritable(runsDirectory, e);
            }
        }
    }

    /** Creates {@code dir} and any missing parents with mode 755, naming {@code setting} if that fails. */
    static void createTraversable(Path dir, String setting) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                // explicit, because root's umask may be 077 and the Elasticsearch user must traverse these
                setMode(p, "rwxr-xr-x");
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw new ServicesConfigException(setting, LocalServicesOptions.describe(setting) + ": " + p
                            + " exists and is not a directory (directory wanted: " + dir + ")");
                }
            } catch (IOException e) {
                throw new ServicesConfigException(setting, LocalServicesOptions.describe(setting) + ": cannot create "
                        + dir + " (" + describe(e) + "); choose a writable directory with -D" + setting + "=DIR", e);
            }
        }
        if (!Files.isWritable(dir)) {
            throw new ServicesConfigException(setting, LocalServicesOptions.describe(setting) + ": " + dir
                    + " is not writable; choose a writable directory with -D" + setting + "=DIR");
        }
    }

    private static ServicesConfigException notWritable(Path dir, IOException e) {
        String s = LocalServicesOptions.BASE_DIR;
        return new ServicesConfigException(s, LocalServicesOptions.describe(s) + ": cannot create a run directory in "
                + dir + " (" + describe(e) + "); choose a writable directory with -D" + s + "=DIR", e);
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to adjust
        }
    }

    /** Owner pid of a run directory, if the name has the expected form. */
    static Optional<long[]> owner(Path runDir) {
        Matcher m = NAME.matcher(runDir.getFileName().toString());
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the process that created the directory is still running (same pid and same start time). */
    static boolean ownerAlive(long pid, long startMillis) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (h.isEmpty()) return false;
        Optional<Instant> start = h.get().info().startInstant();
        if (start.isEmpty() || startMillis == 0) {
            return true; // cannot tell whether the pid was reused: leaving a directory behind is the safe mistake
        }
        return Math.abs(start.get().toEpochMilli() - startMillis) <= START_TOLERANCE_MILLIS;
    }

    /** Directories in {@code runsDirectory} whose owner JVM is gone. */
    static List<Path> findStale(Path runsDirectory) {
        List<Path> stale = new ArrayList<>();
        if (!Files.isDirectory(runsDirectory)) return stale;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runsDirectory, Files::isDirectory)) {
            for (Path dir : dirs) {
                owner(dir).filter(o -> !ownerAlive(o[0], o[1])).ifPresent(o -> stale.add(dir));
            }
        } catch (IOException e) {
            // unreadable runs directory: creating our own run directory will report the real problem
        }
        return stale;
    }

    /**
     * Kills what a dead JVM left running in its run directory and deletes the directory. A pid is only killed if its
     * command line still looks like one of our services, because pids are reused.
     *
     * @return number of processes killed
     */
    static int cleanUp(Path runDir) {
        Set<Long> pids = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(runDir, 3)) {
            files.filter(f -> f.getFileName().toString().endsWith(PID_FILE_SUFFIX) && Files.isRegularFile(f))
                    .forEach(f -> pids.addAll(readPids(f)));
        } catch (IOException | UncheckedIOException e) {
            // partly deleted by another JVM cleaning up at the same time: the command-line scan below still works
        }
        String dirText = runDir.toAbsolutePath().toString();
        List<ProcessHandle> victims = new ArrayList<>();
        for (Long pid : pids) {
            ProcessHandle.of(pid).filter(h -> looksLikeService(commandLine(h))).ifPresent(victims::add);
        }
        // pid files are written only once a service is up; anything started before that names the directory
        ProcessHandle.allProcesses()
                .filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> victims.stream().noneMatch(v -> v.pid() == h.pid()))
                .filter(h -> {
                    String cmd = commandLine(h);
                    return cmd.contains(dirText) && looksLikeService(cmd);
                })
                .forEach(victims::add);
        victims.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (ProcessHandle v : victims) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) v.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // fall through to SIGKILL
            }
            if (v.isAlive()) v.destroyForcibly();
        }
        deleteRecursively(runDir);
        return victims.size();
    }

    /** Stale clean-up at start: quiet when there is nothing to do. */
    public static void cleanUpStale(Path runsDirectory, PrintStream progress) {
        for (Path dir : findStale(runsDirectory)) {
            int killed = cleanUp(dir);
            progress.println("[services] removed stale run directory " + dir + " of a JVM that is gone"
                    + (killed > 0 ? " (stopped " + killed + " leftover process" + (killed == 1 ? "" : "es") + ")" : ""));
        }
    }

    static boolean looksLikeService(String commandLine) {
        return commandLine.contains("kafka.Kafka")
                || commandLine.contains("org.apache.flink.runtime.")
                || commandLine.contains("org.elasticsearch.")
                || commandLine.contains("/bin/elasticsearch");
    }

    static String commandLine(ProcessHandle h) {
        ProcessHandle.Info info = h.info();
        return info.commandLine().orElseGet(() -> info.command().orElse(""));
    }

    static List<Long> readPids(Path pidFile) {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(pidFile, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (t.matches("\\d+")) pids.add(Long.parseLong(t));
            }
        } catch (IOException e) {
            // gone or unreadable: nothing to kill from it
        }
        return pids;
    }

    /** Best effort: files another user created may resist, and must not turn a clean-up into a failure. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // keep going: delete as much as we can
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) {
                    try {
                        Files.deleteIfExists(d);
                    } catch (IOException ignored) {
                        // not empty because something inside resisted
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // walkFileTree only throws for the start directory, which then is already gone
        }
    }
}

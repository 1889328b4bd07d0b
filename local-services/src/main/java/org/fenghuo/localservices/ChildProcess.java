package org.fenghuo.localservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A child process with its whole tree of descendants: started with output to a file, its pids written to a pid
 * file (so that a later JVM can clean up if this one is SIGKILLed), and stopped gracefully.
 */
public final class ChildProcess {
    private final String name;
    private final Process process;
    private final Path outputFile;
    private final Path pidFile;
    /** Every process of the tree seen so far; kept because the root may die before its children (runuser does). */
    private final Map<Long, ProcessHandle> known = new LinkedHashMap<>();

    private ChildProcess(String name, Process process, Path outputFile, Path pidFile) {
        this.name = name;
        this.process = process;
        this.outputFile = outputFile;
        this.pidFile = pidFile;
        known.put(process.pid(), process.toHandle());
    }

    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path workingDir,
                              Path outputFile, Path pidFile) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                // a file, not a pipe: nobody drains a pipe once we are waiting, and a full pipe blocks the child
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // a null value removes the variable
        environment.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        try {
            ChildProcess child = new ChildProcess(name, pb.start(), outputFile, pidFile);
            child.refreshDescendants();
            return child;
        } catch (IOException e) {
            throw new ServicesException(name + ": cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    public Path outputFile() {
        return outputFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Records the current descendants and rewrites the pid file with the whole tree, root first. */
    synchronized void refreshDescendants() {
        process.descendants().forEach(h -> known.putIfAbsent(h.pid(), h));
        String pids = known.keySet().stream().map(String::valueOf).collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.writeString(pidFile, pids, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pidFile, e);
        }
    }

    /**
     * Stops the tree: SIGTERM to the descendants first, so that a wrapper such as runuser (which SIGKILLs its
     * child two seconds after it is itself signalled) does not cut the graceful shutdown short; then the root; after
     * {@code grace}, SIGKILL to whatever is left. Returns true if everything had stopped before the SIGKILL.
     */
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<ProcessHandle> descendants;
        synchronized (this) {
            process.descendants().forEach(h -> known.putIfAbsent(h.pid(), h));
            descendants = new ArrayList<>(known.values());
        }
        descendants.removeIf(h -> h.pid() == process.pid());
        // deepest first: the real server gets the signal before the launcher that would forward it
        Deque<ProcessHandle> leafFirst = new ArrayDeque<>();
        descendants.forEach(leafFirst::push);
        boolean graceful = true;
        if (!leafFirst.isEmpty()) {
            leafFirst.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
            graceful = waitFor(leafFirst, deadline);
            // the root normally exits by itself once its child has; give it a moment before signalling it
            waitFor(List.of(process.toHandle()), Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(3)));
        }
        if (process.isAlive()) {
            process.destroy();
            graceful &= waitFor(List.of(process.toHandle()), deadline);
        }
        if (!graceful || process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            leafFirst.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            graceful = false;
        }
        return graceful;
    }

    /**
     * SIGKILL to the whole tree at once, with no chance to shut down: a crash, for fault tests. Returns once the root
     * has exited (at most 10 s).
     */
    public void kill() {
        List<ProcessHandle> tree;
        synchronized (this) {
            process.descendants().forEach(h -> known.putIfAbsent(h.pid(), h));
            tree = new ArrayList<>(known.values());
        }
        // handles remember their start time, so a pid reused since is not hit
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle h : tree) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a descendant that outlives SIGKILL for seconds is a zombie of someone else's: nothing more to do
        }
    }

    private static boolean waitFor(Iterable<ProcessHandle> handles, long deadlineNanos) {
        for (ProcessHandle h : handles) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return !h.isAlive() && allDead(handles);
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                // onExit never completes exceptionally for a real process; treat like "not known to have exited"
                if (h.isAlive()) return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static boolean allDead(Iterable<ProcessHandle> handles) {
        for (ProcessHandle h : handles) {
            if (h.isAlive()) return false;
        }
        return true;
    }

    /** The last {@code lines} lines of a file, or a note saying why there are none. */
    public static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(" + file + " does not exist)";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (all.isEmpty()) {
                return "(" + file + " is empty)";
            }
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            try {
                // a partly written multi-byte character at the end must not hide the whole log
                byte[] bytes = Files.readAllBytes(file);
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                String[] all = text.split("\n");
                return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
            } catch (IOException e2) {
                return "(cannot read " + file + ": " + e2.getMessage() + ")";
            }
        }
    }
}

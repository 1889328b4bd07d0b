package org.fenghuo.cli;

import java.util.Locale;

/** A progress bar on stderr for long work (replay, generation, benchmarks); plain lines when not on a terminal. */
final class Progress {
    private static final int WIDTH = 30;
    private final String label;
    private final long total;
    private final boolean enabled;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private long done;
    private long lastPrint;
    private int lastPercent = -1;

    Progress(String label, long total, boolean enabled) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.enabled = enabled;
    }

    void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (!enabled || now - lastPrint < 200_000_000L && done < total) return;
        int percent = (int) (100 * done / total);
        if (!terminal && (percent / 10 == lastPercent / 10) && done < total) return;
        lastPrint = now;
        lastPercent = percent;
        int filled = (int) ((long) WIDTH * done / total);
        double rate = done / Math.max((now - started) / 1e9, 1e-3);
        String line = String.format(Locale.ROOT, "[%s] [%s%s] %3d%% %,d/%,d (%,.0f/s)", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), percent, done, total, rate);
        System.err.print(terminal ? "\r" + line : line + System.lineSeparator());
    }

    void note(String message) {
        if (!enabled) return;
        System.err.print(terminal ? "\r" + " ".repeat(90) + "\r" : "");
        System.err.println("[" + label + "] " + message);
        lastPrint = 0;
    }

    void finish() {
        if (enabled && terminal) System.err.println();
    }
}

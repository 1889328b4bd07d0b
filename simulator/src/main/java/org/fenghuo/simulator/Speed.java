package org.fenghuo.simulator;

/**
 * How fast simulated time runs against the wall clock.
 *
 * @param mode   REALTIME, FACTOR (simulated time runs {@code factor} times faster), MAX (no waiting), or
 *               CATCH_UP (like FACTOR, but never ahead of the wall clock: start in the past and it replays fast,
 *               then runs in real time, so no event time lies in the future)
 * @param factor the speed-up for FACTOR and CATCH_UP, 1 for REALTIME, unused for MAX
 */
public record Speed(Mode mode, double factor) {
    public enum Mode { REALTIME, FACTOR, MAX, CATCH_UP }

    public Speed {
        if (mode == null) throw new IllegalArgumentException("speed mode is required");
        if ((mode == Mode.FACTOR || mode == Mode.CATCH_UP) && !(factor > 0 && factor <= 1_000_000)) {
            throw new IllegalArgumentException("speed factor must be > 0 and at most 1000000, was " + factor);
        }
    }

    public static Speed realtime() { return new Speed(Mode.REALTIME, 1); }

    public static Speed factor(double factor) { return new Speed(Mode.FACTOR, factor); }

    public static Speed max() { return new Speed(Mode.MAX, 0); }

    public static Speed catchUp(double factor) { return new Speed(Mode.CATCH_UP, factor); }

    /** Parses {@code realtime}, {@code max}, {@code x60} / {@code 60} (FACTOR) or {@code catchup:60}. */
    public static Speed parse(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.equals("realtime")) return realtime();
            if (s.equals("max")) return max();
            if (s.startsWith("catchup:") || s.startsWith("catch-up:")) return catchUp(Double.parseDouble(s.substring(s.indexOf(':') + 1)));
            return factor(Double.parseDouble(s.startsWith("x") ? s.substring(1) : s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("speed must be realtime, max, x<factor> or catchup:<factor>, was " + text);
        }
    }

    /** Simulated milliseconds per wall millisecond; infinite for MAX. */
    double simPerWall() {
        return switch (mode) {
            case REALTIME -> 1;
            case FACTOR, CATCH_UP -> factor;
            case MAX -> Double.POSITIVE_INFINITY;
        };
    }

    @Override
    public String toString() {
        return switch (mode) {
            case REALTIME -> "realtime";
            case MAX -> "max";
            case FACTOR -> "x" + (factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor));
            case CATCH_UP -> "catchup:" + (factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor));
        };
    }
}

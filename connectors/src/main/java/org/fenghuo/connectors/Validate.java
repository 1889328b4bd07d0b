package org.fenghuo.connectors;

import java.time.Duration;

/**
 * Builder checks of the connectors (the Elasticsearch sink, the webhook notifier) whose messages name the setting and
 * the allowed range, so a bad config is fixed in one go.
 */
public final class Validate {
    private Validate() {}

    public static int intInRange(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    setting + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static long longInRange(String setting, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    setting + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static double doubleInRange(String setting, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    setting + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static Duration durationInRange(String setting, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new IllegalArgumentException(
                    setting + " must be set (between " + human(min) + " and " + human(max) + ")");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    setting + " must be between " + human(min) + " and " + human(max) + ", was " + human(value));
        }
        return value;
    }

    public static String human(Duration d) {
        if (d.isNegative()) {
            return "-" + human(d.negated());
        }
        long ms = d.toMillis();
        if (ms == 0 && !d.isZero()) {
            return d.toNanos() + "ns";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "min";
        }
        if (ms % 1000 == 0 && ms > 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    public static String notBlank(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + " is required and must not be blank");
        }
        return value;
    }

    /**
     * Elasticsearch's own index-name rules, checked early so a typo fails at build() rather than as a
     * rejected document at run time.
     */
    public static String indexName(String setting, String name) {
        notBlank(setting, name);
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))
                || name.startsWith("_") || name.startsWith("-") || name.startsWith("+")
                || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> "\\/*?\"<>| ,#:".indexOf(c) >= 0)
                || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException(setting + " '" + name + "' is not a valid Elasticsearch index name"
                    + " (lowercase, no \\ / * ? \" < > | space , # :, not starting with _ - +, at most 255 bytes)");
        }
        return name;
    }
}

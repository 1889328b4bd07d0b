package org.fenghuo.core.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once: name, environment variable, type, default, description and validation.
 * Values come from (in order of precedence) {@code --name=value} arguments, environment variables, then the default.
 */
public final class Setting<T> implements Serializable {
    private final String name;
    private final String description;
    private final T defaultValue;
    private final transient Function<String, T> parser;
    private final transient Predicate<T> valid;
    private final String expectation;
    private final boolean secret;

    private Setting(String name, String description, T defaultValue, Function<String, T> parser, Predicate<T> valid, String expectation) {
        this(name, description, defaultValue, parser, valid, expectation, false);
    }

    private Setting(String name, String description, T defaultValue, Function<String, T> parser, Predicate<T> valid,
                    String expectation, boolean secret) {
        this.name = Objects.requireNonNull(name);
        this.description = description;
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.valid = valid;
        this.expectation = expectation;
        this.secret = secret;
    }

    /** The same setting, marked secret: its value never appears in an error message. */
    public Setting<T> secret() {
        return new Setting<>(name, description, defaultValue, parser, valid, expectation, true);
    }

    public boolean isSecret() { return secret; }

    public static Setting<String> string(String name, String defaultValue, String description) {
        return new Setting<>(name, description, defaultValue, s -> s, s -> true, "a string");
    }

    public static Setting<Integer> integer(String name, int defaultValue, int min, int max, String description) {
        return new Setting<>(name, description, defaultValue, Integer::valueOf, v -> v >= min && v <= max,
                "a whole number from " + min + " to " + max);
    }

    public static Setting<Duration> duration(String name, Duration defaultValue, Duration min, Duration max, String description) {
        return new Setting<>(name, description, defaultValue, Setting::parseDuration,
                v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0,
                "a duration from " + format(min) + " to " + format(max) + " (e.g. 500ms, 30s, 5m, 2h, 7d)");
    }

    public static Setting<Boolean> bool(String name, boolean defaultValue, String description) {
        return new Setting<>(name, description, defaultValue, Setting::parseBool, v -> true, "true or false");
    }

    /** The same setting with an extra condition on its value. */
    public Setting<T> requiring(Predicate<T> condition, String expectation) {
        return new Setting<>(name, description, defaultValue, parser, v -> valid.test(v) && condition.test(v), expectation, secret);
    }

    public String name() { return name; }
    public String description() { return description; }
    public T defaultValue() { return defaultValue; }
    public String expectation() { return expectation; }

    /** Environment variable for {@code fenghuo.kafka.bootstrap}: {@code FENGHUO_KAFKA_BOOTSTRAP}. */
    public String envName() {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    T parse(String raw) {
        T value;
        try {
            value = parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(this, raw, "is not " + expectation);
        }
        if (!valid.test(value)) throw new ConfigException(this, raw, "is not " + expectation);
        return value;
    }

    static Duration parseDuration(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) return Duration.parse(v.toUpperCase(Locale.ROOT));
        int i = 0;
        while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) i++;
        if (i == 0) throw new IllegalArgumentException(s);
        double n = Double.parseDouble(v.substring(0, i));
        String unit = v.substring(i).trim();
        long ms = switch (unit) {
            case "ms" -> Math.round(n);
            case "s", "" -> Math.round(n * 1_000);
            case "m", "min" -> Math.round(n * 60_000);
            case "h" -> Math.round(n * 3_600_000);
            case "d" -> Math.round(n * 86_400_000);
            default -> throw new IllegalArgumentException(s);
        };
        return Duration.ofMillis(ms);
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0";
        if (ms % 86_400_000 == 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }

    private static Boolean parseBool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(s);
        };
    }
}

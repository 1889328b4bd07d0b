package org.fenghuo.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, strict option parser: {@code --flag}, {@code --name VALUE} or {@code --name=VALUE}, and positionals.
 * Unknown options are errors, so a typo never silently changes what runs.
 */
public final class Args {
    private final Map<String, String> options = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Args() {}

    public static Args parse(List<String> argv, Set<String> flags, Set<String> valued) {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                a.positionals.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) throw new UsageException("option --" + name + " takes no value");
                a.options.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.size() || argv.get(i + 1).startsWith("--")) throw new UsageException("option --" + name + " needs a value");
                    value = argv.get(++i);
                }
                if (value.isBlank()) throw new UsageException("option --" + name + " needs a value");
                a.options.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return a;
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public String value(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        String v = options.get(name);
        if (v == null) return defaultValue;
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": '" + v + "' is not a whole number from " + min + " to " + max);
        }
    }

    public double doubleValue(String name, double defaultValue, double min, double max) {
        String v = options.get(name);
        if (v == null) return defaultValue;
        try {
            double n = Double.parseDouble(v);
            if (!(n >= min && n <= max)) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": '" + v + "' is not a number from " + min + " to " + max);
        }
    }

    public List<String> positionals() {
        return List.copyOf(positionals);
    }
}

package org.fenghuo.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Raw configuration values from arguments ({@code --fenghuo.x.y=value}) and the environment, read through
 * declared {@link Setting}s. Unknown {@code fenghuo.*} arguments are an error, so a typo is not silently ignored.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Map<String, String> env;

    private Settings(Map<String, String> values, Map<String, String> env) {
        this.values = Map.copyOf(values);
        this.env = Map.copyOf(env);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values, Map.of());
    }

    public static Settings of(Map<String, String> values, Map<String, String> env) {
        return new Settings(values, env);
    }

    /**
     * Parses {@code --name=value} arguments; {@code known} lists every declared setting, to reject unknown ones.
     * {@code --config=FILE} reads settings from a properties file ({@code name=value} lines) first; arguments given
     * beside it win over the file, and both win over the environment.
     */
    public static Settings fromArgs(String[] args, Map<String, String> env, List<Setting<?>> known) {
        Map<String, String> fromFile = new HashMap<>();
        Map<String, String> values = new HashMap<>();
        Set<String> names = known.stream().map(Setting::name).collect(Collectors.toSet());
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new ConfigException("argument '" + arg + "' is not of the form --name=value");
            }
            String name = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            if (name.equals(CONFIG_ARGUMENT)) {
                fromFile.putAll(readFile(value, names));
                continue;
            }
            if (!names.contains(name)) {
                throw new ConfigException("unknown setting '" + name + "'; known settings: " + String.join(", ", names.stream().sorted().toList()));
            }
            values.put(name, value);
        }
        fromFile.putAll(values);
        return new Settings(fromFile, env);
    }

    /** The argument naming a settings file: {@code --config=FILE}. */
    public static final String CONFIG_ARGUMENT = "config";

    private static Map<String, String> readFile(String file, Set<String> names) {
        java.nio.file.Path path = java.nio.file.Path.of(file);
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(path, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("settings file " + path.toAbsolutePath() + " (--config) does not exist");
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ConfigException("settings file " + path.toAbsolutePath() + " (--config) cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (!names.contains(name)) {
                throw new ConfigException("settings file " + path.toAbsolutePath() + ": unknown setting '" + name + "'; known settings: "
                        + String.join(", ", names.stream().sorted().toList()));
            }
            out.put(name, p.getProperty(name).strip());
        }
        return out;
    }

    public <T> T get(Setting<T> setting) {
        String raw = values.get(setting.name());
        if (raw == null) raw = env.get(setting.envName());
        if (raw == null || raw.isBlank()) return setting.defaultValue();
        return setting.parse(raw);
    }

    /** A required list of http(s) URLs, comma-separated (e.g. Elasticsearch hosts). */
    public List<String> httpUrls(Setting<String> setting) {
        List<String> urls = java.util.Arrays.stream(require(setting).split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
        for (String u : urls) {
            if (!u.startsWith("http://") && !u.startsWith("https://")) {
                throw new ConfigException("setting " + setting.name() + ": '" + u + "' is not an http:// or https:// URL");
            }
        }
        return urls;
    }

    /** A required file setting whose file must be readable. */
    public String readableFile(Setting<String> setting) {
        String file = require(setting);
        if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
            throw new ConfigException("setting " + setting.name() + ": file " + file + " does not exist or is not readable");
        }
        return file;
    }

    /** Like {@link #get} but the setting must have a value. */
    public <T> T require(Setting<T> setting) {
        T v = get(setting);
        if (v == null) {
            throw new ConfigException("setting " + setting.name() + " (env " + setting.envName() + ") is required"
                    + (setting.description() == null ? "" : " — " + setting.description()));
        }
        return v;
    }
}

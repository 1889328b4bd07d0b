package org.fenghuo.core.config;

/** A configuration value that cannot be used; the message names the setting, the value and what is expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    ConfigException(Setting<?> setting, String raw, String problem) {
        super("setting " + setting.name() + " (env " + setting.envName() + "): " + (setting.isSecret() ? "the value" : "'" + raw + "'") + " " + problem
                + (setting.description() == null ? "" : " — " + setting.description()));
    }
}

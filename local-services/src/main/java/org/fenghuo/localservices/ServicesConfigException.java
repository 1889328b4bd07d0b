package org.fenghuo.localservices;

/** A setting has a value that cannot work; the message names the setting so the user knows what to change. */
public class ServicesConfigException extends ServicesException {
    private static final long serialVersionUID = 1L;
    private final String setting;

    public ServicesConfigException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    public ServicesConfigException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /** The system property name of the offending setting, e.g. {@code fenghuo.services.base-dir}. */
    public String setting() {
        return setting;
    }
}

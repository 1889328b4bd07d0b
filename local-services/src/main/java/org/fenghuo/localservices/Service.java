package org.fenghuo.localservices;

/** The services this module can run. */
public enum Service {
    KAFKA("kafka"),
    ELASTICSEARCH("elasticsearch");

    private final String label;

    Service(String label) {
        this.label = label;
    }

    /** Lower-case name used in progress lines, settings and directory names. */
    public String label() {
        return label;
    }
}

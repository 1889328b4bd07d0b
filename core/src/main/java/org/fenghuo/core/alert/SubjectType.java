package org.fenghuo.core.alert;

/** What an alert or signal is about (DESIGN §7). */
public enum SubjectType {
    ENTERPRISE("ENT:"),
    PERSON("PER:"),
    REGION("REG:"),
    /** A place found by distance (a cluster of calls); keyed by the region code of its first record. */
    PLACE("REG:");

    private final String keyPrefix;

    SubjectType(String keyPrefix) { this.keyPrefix = keyPrefix; }

    public String keyPrefix() { return keyPrefix; }
}

package org.fenghuo.core.alert;

/** Where an alert stands in its handling (DESIGN §7). */
public enum AlertStatus {
    NEW("新告警"),
    ACKNOWLEDGED("已签收"),
    DISPATCHED("已派单"),
    RESOLVED("已办结"),
    DISMISSED("已排除");

    private final String label;

    AlertStatus(String label) { this.label = label; }

    public String label() { return label; }

    /** Open alerts take new evidence; closed ones start a new episode after the cooldown. */
    public boolean isOpen() { return this == NEW || this == ACKNOWLEDGED || this == DISPATCHED; }
}

package org.fenghuo.core.alert;

/**
 * The four-level warning system (DESIGN §6), least severe first so that {@link #compareTo} orders by severity.
 */
public enum AlertLevel {
    BLUE("蓝色", "IV"),
    YELLOW("黄色", "III"),
    ORANGE("橙色", "II"),
    RED("红色", "I");

    private final String label;
    private final String roman;

    AlertLevel(String label, String roman) {
        this.label = label;
        this.roman = roman;
    }

    /** Chinese display name, e.g. {@code 红色}. */
    public String label() { return label; }

    /** The Roman grade used in official notices ({@code I} is the most severe). */
    public String roman() { return roman; }

    /** {@code steps} levels more severe, never beyond RED. */
    public AlertLevel raise(int steps) {
        return values()[Math.min(RED.ordinal(), Math.max(0, ordinal() + steps))];
    }

    public boolean isAtLeast(AlertLevel other) { return compareTo(other) >= 0; }

    public static AlertLevel max(AlertLevel a, AlertLevel b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) >= 0 ? a : b;
    }
}

package org.fenghuo.core.alert;

/**
 * What can happen to an alert. The first five are made by people (written by the dashboards service to
 * {@code alert.actions}); the others are recorded by the correlation job so the audit trail is complete.
 */
public enum ActionType {
    ACKNOWLEDGE("签收", true),
    DISPATCH("派单", true),
    RESOLVE("办结", true),
    DISMISS("排除", true),
    COMMENT("备注", true),
    RAISE("生成告警", false),
    LEVEL_UP("告警升级", false),
    ESCALATE("逐级上报", false),
    EVIDENCE("新增证据", false);

    private final String label;
    private final boolean human;

    ActionType(String label, boolean human) {
        this.label = label;
        this.human = human;
    }

    public String label() { return label; }

    /** Whether people may send it on {@code alert.actions}. */
    public boolean isHuman() { return human; }
}

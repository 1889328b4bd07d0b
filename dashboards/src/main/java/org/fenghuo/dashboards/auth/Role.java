package org.fenghuo.dashboards.auth;

import io.javalin.security.RouteRole;

/** What a user may do. Every role reads within its region scope; only duty officers and admins act on alerts. */
public enum Role implements RouteRole {
    DUTY_OFFICER("值班员", true),
    ANALYST("研判人员", false),
    ADMIN("管理员", true);

    private final String label;
    private final boolean mayAct;

    Role(String label, boolean mayAct) {
        this.label = label;
        this.mayAct = mayAct;
    }

    public String label() { return label; }

    /** Whether the role may acknowledge, dispatch, resolve, dismiss or comment on alerts. */
    public boolean mayAct() { return mayAct; }
}

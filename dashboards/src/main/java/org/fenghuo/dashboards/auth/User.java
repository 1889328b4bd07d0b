package org.fenghuo.dashboards.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;

/**
 * A user of the dashboards: a role and a region scope (a region-code prefix; {@code ""} is the whole city). The
 * password hash never leaves the users file and this record ({@link #toString} leaves it out).
 */
public record User(String name, Role role, String scope, @JsonIgnore String passwordHash) {
    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        scope = scope == null ? "" : scope;
    }

    public Scope regionScope() {
        return new Scope(scope);
    }

    @Override
    public String toString() {
        return "User[" + name + ", " + role + ", scope=" + (scope.isEmpty() ? "(city)" : scope) + "]";
    }
}

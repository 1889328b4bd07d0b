package org.fenghuo.dashboards.auth;

import java.util.Optional;

/**
 * A region scope: data is visible when its region code starts with {@link #prefix}. Codes nest by length
 * (6 district, 9 street, 12 community, 15 grid), so a prefix of length n is matched against the code of the
 * shallowest level that has at least n digits.
 */
public record Scope(String prefix) {
    public static final Scope CITY = new Scope("");

    public Scope {
        prefix = prefix == null ? "" : prefix;
        if (!prefix.chars().allMatch(Character::isDigit) || prefix.length() > 15) {
            throw new IllegalArgumentException("a region scope is up to 15 digits of a region code, not '" + prefix + "'");
        }
    }

    public boolean isCity() { return prefix.isEmpty(); }

    /** Whether a code lies inside; the whole city also holds data whose region is not known (an empty code). */
    public boolean allows(String code) {
        return code != null && code.startsWith(prefix);
    }

    /** Whether every code inside {@code other} is also inside this scope. */
    public boolean covers(Scope other) {
        return other.prefix.startsWith(prefix);
    }

    /**
     * The narrower of this scope and a requested region: the request if it lies inside this scope, nothing if it
     * lies outside (the caller answers 403).
     */
    public Optional<Scope> narrowTo(String requested) {
        if (requested == null || requested.isBlank()) return Optional.of(this);
        Scope r = new Scope(requested.trim());
        return covers(r) ? Optional.of(r) : Optional.empty();
    }

    /** The document field holding the region code this prefix is compared with (e.g. {@code region.street}). */
    public String regionField() {
        return regionField(prefix.length());
    }

    public static String regionField(int digits) {
        if (digits <= 6) return "region.district";
        if (digits <= 9) return "region.street";
        if (digits <= 12) return "region.community";
        return "region.grid";
    }
}

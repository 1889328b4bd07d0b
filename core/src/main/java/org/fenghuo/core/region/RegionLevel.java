package org.fenghuo.core.region;

import java.util.Optional;

/**
 * The four levels of the administrative hierarchy (DESIGN §4). A code's level follows from its length
 * alone, as in the statistical division code (统计用区划代码), which is what lets any code be placed
 * in the hierarchy without a lookup.
 */
public enum RegionLevel {
    DISTRICT(6, "区县"),
    STREET(9, "街道/乡镇"),
    COMMUNITY(12, "社区/村"),
    GRID(15, "网格");

    private final int digits;
    private final String displayName;

    RegionLevel(int digits, String displayName) {
        this.digits = digits;
        this.displayName = displayName;
    }

    /** Number of digits of a code at this level. */
    public int digits() { return digits; }

    public String displayName() { return displayName; }

    /** The level of a code by its length, or empty when it is not 6, 9, 12 or 15 ASCII digits. */
    public static Optional<RegionLevel> ofCode(String code) {
        if (code == null || !isDigits(code)) return Optional.empty();
        return ofDigits(code.length());
    }

    /** The level whose codes have {@code digits} digits. */
    public static Optional<RegionLevel> ofDigits(int digits) {
        for (RegionLevel level : values()) if (level.digits == digits) return Optional.of(level);
        return Optional.empty();
    }

    /** The level above, empty for {@link #DISTRICT}. */
    public Optional<RegionLevel> parentLevel() {
        return ordinal() == 0 ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }

    /** The level below, empty for {@link #GRID}. */
    public Optional<RegionLevel> childLevel() {
        return ordinal() == values().length - 1 ? Optional.empty() : Optional.of(values()[ordinal() + 1]);
    }

    /** True when this level is strictly above (coarser than) {@code other}. */
    public boolean isAbove(RegionLevel other) { return digits < other.digits; }

    /**
     * The code of the ancestor at this level of {@code code} (its first {@link #digits()} digits).
     *
     * @throws IllegalArgumentException when {@code code} is shorter than this level's codes
     */
    public String prefixOf(String code) {
        if (code == null || code.length() < digits) {
            throw new IllegalArgumentException("code " + code + " has no " + this + " prefix");
        }
        return code.substring(0, digits);
    }

    static boolean isDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }
}

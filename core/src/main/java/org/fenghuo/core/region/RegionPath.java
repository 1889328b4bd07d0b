package org.fenghuo.core.region;

/**
 * The codes of one place at every level that is known, from the district down; levels that are
 * not known are {@code null}. Every normalised event carries one (DESIGN §4).
 */
public record RegionPath(String district, String street, String community, String grid) {

    public static final RegionPath EMPTY = new RegionPath(null, null, null, null);

    /**
     * @throws IllegalArgumentException when a code has the wrong length, a level is missing above a known one,
     *                                  or a code does not start with the code above it
     */
    public RegionPath {
        String[] codes = {district, street, community, grid};
        RegionLevel[] levels = RegionLevel.values();
        boolean gap = false;
        for (int i = 0; i < codes.length; i++) {
            String c = codes[i];
            if (c == null) {
                gap = true;
                continue;
            }
            if (gap) throw new IllegalArgumentException(levels[i] + " " + c + " given without the level above it");
            if (c.length() != levels[i].digits() || !RegionLevel.isDigits(c)) {
                throw new IllegalArgumentException(levels[i] + " code must be " + levels[i].digits() + " digits: " + c);
            }
            if (i > 0 && !c.startsWith(codes[i - 1])) {
                throw new IllegalArgumentException(levels[i] + " " + c + " is not inside " + levels[i - 1] + " " + codes[i - 1]);
            }
        }
    }

    public static RegionPath of(String district, String street, String community, String grid) {
        return new RegionPath(district, street, community, grid);
    }

    /**
     * Every level derivable from the code itself: a 15-digit grid code gives all four, a 9-digit street
     * code gives district and street. This checks the syntax only; {@link RegionHierarchy#pathOf(String)}
     * also checks that the code exists.
     */
    public static RegionPath ofCode(String code) {
        RegionLevel level = RegionLevel.ofCode(code)
                .orElseThrow(() -> new IllegalArgumentException("not a region code (6, 9, 12 or 15 digits): " + code));
        String[] codes = new String[4];
        for (RegionLevel l : RegionLevel.values()) {
            if (!level.isAbove(l)) codes[l.ordinal()] = l.prefixOf(code);
        }
        return new RegionPath(codes[0], codes[1], codes[2], codes[3]);
    }

    /** The code at {@code level}, or {@code null} when not known. */
    public String at(RegionLevel level) {
        return switch (level) {
            case DISTRICT -> district;
            case STREET -> street;
            case COMMUNITY -> community;
            case GRID -> grid;
        };
    }

    /** The finest known code, {@code null} for {@link #EMPTY}. */
    public String mostSpecific() {
        RegionLevel level = mostSpecificLevel();
        return level == null ? null : at(level);
    }

    /** The finest known level, {@code null} for {@link #EMPTY}. */
    public RegionLevel mostSpecificLevel() {
        if (grid != null) return RegionLevel.GRID;
        if (community != null) return RegionLevel.COMMUNITY;
        if (street != null) return RegionLevel.STREET;
        if (district != null) return RegionLevel.DISTRICT;
        return null;
    }

    public boolean isEmpty() { return district == null; }
}

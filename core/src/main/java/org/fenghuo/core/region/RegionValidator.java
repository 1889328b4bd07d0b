package org.fenghuo.core.region;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fenghuo.core.model.GeoPoint;

/** The hierarchy rules of a region file: codes, levels, parents, and the geometry every grid needs. */
final class RegionValidator {
    /** More than this and the rest is summarised: a wrong file tends to be wrong everywhere. */
    static final int MAX_LISTED = 100;

    private RegionValidator() {}

    /** @param readerProblems problems the reader already found, reported together with these */
    static void validate(String source, List<RegionFeature> features, List<String> readerProblems) {
        List<String> problems = new ArrayList<>(readerProblems);
        Map<String, RegionFeature> byCode = new HashMap<>();
        for (RegionFeature f : features) {
            if (f.code() == null) continue;
            RegionFeature earlier = byCode.putIfAbsent(f.code(), f);
            if (earlier != null) {
                problems.add(source + ": " + f.label() + ": duplicate code, also used by feature #" + earlier.index());
            }
        }
        for (RegionFeature f : features) {
            if (f.code() == null || f.level() == null) continue;
            String at = source + ": " + f.label() + ": ";
            RegionLevel level = f.level();
            if (f.code().length() != level.digits()) {
                problems.add(at + "code has " + f.code().length() + " digits but a " + level + " code has " + level.digits());
                continue;
            }
            if (level != RegionLevel.DISTRICT) checkParent(at, f, byCode, problems);
            if (level == RegionLevel.GRID && f.rings().isEmpty() && f.complete()) {
                problems.add(at + "a GRID needs a Polygon or MultiPolygon geometry");
            }
            checkRings(at, f.rings(), problems);
        }
        if (!problems.isEmpty()) {
            if (problems.size() > MAX_LISTED) {
                int more = problems.size() - MAX_LISTED;
                problems = new ArrayList<>(problems.subList(0, MAX_LISTED));
                problems.add(source + ": … and " + more + " more problems");
            }
            throw new RegionFileException(source, problems);
        }
    }

    private static void checkParent(String at, RegionFeature f, Map<String, RegionFeature> byCode, List<String> problems) {
        RegionLevel expected = f.level().parentLevel().orElseThrow();
        String parent = f.parent();
        if (parent == null) {
            problems.add(at + "a " + f.level() + " needs a parent (the code of its " + expected + ")");
            return;
        }
        RegionFeature p = byCode.get(parent);
        if (p == null) {
            problems.add(at + "parent " + parent + " is not in the file");
            return;
        }
        if (p.level() != null && p.level() != expected) {
            problems.add(at + "parent " + parent + " is a " + p.level() + " but the parent of a " + f.level() + " must be a " + expected);
            return;
        }
        if (!f.code().startsWith(parent)) {
            problems.add(at + "code does not start with its parent's code " + parent);
        }
    }

    private static void checkRings(String at, List<List<GeoPoint>> rings, List<String> problems) {
        for (int r = 0; r < rings.size(); r++) {
            List<GeoPoint> ring = rings.get(r);
            if (ring.size() < 4) {
                problems.add(at + "ring " + r + " has " + ring.size() + " positions; a closed ring needs at least 4");
            } else if (!ring.get(0).equals(ring.get(ring.size() - 1))) {
                problems.add(at + "ring " + r + " is not closed (its last position must repeat its first)");
            }
        }
    }
}

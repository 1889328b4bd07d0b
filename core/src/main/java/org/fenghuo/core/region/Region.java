package org.fenghuo.core.region;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fenghuo.core.model.GeoPoint;

/**
 * One district, street, community or grid.
 *
 * @param code     statistical division code (6, 9, 12 or 15 digits, matching {@code level})
 * @param name     display name, e.g. 望江街道
 * @param level    the level, which also fixes the code length
 * @param parent   the parent's code; for a district the city's code or {@code null}
 * @param polygon  closed rings (first point repeated last): for a Polygon the outer ring first and holes after;
 *                 for a MultiPolygon the rings of every part in turn. Containment uses the even-odd rule over
 *                 all rings, which is right for both. Empty when the region file gave no geometry.
 * @param centroid area-weighted centroid of the polygon, computed when {@code null} is passed; {@code null}
 *                 only for a region without geometry
 */
public record Region(String code, String name, RegionLevel level, String parent,
                     List<List<GeoPoint>> polygon, GeoPoint centroid) {

    public Region {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        polygon = polygon == null ? List.of() : polygon.stream().map(List::copyOf).toList();
        if (centroid == null && !polygon.isEmpty()) centroid = centroidOf(polygon);
    }

    /** A region whose centroid is computed from its polygon. */
    public static Region of(String code, String name, RegionLevel level, String parent, List<List<GeoPoint>> polygon) {
        return new Region(code, name, level, parent, polygon, null);
    }

    public boolean hasGeometry() { return !polygon.isEmpty(); }

    /** The box around all rings, empty without geometry. */
    public Optional<BoundingBox> bounds() {
        if (polygon.isEmpty()) return Optional.empty();
        BoundingBox box = null;
        for (List<GeoPoint> ring : polygon) {
            BoundingBox b = BoundingBox.of(ring);
            box = box == null ? b : box.union(b);
        }
        return Optional.of(box);
    }

    /** Point-in-polygon (see {@link PointInPolygon} for the rule on edges); false without geometry. */
    public boolean contains(GeoPoint p) {
        return !polygon.isEmpty() && PointInPolygon.contains(polygon, p);
    }

    /** The code of this region's ancestor at {@code level}, or this code itself at its own level. */
    public String codeAt(RegionLevel atLevel) {
        if (level.isAbove(atLevel)) throw new IllegalArgumentException(code + " is a " + level + ", it has no " + atLevel);
        return atLevel.prefixOf(code);
    }

    /**
     * Holes subtract from the area. Which ring is a hole is decided by nesting (a ring inside an odd number
     * of other rings), not by winding order, because GeoJSON writers do not all keep the RFC 7946 winding.
     */
    private static GeoPoint centroidOf(List<List<GeoPoint>> rings) {
        double sumA = 0, sumX = 0, sumY = 0;
        for (int r = 0; r < rings.size(); r++) {
            List<GeoPoint> ring = rings.get(r);
            double a = 0, cx = 0, cy = 0;
            for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
                GeoPoint p = ring.get(j), q = ring.get(i);
                double cross = p.lon() * q.lat() - q.lon() * p.lat();
                a += cross;
                cx += (p.lon() + q.lon()) * cross;
                cy += (p.lat() + q.lat()) * cross;
            }
            if (a == 0) continue;
            double sign = Math.signum(a) * (isHole(rings, r) ? -1 : 1);
            // |a|/2 is the ring's area; cx/(3a) its centroid
            sumA += sign * Math.abs(a) / 2;
            sumX += sign * Math.abs(a) / 2 * cx / (3 * a);
            sumY += sign * Math.abs(a) / 2 * cy / (3 * a);
        }
        if (sumA == 0) return vertexMean(rings);
        return new GeoPoint(sumY / sumA, sumX / sumA);
    }

    private static boolean isHole(List<List<GeoPoint>> rings, int r) {
        GeoPoint probe = rings.get(r).get(0);
        int depth = 0;
        for (int o = 0; o < rings.size(); o++) {
            if (o != r && PointInPolygon.contains(List.of(rings.get(o)), probe)) depth++;
        }
        return depth % 2 == 1;
    }

    private static GeoPoint vertexMean(List<List<GeoPoint>> rings) {
        List<GeoPoint> all = new ArrayList<>();
        rings.forEach(all::addAll);
        double lat = all.stream().mapToDouble(GeoPoint::lat).average().orElseThrow();
        double lon = all.stream().mapToDouble(GeoPoint::lon).average().orElseThrow();
        return new GeoPoint(lat, lon);
    }
}

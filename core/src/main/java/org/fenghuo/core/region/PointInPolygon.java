package org.fenghuo.core.region;

import java.util.List;
import org.fenghuo.core.model.GeoPoint;

/**
 * Even-odd ray casting (eastward ray) over a set of rings, so holes and the parts of a MultiPolygon
 * need no special treatment.
 *
 * <p>Two regions that share an edge must never both claim, or both miss, a point lying on it;
 * otherwise an event on a street would be counted in two grids or in none. Two things make that hold:
 * each edge is half-open in latitude (its lower end is in, its upper end is out), and the crossing
 * longitude is always computed from the edge's lower end, so the neighbour that walks the same edge
 * in the other direction computes bit-for-bit the same number. A point on a shared edge therefore
 * belongs to exactly one side (the east or north one); a point on the outer boundary of the whole
 * tiling belongs to it on the west and south sides only.
 */
public final class PointInPolygon {
    private PointInPolygon() {}

    /** True when {@code p} is inside the rings (even-odd rule). */
    public static boolean contains(List<List<GeoPoint>> rings, GeoPoint p) {
        return contains(rings, p.lat(), p.lon());
    }

    public static boolean contains(List<List<GeoPoint>> rings, double lat, double lon) {
        boolean inside = false;
        for (List<GeoPoint> ring : rings) {
            int n = ring.size();
            for (int i = 0, j = n - 1; i < n; j = i++) {
                GeoPoint a = ring.get(j), b = ring.get(i);
                if (crosses(a.lon(), a.lat(), b.lon(), b.lat(), lon, lat)) inside = !inside;
            }
        }
        return inside;
    }

    /** The same test over flat coordinate arrays: ring {@code r} spans {@code [starts[r], starts[r+1])}. */
    static boolean contains(double[] lons, double[] lats, int[] starts, double lat, double lon) {
        boolean inside = false;
        for (int r = 0; r + 1 < starts.length; r++) {
            int from = starts[r], to = starts[r + 1];
            for (int i = from, j = to - 1; i < to; j = i++) {
                if (crosses(lons[j], lats[j], lons[i], lats[i], lon, lat)) inside = !inside;
            }
        }
        return inside;
    }

    private static boolean crosses(double x1, double y1, double x2, double y2, double px, double py) {
        if (y1 > y2) {
            double t = x1; x1 = x2; x2 = t;
            t = y1; y1 = y2; y2 = t;
        }
        if (py < y1 || py >= y2) return false; // also drops horizontal edges
        double xCross = x1 + (py - y1) * (x2 - x1) / (y2 - y1);
        return px < xCross;
    }
}

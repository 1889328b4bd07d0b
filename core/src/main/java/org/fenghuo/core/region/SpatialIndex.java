package org.fenghuo.core.region;

import java.util.ArrayList;
import java.util.List;
import org.fenghuo.core.model.GeoPoint;

/**
 * Point lookup over many polygons: a uniform grid of buckets over the polygons' bounding boxes, about two
 * buckets per polygon, so a lookup tests only the one to four polygons whose boxes touch its bucket.
 * Coordinates are kept in flat arrays because walking {@code List<GeoPoint>} rings costs several times more.
 * Immutable after construction, so safe to share between threads.
 */
final class SpatialIndex {
    private final Region[] regions;
    private final double[][] lons;
    private final double[][] lats;
    private final int[][] ringStarts;
    private final double[] minLon, minLat, maxLon, maxLat;

    private final double originLon, originLat, cellLon, cellLat;
    private final int cols, rows;
    private final int[][] buckets;

    /** @param regions polygons to index, in the order in which overlapping ones should win */
    SpatialIndex(List<Region> regions) {
        List<Region> withGeometry = regions.stream().filter(Region::hasGeometry).toList();
        int n = withGeometry.size();
        this.regions = withGeometry.toArray(Region[]::new);
        lons = new double[n][];
        lats = new double[n][];
        ringStarts = new int[n][];
        minLon = new double[n];
        minLat = new double[n];
        maxLon = new double[n];
        maxLat = new double[n];
        double allMinLon = Double.POSITIVE_INFINITY, allMinLat = Double.POSITIVE_INFINITY;
        double allMaxLon = Double.NEGATIVE_INFINITY, allMaxLat = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            flatten(i, withGeometry.get(i).polygon());
            allMinLon = Math.min(allMinLon, minLon[i]);
            allMinLat = Math.min(allMinLat, minLat[i]);
            allMaxLon = Math.max(allMaxLon, maxLon[i]);
            allMaxLat = Math.max(allMaxLat, maxLat[i]);
        }
        if (n == 0) {
            originLon = originLat = 0;
            cellLon = cellLat = 1;
            cols = rows = 0;
            buckets = new int[0][];
            return;
        }
        double width = Math.max(allMaxLon - allMinLon, 1e-9);
        double height = Math.max(allMaxLat - allMinLat, 1e-9);
        int target = Math.max(1, 2 * n);
        cols = clamp((int) Math.ceil(Math.sqrt(target * width / height)));
        rows = clamp((int) Math.ceil((double) target / cols));
        originLon = allMinLon;
        originLat = allMinLat;
        cellLon = width / cols;
        cellLat = height / rows;

        List<List<Integer>> cells = new ArrayList<>(cols * rows);
        for (int c = 0; c < cols * rows; c++) cells.add(new ArrayList<>(4));
        for (int i = 0; i < n; i++) {
            int c0 = col(minLon[i]), c1 = col(maxLon[i]);
            int r0 = row(minLat[i]), r1 = row(maxLat[i]);
            for (int r = r0; r <= r1; r++) for (int c = c0; c <= c1; c++) cells.get(r * cols + c).add(i);
        }
        buckets = new int[cols * rows][];
        for (int c = 0; c < buckets.length; c++) buckets[c] = cells.get(c).stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first indexed polygon containing the point, or {@code null}. */
    Region find(GeoPoint p) {
        double lat = p.lat(), lon = p.lon();
        if (buckets.length == 0) return null;
        double fx = (lon - originLon) / cellLon, fy = (lat - originLat) / cellLat;
        if (fx < 0 || fy < 0 || fx > cols || fy > rows) return null;
        int c = Math.min((int) fx, cols - 1), r = Math.min((int) fy, rows - 1);
        for (int i : buckets[r * cols + c]) {
            if (lon < minLon[i] || lon > maxLon[i] || lat < minLat[i] || lat > maxLat[i]) continue;
            if (PointInPolygon.contains(lons[i], lats[i], ringStarts[i], lat, lon)) return regions[i];
        }
        return null;
    }

    int size() { return regions.length; }

    private void flatten(int i, List<List<GeoPoint>> rings) {
        int total = rings.stream().mapToInt(List::size).sum();
        double[] x = new double[total], y = new double[total];
        int[] starts = new int[rings.size() + 1];
        int k = 0;
        double x0 = Double.POSITIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rings.size(); r++) {
            starts[r] = k;
            for (GeoPoint p : rings.get(r)) {
                x[k] = p.lon();
                y[k] = p.lat();
                x0 = Math.min(x0, x[k]);
                x1 = Math.max(x1, x[k]);
                y0 = Math.min(y0, y[k]);
                y1 = Math.max(y1, y[k]);
                k++;
            }
        }
        starts[rings.size()] = k;
        lons[i] = x;
        lats[i] = y;
        ringStarts[i] = starts;
        minLon[i] = x0;
        maxLon[i] = x1;
        minLat[i] = y0;
        maxLat[i] = y1;
    }

    private int col(double lon) { return Math.max(0, Math.min(cols - 1, (int) ((lon - originLon) / cellLon))); }

    private int row(double lat) { return Math.max(0, Math.min(rows - 1, (int) ((lat - originLat) / cellLat))); }

    private static int clamp(int v) { return Math.max(1, Math.min(v, 2048)); }
}

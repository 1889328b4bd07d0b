package org.fenghuo.core.region;

import java.util.Collection;
import org.fenghuo.core.model.GeoPoint;

/** An axis-aligned box in lon/lat degrees; edges count as inside. */
public record BoundingBox(double minLon, double minLat, double maxLon, double maxLat) {
    public BoundingBox {
        if (!(minLon <= maxLon) || !(minLat <= maxLat)) {
            throw new IllegalArgumentException("empty bounding box: lon " + minLon + ".." + maxLon + ", lat " + minLat + ".." + maxLat);
        }
    }

    /** The smallest box holding all {@code points}. */
    public static BoundingBox of(Collection<GeoPoint> points) {
        if (points.isEmpty()) throw new IllegalArgumentException("no points");
        double minLon = Double.POSITIVE_INFINITY, minLat = Double.POSITIVE_INFINITY;
        double maxLon = Double.NEGATIVE_INFINITY, maxLat = Double.NEGATIVE_INFINITY;
        for (GeoPoint p : points) {
            minLon = Math.min(minLon, p.lon());
            maxLon = Math.max(maxLon, p.lon());
            minLat = Math.min(minLat, p.lat());
            maxLat = Math.max(maxLat, p.lat());
        }
        return new BoundingBox(minLon, minLat, maxLon, maxLat);
    }

    public boolean contains(GeoPoint p) { return contains(p.lat(), p.lon()); }

    public boolean contains(double lat, double lon) {
        return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
    }

    public boolean intersects(BoundingBox o) {
        return minLon <= o.maxLon && o.minLon <= maxLon && minLat <= o.maxLat && o.minLat <= maxLat;
    }

    public BoundingBox union(BoundingBox o) {
        return new BoundingBox(Math.min(minLon, o.minLon), Math.min(minLat, o.minLat),
                Math.max(maxLon, o.maxLon), Math.max(maxLat, o.maxLat));
    }

    public double widthDegrees() { return maxLon - minLon; }

    public double heightDegrees() { return maxLat - minLat; }

    public GeoPoint center() { return new GeoPoint((minLat + maxLat) / 2, (minLon + maxLon) / 2); }
}

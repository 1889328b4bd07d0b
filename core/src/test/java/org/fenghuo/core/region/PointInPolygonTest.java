package org.fenghuo.core.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fenghuo.core.model.GeoPoint;
import org.junit.jupiter.api.Test;

class PointInPolygonTest {
    private static List<GeoPoint> ring(double... lonLat) {
        GeoPoint[] pts = new GeoPoint[lonLat.length / 2];
        for (int i = 0; i < pts.length; i++) pts[i] = new GeoPoint(lonLat[2 * i + 1], lonLat[2 * i]);
        return List.of(pts);
    }

    private static final List<GeoPoint> SQUARE = ring(0, 0, 2, 0, 2, 2, 0, 2, 0, 0);
    private static final List<GeoPoint> HOLE = ring(0.5, 0.5, 1.5, 0.5, 1.5, 1.5, 0.5, 1.5, 0.5, 0.5);

    @Test
    void insideOutsideAndHoles() {
        assertThat(PointInPolygon.contains(List.of(SQUARE), new GeoPoint(0.2, 0.2))).isTrue();
        assertThat(PointInPolygon.contains(List.of(SQUARE), new GeoPoint(1, 1))).isTrue();
        assertThat(PointInPolygon.contains(List.of(SQUARE), new GeoPoint(3, 1))).isFalse();
        assertThat(PointInPolygon.contains(List.of(SQUARE, HOLE), new GeoPoint(1, 1))).isFalse();
        assertThat(PointInPolygon.contains(List.of(SQUARE, HOLE), new GeoPoint(0.2, 1))).isTrue();
    }

    @Test
    void concavePolygon() {
        // a U shape: the notch between the arms is outside
        List<GeoPoint> u = ring(0, 0, 3, 0, 3, 3, 2, 3, 2, 1, 1, 1, 1, 3, 0, 3, 0, 0);
        assertThat(PointInPolygon.contains(List.of(u), new GeoPoint(2, 1.5))).isFalse();
        assertThat(PointInPolygon.contains(List.of(u), new GeoPoint(2, 0.5))).isTrue();
        assertThat(PointInPolygon.contains(List.of(u), new GeoPoint(0.5, 1.5))).isTrue();
    }

    @Test
    void pointOnASharedSlantedEdgeBelongsToExactlyOneSide() {
        // two quads sharing the slanted edge (1,0)-(1.3,2), walked in opposite directions
        List<GeoPoint> west = ring(0, 0, 1, 0, 1.3, 2, 0, 2, 0, 0);
        List<GeoPoint> east = ring(1, 0, 3, 0, 3, 2, 1.3, 2, 1, 0);
        for (int i = 1; i < 200; i++) {
            double lat = 2.0 * i / 200;
            double lon = 1 + 0.3 * lat / 2;
            for (double dLon : new double[] {-1e-12, 0, 1e-12}) {
                GeoPoint p = new GeoPoint(lat, lon + dLon);
                boolean w = PointInPolygon.contains(List.of(west), p);
                boolean e = PointInPolygon.contains(List.of(east), p);
                assertThat(w ^ e).as("exactly one side claims %s", p).isTrue();
            }
        }
    }

    @Test
    void sharedCornerOfFourSquaresBelongsToOne() {
        List<List<GeoPoint>> squares = List.of(
                ring(0, 0, 1, 0, 1, 1, 0, 1, 0, 0), ring(1, 0, 2, 0, 2, 1, 1, 1, 1, 0),
                ring(0, 1, 1, 1, 1, 2, 0, 2, 0, 1), ring(1, 1, 2, 1, 2, 2, 1, 2, 1, 1));
        GeoPoint corner = new GeoPoint(1, 1);
        long claims = squares.stream().filter(s -> PointInPolygon.contains(List.of(s), corner)).count();
        assertThat(claims).isEqualTo(1);
        // it is the north-east one
        assertThat(PointInPolygon.contains(List.of(squares.get(3)), corner)).isTrue();
    }
}

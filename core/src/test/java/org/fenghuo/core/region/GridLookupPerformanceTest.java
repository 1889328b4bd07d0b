package org.fenghuo.core.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fenghuo.core.model.GeoPoint;
import org.junit.jupiter.api.Test;

/**
 * 5,000 grids on a jittered lattice (shared vertices, like the demo city) with one district, street and
 * community each, checked for exact tiling and lookup speed.
 */
class GridLookupPerformanceTest {
    private static final int NX = 100, NY = 50;

    static RegionHierarchy lattice(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] lon = new double[NX + 1][NY + 1], lat = new double[NX + 1][NY + 1];
        for (int i = 0; i <= NX; i++) {
            for (int j = 0; j <= NY; j++) {
                boolean edge = i == 0 || j == 0 || i == NX || j == NY;
                double jx = edge ? 0 : (rnd.nextDouble() - 0.5) * 0.4, jy = edge ? 0 : (rnd.nextDouble() - 0.5) * 0.4;
                lon[i][j] = Math.round((120.0 + (i + jx) * 0.004) * 1e6) / 1e6;
                lat[i][j] = Math.round((30.1 + (j + jy) * 0.006) * 1e6) / 1e6;
            }
        }
        List<Region> regions = new ArrayList<>();
        List<GeoPoint> outline = List.of(new GeoPoint(30.1, 120.0), new GeoPoint(30.1, 120.4),
                new GeoPoint(30.4, 120.4), new GeoPoint(30.4, 120.0), new GeoPoint(30.1, 120.0));
        regions.add(Region.of("339901", "东湖区", RegionLevel.DISTRICT, null, List.of(outline)));
        regions.add(Region.of("339901001", "望江街道", RegionLevel.STREET, "339901", List.of()));
        regions.add(Region.of("339901001001", "桂花社区", RegionLevel.COMMUNITY, "339901001", List.of()));
        // grid codes have 3 digits of their own, so the lattice is spread over ten communities
        int n = 0;
        for (int j = 0; j < NY; j++) {
            for (int i = 0; i < NX; i++) {
                String community = "339901001" + String.format("%03d", n / 500 + 1);
                if (n % 500 == 0 && n > 0) regions.add(Region.of(community, "社区" + n, RegionLevel.COMMUNITY, "339901001", List.of()));
                List<GeoPoint> ring = List.of(
                        new GeoPoint(lat[i][j], lon[i][j]), new GeoPoint(lat[i + 1][j], lon[i + 1][j]),
                        new GeoPoint(lat[i + 1][j + 1], lon[i + 1][j + 1]), new GeoPoint(lat[i][j + 1], lon[i][j + 1]),
                        new GeoPoint(lat[i][j], lon[i][j]));
                regions.add(Region.of(community + String.format("%03d", n % 500 + 1), "第" + (n % 500 + 1) + "网格",
                        RegionLevel.GRID, community, List.of(ring)));
                n++;
            }
        }
        return RegionHierarchy.of("lattice", regions);
    }

    @Test
    void everyPointOfTheTilingIsInExactlyOneGridAndLookupsAreFast() {
        RegionHierarchy h = lattice(7);
        assertThat(h.all(RegionLevel.GRID)).hasSize(5000);
        SplittableRandom rnd = new SplittableRandom(1);
        int points = 200_000;
        GeoPoint[] ps = new GeoPoint[points];
        for (int i = 0; i < points; i++) {
            ps[i] = new GeoPoint(30.1 + 1e-7 + rnd.nextDouble() * (0.3 - 2e-7), 120.0 + 1e-7 + rnd.nextDouble() * (0.4 - 2e-7));
        }
        // the lattice covers the whole box: every point must be found, and by the grid that really contains it
        for (int i = 0; i < 2000; i++) {
            Region g = h.gridAt(ps[i]).orElseThrow(() -> new AssertionError("no grid"));
            assertThat(g.contains(ps[i])).isTrue();
        }
        for (int round = 0; round < 3; round++) lookAll(h, ps); // warm up
        long t0 = System.nanoTime();
        int found = lookAll(h, ps);
        double microsEach = (System.nanoTime() - t0) / 1e3 / points;
        System.out.printf("gridAt over 5000 grids: %.3f µs per lookup%n", microsEach);
        assertThat(found).isEqualTo(points);
        // the target is < 5 µs; the bound is looser because the build machine is shared
        assertThat(microsEach).isLessThan(25);
    }

    private static int lookAll(RegionHierarchy h, GeoPoint[] ps) {
        int found = 0;
        for (GeoPoint p : ps) if (h.gridAt(p).isPresent()) found++;
        return found;
    }
}

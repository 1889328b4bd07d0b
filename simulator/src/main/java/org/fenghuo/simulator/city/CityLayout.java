package org.fenghuo.simulator.city;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fenghuo.core.model.GeoPoint;

/**
 * The demo city's geometry: one lattice of {@value #NX} × {@value #NY} cells, one cell per grid, whose columns and
 * rows are narrower near the old-town centre (urban grids are small) and whose vertices are jittered. Every region
 * is a block of cells whose boundary walks through every lattice vertex on it, so neighbours share identical
 * vertices and a block is exactly the union of its cells. StrictMath throughout the generators keeps the bytes
 * identical on every machine.
 */
final class CityLayout {
    static final int NX = 100, NY = 50;
    static final double LON_WEST = 120.0, LON_EAST = 120.4, LAT_SOUTH = 30.1, LAT_NORTH = 30.4;
    /** The old-town centre, in cells. */
    static final double CENTRE_I = 46, CENTRE_J = 27;
    private static final double JITTER = 0.2;

    private final double[][] lon = new double[NX + 1][NY + 1];
    private final double[][] lat = new double[NX + 1][NY + 1];

    CityLayout(RandomGenerator rnd) {
        double[] xs = spacing(NX, CENTRE_I, LON_WEST, LON_EAST, rnd);
        double[] ys = spacing(NY, CENTRE_J, LAT_SOUTH, LAT_NORTH, rnd);
        for (int i = 0; i <= NX; i++) {
            for (int j = 0; j <= NY; j++) {
                double dx = Math.min(i > 0 ? xs[i] - xs[i - 1] : Double.MAX_VALUE, i < NX ? xs[i + 1] - xs[i] : Double.MAX_VALUE);
                double dy = Math.min(j > 0 ? ys[j] - ys[j - 1] : Double.MAX_VALUE, j < NY ? ys[j + 1] - ys[j] : Double.MAX_VALUE);
                lon[i][j] = round6(xs[i] + (rnd.nextDouble() * 2 - 1) * JITTER * dx);
                lat[i][j] = round6(ys[j] + (rnd.nextDouble() * 2 - 1) * JITTER * dy);
            }
        }
    }

    /** n+1 line positions from {@code from} to {@code to}, closer together near {@code centre}. */
    private static double[] spacing(int n, double centre, double from, double to, RandomGenerator rnd) {
        double[] widths = new double[n];
        double reach = Math.max(centre, n - centre), sum = 0;
        for (int k = 0; k < n; k++) {
            widths[k] = (1 + 1.5 * StrictMath.pow(Math.abs(k + 0.5 - centre) / reach, 1.3)) * (0.85 + 0.3 * rnd.nextDouble());
            sum += widths[k];
        }
        double[] edges = new double[n + 1];
        edges[0] = from;
        double acc = 0;
        for (int k = 0; k < n; k++) {
            acc += widths[k];
            edges[k + 1] = from + (to - from) * acc / sum;
        }
        edges[n] = to;
        return edges;
    }

    GeoPoint vertex(int i, int j) { return new GeoPoint(lat[i][j], lon[i][j]); }

    /** Closed counter-clockwise ring around cells [i0, i1) × [j0, j1), through every lattice vertex on it. */
    List<GeoPoint> block(int i0, int j0, int i1, int j1) {
        List<GeoPoint> ring = new ArrayList<>(2 * (i1 - i0 + j1 - j0) + 1);
        for (int i = i0; i <= i1; i++) ring.add(vertex(i, j0));
        for (int j = j0 + 1; j <= j1; j++) ring.add(vertex(i1, j));
        for (int i = i1 - 1; i >= i0; i--) ring.add(vertex(i, j1));
        for (int j = j1 - 1; j >= j0; j--) ring.add(vertex(i0, j));
        return ring;
    }

    /** Distance of a cell's centre from the old-town centre, in cells. */
    static double cellsFromCentre(int i, int j) {
        return StrictMath.hypot(i + 0.5 - CENTRE_I, j + 0.5 - CENTRE_J);
    }

    /** Rounds to the 6 decimals the region file keeps, so that the model and the file hold the same doubles. */
    static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}

package org.fenghuo.simulator.city;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionHierarchy;
import org.fenghuo.core.region.RegionLevel;
import org.fenghuo.simulator.util.Weighted;

/**
 * A fictional city, 烽城市 (division codes 3399xx, which no real place uses), around lon 120.0–120.4,
 * lat 30.1–30.4: 5 districts, 50 streets, 500 communities and 5,000 grids that tile each other exactly, with
 * 600 enterprises, 24,000 residents and one grid worker per grid. The same seed always gives the same city,
 * down to the bytes of its region file. Immutable.
 */
public final class DemoCity {
    public static final long DEFAULT_SEED = 20260305L;

    private final long seed;
    private final String name;
    private final String code;
    private final List<Region> regionsInFileOrder;
    private final RegionHierarchy hierarchy;
    private final List<Enterprise> enterprises;
    private final List<Person> people;
    private final List<GridWorker> gridWorkers;
    private final Map<String, Enterprise> enterpriseByCredit;
    private final Map<String, GridWorker> workerByGrid;
    private final Map<String, Double> activity;
    private final Map<String, String> roadsOfStreet;

    private DemoCity(Builder b) {
        seed = b.seed;
        name = b.name;
        code = b.code;
        regionsInFileOrder = List.copyOf(b.regions);
        hierarchy = b.hierarchy;
        enterprises = List.copyOf(b.enterprises);
        people = List.copyOf(b.people);
        gridWorkers = List.copyOf(b.gridWorkers);
        Map<String, Enterprise> byCredit = new HashMap<>();
        enterprises.forEach(e -> byCredit.put(e.creditCode(), e));
        enterpriseByCredit = Map.copyOf(byCredit);
        Map<String, GridWorker> byGrid = new HashMap<>();
        gridWorkers.forEach(w -> byGrid.put(w.gridCode(), w));
        workerByGrid = Map.copyOf(byGrid);
        activity = Map.copyOf(b.activity);
        roadsOfStreet = Map.copyOf(b.roadsOfStreet);
    }

    /** The city for a seed; {@link #DEFAULT_SEED} is the one the demo ships. */
    public static DemoCity generate(long seed) {
        return CityGenerator.generate(seed);
    }

    public long seed() { return seed; }

    /** 烽城市. */
    public String name() { return name; }

    /** The city's own division code, the parent of its districts (not itself a region of the file). */
    public String code() { return code; }

    /** All regions, checked by the same rules as a region file. */
    public RegionHierarchy regions() { return hierarchy; }

    public List<Region> districts() { return hierarchy.all(RegionLevel.DISTRICT); }

    public List<Region> streets() { return hierarchy.all(RegionLevel.STREET); }

    public List<Region> communities() { return hierarchy.all(RegionLevel.COMMUNITY); }

    public List<Region> grids() { return hierarchy.all(RegionLevel.GRID); }

    public List<Enterprise> enterprises() { return enterprises; }

    public List<Person> people() { return people; }

    public List<GridWorker> gridWorkers() { return gridWorkers; }

    public Optional<Enterprise> enterprise(String creditCode) { return Optional.ofNullable(enterpriseByCredit.get(creditCode)); }

    public GridWorker gridWorkerOf(String gridCode) {
        GridWorker w = workerByGrid.get(gridCode);
        if (w == null) throw new IllegalArgumentException("no grid " + gridCode);
        return w;
    }

    /** How busy a grid is relative to others (denser near the old town); the simulator's background follows it. */
    public double activityWeight(String gridCode) {
        Double w = activity.get(gridCode);
        if (w == null) throw new IllegalArgumentException("no grid " + gridCode);
        return w;
    }

    /** A point strictly inside the region (for a community or above: inside one of its grids), at 6 decimals. */
    public GeoPoint randomPointIn(Region region, RandomGenerator rnd) {
        return pointIn(hierarchy, region, rnd);
    }

    /** A plausible street address in the grid: district, street, road and number. */
    public String address(String gridCode, RandomGenerator rnd) {
        return addressIn(hierarchy, roadsOfStreet, gridCode, rnd);
    }

    /** Writes the region file (GeoJSON FeatureCollection, DESIGN §4) that {@link RegionHierarchy#load} reads. */
    public void writeGeoJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (OutputStream out = Files.newOutputStream(file)) {
                writeGeoJson(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public void writeGeoJson(OutputStream out) throws IOException {
        GeoJsonWriter.write(out, name + " (Fenghuo demo city, seed " + seed + ")", regionsInFileOrder);
    }

    public byte[] geoJsonBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 << 20);
        try {
            writeGeoJson(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static GeoPoint pointIn(RegionHierarchy hierarchy, Region region, RandomGenerator rnd) {
        Region grid = region;
        while (grid.level() != RegionLevel.GRID) {
            List<Region> kids = hierarchy.children(grid.code());
            if (kids.isEmpty()) throw new IllegalArgumentException(grid.code() + " has no grids");
            grid = kids.get(rnd.nextInt(kids.size()));
        }
        List<GeoPoint> ring = grid.polygon().get(0);
        for (int attempt = 0; attempt < 50; attempt++) {
            GeoPoint p = ring.size() == 5 ? bilinear(ring, 0.08 + 0.84 * rnd.nextDouble(), 0.08 + 0.84 * rnd.nextDouble())
                    : jitterAround(grid, rnd);
            if (grid.contains(p)) return p;
        }
        GeoPoint c = new GeoPoint(CityLayout.round6(grid.centroid().lat()), CityLayout.round6(grid.centroid().lon()));
        if (grid.contains(c)) return c;
        throw new IllegalStateException("cannot find a point inside " + grid.code());
    }

    /** Bilinear blend of the four corners (south-west, south-east, north-east, north-west). */
    private static GeoPoint bilinear(List<GeoPoint> q, double u, double v) {
        GeoPoint sw = q.get(0), se = q.get(1), ne = q.get(2), nw = q.get(3);
        double lat = (1 - u) * (1 - v) * sw.lat() + u * (1 - v) * se.lat() + u * v * ne.lat() + (1 - u) * v * nw.lat();
        double lon = (1 - u) * (1 - v) * sw.lon() + u * (1 - v) * se.lon() + u * v * ne.lon() + (1 - u) * v * nw.lon();
        return new GeoPoint(CityLayout.round6(lat), CityLayout.round6(lon));
    }

    private static GeoPoint jitterAround(Region grid, RandomGenerator rnd) {
        var box = grid.bounds().orElseThrow();
        return new GeoPoint(CityLayout.round6(box.minLat() + rnd.nextDouble() * box.heightDegrees()),
                CityLayout.round6(box.minLon() + rnd.nextDouble() * box.widthDegrees()));
    }

    static String addressIn(RegionHierarchy h, Map<String, String> roadsOfStreet, String gridCode, RandomGenerator rnd) {
        String street = RegionLevel.STREET.prefixOf(gridCode);
        String[] roads = roadsOfStreet.getOrDefault(street, "人民路").split(",");
        return h.find(RegionLevel.DISTRICT.prefixOf(gridCode)).map(Region::name).orElse("")
                + h.find(street).map(Region::name).orElse("")
                + roads[rnd.nextInt(roads.length)] + (1 + rnd.nextInt(399)) + "号";
    }

    /** Collects the parts while {@link CityGenerator} builds them. */
    static final class Builder {
        final long seed;
        final String name, code;
        final List<Region> regions;
        final RegionHierarchy hierarchy;
        final Map<String, Double> activity;
        final Map<String, String> roadsOfStreet;
        List<Enterprise> enterprises = new ArrayList<>();
        List<Person> people = new ArrayList<>();
        List<GridWorker> gridWorkers = new ArrayList<>();

        Builder(long seed, String name, String code, List<Region> regions, RegionHierarchy hierarchy,
                Map<String, Double> activity, Map<String, String> roadsOfStreet) {
            this.seed = seed;
            this.name = name;
            this.code = code;
            this.regions = regions;
            this.hierarchy = hierarchy;
            this.activity = activity;
            this.roadsOfStreet = roadsOfStreet;
        }

        GeoPoint randomPointIn(Region r, RandomGenerator rnd) { return pointIn(hierarchy, r, rnd); }

        String address(String gridCode, RandomGenerator rnd) { return addressIn(hierarchy, roadsOfStreet, gridCode, rnd); }

        DemoCity build() { return new DemoCity(this); }
    }

    @Override
    public String toString() {
        return "DemoCity[" + name + ", seed " + seed + ", " + hierarchy.size() + " regions, " + enterprises.size()
                + " enterprises, " + people.size() + " people]";
    }

    /** Grids weighted by activity, for drawing where things happen. */
    public Weighted<Region> gridsByActivity() {
        return Weighted.of(grids(), g -> activity.get(g.code()));
    }
}

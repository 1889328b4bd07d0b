package org.fenghuo.core.region;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fenghuo.core.model.GeoPoint;

/**
 * The regions of one region file (DESIGN §4): district → street → community → grid, with lookups by code
 * and by point. Immutable and safe to share between threads once built.
 */
public final class RegionHierarchy {
    private final String sourceName;
    private final Map<String, Region> byCode;
    private final Map<String, List<Region>> children;
    private final Map<RegionLevel, List<Region>> byLevel;
    private final Map<RegionLevel, SpatialIndex> indexes;

    private RegionHierarchy(String sourceName, List<Region> regions) {
        this.sourceName = sourceName;
        List<Region> sorted = regions.stream().sorted(Comparator.comparing(Region::code)).toList();
        Map<String, Region> codes = new HashMap<>(sorted.size() * 2);
        Map<String, List<Region>> kids = new HashMap<>();
        Map<RegionLevel, List<Region>> levels = new EnumMap<>(RegionLevel.class);
        for (RegionLevel l : RegionLevel.values()) levels.put(l, new ArrayList<>());
        for (Region r : sorted) {
            codes.put(r.code(), r);
            levels.get(r.level()).add(r);
            if (r.parent() != null && r.level() != RegionLevel.DISTRICT) kids.computeIfAbsent(r.parent(), k -> new ArrayList<>()).add(r);
        }
        this.byCode = Map.copyOf(codes);
        Map<String, List<Region>> kidsCopy = new HashMap<>();
        kids.forEach((k, v) -> kidsCopy.put(k, List.copyOf(v)));
        this.children = Map.copyOf(kidsCopy);
        Map<RegionLevel, List<Region>> levelsCopy = new EnumMap<>(RegionLevel.class);
        Map<RegionLevel, SpatialIndex> idx = new EnumMap<>(RegionLevel.class);
        levels.forEach((l, v) -> {
            levelsCopy.put(l, List.copyOf(v));
            idx.put(l, new SpatialIndex(v));
        });
        this.byLevel = levelsCopy;
        this.indexes = idx;
    }

    /**
     * Reads and checks a region file.
     *
     * @throws RegionFileException when the file is unreadable, not a FeatureCollection, or breaks a rule of DESIGN §4
     */
    public static RegionHierarchy load(Path geojsonFile) {
        try (InputStream in = Files.newInputStream(geojsonFile)) {
            return read(in, geojsonFile.toString());
        } catch (IOException e) {
            throw new RegionFileException(geojsonFile.toString(), List.of(geojsonFile + ": cannot be read: " + e), e);
        }
    }

    /**
     * Reads and checks a region file from a stream (not closed here).
     *
     * @param sourceName how error messages name the file
     */
    public static RegionHierarchy read(InputStream in, String sourceName) {
        GeoJsonRegionReader.Result read = GeoJsonRegionReader.read(in, sourceName);
        RegionValidator.validate(sourceName, read.features(), read.problems());
        return new RegionHierarchy(sourceName, read.features().stream().map(RegionFeature::toRegion).toList());
    }

    /** A hierarchy from regions built in code, checked by the same rules as a file (feature # = list position). */
    public static RegionHierarchy of(String sourceName, Collection<Region> regions) {
        List<RegionFeature> features = new ArrayList<>(regions.size());
        for (Region r : regions) features.add(RegionFeature.of(features.size(), r));
        if (features.isEmpty()) throw new RegionFileException(sourceName, List.of(sourceName + ": has no features"));
        RegionValidator.validate(sourceName, features, List.of());
        return new RegionHierarchy(sourceName, List.copyOf(regions));
    }

    public Optional<Region> find(String code) {
        return Optional.ofNullable(code == null ? null : byCode.get(code));
    }

    public boolean contains(String code) {
        return code != null && byCode.containsKey(code);
    }

    /**
     * Every level derivable from a known code: for a grid all four, for a street district and street.
     *
     * @throws IllegalArgumentException when the code is not in the file
     */
    public RegionPath pathOf(String code) {
        return findPath(code).orElseThrow(() -> new IllegalArgumentException("region code " + code + " is not in " + sourceName));
    }

    /** {@link #pathOf(String)}, empty for a code that is not in the file. */
    public Optional<RegionPath> findPath(String code) {
        // the file check guarantees every ancestor of a known code is known and is its prefix
        return contains(code) ? Optional.of(RegionPath.ofCode(code)) : Optional.empty();
    }

    /** The grid whose polygon contains the point (the east/north one on a shared edge), if any. */
    public Optional<Region> gridAt(GeoPoint p) {
        return Optional.ofNullable(indexes.get(RegionLevel.GRID).find(p));
    }

    /** The full path of the grid containing the point, {@link RegionPath#EMPTY} outside every grid. */
    public RegionPath pathAt(GeoPoint p) {
        return gridAt(p).map(g -> RegionPath.ofCode(g.code())).orElse(RegionPath.EMPTY);
    }

    /**
     * The region at {@code level} containing the point. Derived from the containing grid, so that it always
     * agrees with {@link #gridAt}; only where no grid covers the point are that level's own polygons used.
     */
    public Optional<Region> locate(GeoPoint p, RegionLevel level) {
        Optional<Region> grid = gridAt(p);
        if (grid.isPresent()) return find(level.prefixOf(grid.get().code()));
        return level == RegionLevel.GRID ? Optional.empty() : Optional.ofNullable(indexes.get(level).find(p));
    }

    /** Direct children, sorted by code. */
    public List<Region> children(String code) {
        return children.getOrDefault(code, List.of());
    }

    /** All regions of a level, sorted by code. */
    public List<Region> all(RegionLevel level) {
        return byLevel.get(level);
    }

    /** Number of regions of all levels. */
    public int size() {
        return byCode.size();
    }

    /** The file name (or other source name) the hierarchy was read from. */
    public String sourceName() {
        return sourceName;
    }

    @Override
    public String toString() {
        return "RegionHierarchy[" + sourceName + ": " + byLevel.get(RegionLevel.DISTRICT).size() + " districts, "
                + byLevel.get(RegionLevel.STREET).size() + " streets, " + byLevel.get(RegionLevel.COMMUNITY).size()
                + " communities, " + byLevel.get(RegionLevel.GRID).size() + " grids]";
    }
}

package org.fenghuo.simulator.city;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionHierarchy;
import org.fenghuo.core.region.RegionLevel;
import org.fenghuo.simulator.util.Weighted;

/** Builds a {@link DemoCity} from a seed. Each part draws from its own random stream so that changing one leaves the others alone. */
final class CityGenerator {
    static final String CITY_CODE = "339900";
    static final String CITY_NAME = "烽城市";
    static final int ENTERPRISES = 600;
    static final int PEOPLE = 24_000;
    static final int STREET_BLOCK = 10;

    /**
     * Districts as rectangles of 10 × 10-cell street blocks (sx, sy from the south-west; end exclusive),
     * with how industrial they are.
     */
    private record DistrictSpec(String code, String name, int sx0, int sy0, int sx1, int sy1, double industry) {}

    private static final List<DistrictSpec> DISTRICTS = List.of(
            new DistrictSpec("339901", "凤山区", 2, 0, 6, 3, 0.4),   // old town, 12 streets
            new DistrictSpec("339902", "东湖区", 6, 2, 10, 5, 1.0),  // 12 streets
            new DistrictSpec("339903", "北塘区", 2, 3, 6, 5, 0.8),   // 8 streets
            new DistrictSpec("339904", "西岭区", 0, 0, 2, 5, 1.4),   // 10 streets
            new DistrictSpec("339905", "南江区", 6, 0, 10, 2, 2.0)); // 8 streets, the industrial riverside

    private final long seed;
    private final CityLayout layout;
    private final SplittableRandom names;
    private final List<Region> regions = new ArrayList<>();
    private final Map<String, Double> residential = new HashMap<>();
    private final Map<String, Double> industrial = new HashMap<>();
    private final Map<String, String> roadsOfStreet = new HashMap<>();

    private CityGenerator(long seed) {
        this.seed = seed;
        this.layout = new CityLayout(stream(seed, 1));
        this.names = stream(seed, 2);
    }

    static SplittableRandom stream(long seed, int part) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + part * 0xBF58476D1CE4E5B9L);
    }

    static DemoCity generate(long seed) {
        CityGenerator g = new CityGenerator(seed);
        g.buildRegions();
        RegionHierarchy hierarchy = RegionHierarchy.of("demo city " + CITY_NAME + " (seed " + seed + ")", g.regions);
        DemoCity.Builder b = new DemoCity.Builder(seed, CITY_NAME, CITY_CODE, g.regions, hierarchy, g.residential, g.roadsOfStreet);
        SplittableRandom pop = stream(seed, 3);
        b.enterprises = g.enterprises(b, pop);
        b.people = g.people(b, stream(seed, 4));
        b.gridWorkers = g.gridWorkers(hierarchy, stream(seed, 5));
        return b.build();
    }

    private void buildRegions() {
        List<String> streetNames = new ArrayList<>(NamePools.STREET_NAMES);
        shuffle(streetNames, names);
        Iterator<String> streetName = streetNames.iterator();
        Iterator<String> communityName = NamePools.communityNames(600, names).iterator();
        List<Region> streets = new ArrayList<>(), communities = new ArrayList<>(), grids = new ArrayList<>();
        for (DistrictSpec d : DISTRICTS) {
            regions.add(Region.of(d.code, d.name, RegionLevel.DISTRICT, CITY_CODE,
                    List.of(layout.block(d.sx0 * STREET_BLOCK, d.sy0 * STREET_BLOCK, d.sx1 * STREET_BLOCK, d.sy1 * STREET_BLOCK))));
            int streetNo = 0;
            for (int sy = d.sy1 - 1; sy >= d.sy0; sy--) {
                for (int sx = d.sx0; sx < d.sx1; sx++) {
                    String streetCode = d.code + three(++streetNo);
                    int i0 = sx * STREET_BLOCK, j0 = sy * STREET_BLOCK;
                    streets.add(Region.of(streetCode, streetName.next() + "街道", RegionLevel.STREET, d.code,
                            List.of(layout.block(i0, j0, i0 + STREET_BLOCK, j0 + STREET_BLOCK))));
                    roadsOfStreet.put(streetCode, pickRoads());
                    buildCommunities(streetCode, i0, j0, d.industry, communityName, communities, grids);
                }
            }
        }
        regions.addAll(streets);
        regions.addAll(communities);
        regions.addAll(grids);
    }

    /** Ten communities of ten cells each: 2 wide × 5 tall side by side, or 5 wide × 2 tall stacked, varying by street. */
    private void buildCommunities(String streetCode, int i0, int j0, double industry, Iterator<String> communityName,
                                  List<Region> communities, List<Region> grids) {
        boolean tall = names.nextBoolean();
        int w = tall ? 2 : 5, h = tall ? 5 : 2;
        int communityNo = 0;
        for (int top = STREET_BLOCK - h; top >= 0; top -= h) {
            for (int left = 0; left < STREET_BLOCK; left += w) {
                String code = streetCode + three(++communityNo);
                int ci = i0 + left, cj = j0 + top;
                communities.add(Region.of(code, communityName.next() + "社区", RegionLevel.COMMUNITY, streetCode,
                        List.of(layout.block(ci, cj, ci + w, cj + h))));
                int gridNo = 0;
                for (int j = cj + h - 1; j >= cj; j--) {
                    for (int i = ci; i < ci + w; i++) {
                        String gridCode = code + three(++gridNo);
                        grids.add(Region.of(gridCode, "第" + gridNo + "网格", RegionLevel.GRID, code,
                                List.of(layout.block(i, j, i + 1, j + 1))));
                        double d = CityLayout.cellsFromCentre(i, j);
                        residential.put(gridCode, 0.25 + 2.5 * StrictMath.exp(-d * d / (2 * 18 * 18)));
                        industrial.put(gridCode, industry * (0.2 + (1 - StrictMath.exp(-d * d / (2 * 15 * 15)))));
                    }
                }
            }
        }
    }

    private String pickRoads() {
        Set<String> roads = new java.util.LinkedHashSet<>();
        while (roads.size() < 3) roads.add(NamePools.ROADS.get(names.nextInt(NamePools.ROADS.size())));
        return String.join(",", roads);
    }

    private List<Enterprise> enterprises(DemoCity.Builder b, SplittableRandom rnd) {
        List<Region> grids = b.hierarchy.all(RegionLevel.GRID);
        Weighted<Region> where = Weighted.of(grids, g -> industrial.get(g.code()));
        Set<String> usedNames = new HashSet<>(), usedCodes = new HashSet<>();
        List<Enterprise> out = new ArrayList<>(ENTERPRISES);
        while (out.size() < ENTERPRISES) {
            Region grid = where.pick(rnd);
            String district = RegionLevel.DISTRICT.prefixOf(grid.code());
            boolean oldTown = district.equals("339901");
            String[] industry = Weighted.of(NamePools.INDUSTRIES, s -> Double.parseDouble(oldTown ? s[1] : s[2])).pick(rnd);
            String trade = NamePools.TRADE_NAME_CHARS[rnd.nextInt(NamePools.TRADE_NAME_CHARS.length)]
                    + NamePools.TRADE_NAME_CHARS[rnd.nextInt(NamePools.TRADE_NAME_CHARS.length)];
            if (trade.charAt(0) == trade.charAt(1)) continue;
            double form = rnd.nextDouble();
            String name = (rnd.nextDouble() < 0.3 ? "烽城" : "") + trade + industry[0]
                    + (form < 0.85 ? "有限公司" : form < 0.95 ? "股份有限公司" : "集团有限公司");
            String code = Identifiers.creditCode(district, rnd);
            if (!usedNames.add(name) || !usedCodes.add(code)) continue;
            boolean factory = Double.parseDouble(industry[2]) >= 3;
            int headcount = (int) Math.max(3, Math.min(3000, Math.round(StrictMath.exp((factory ? 3.8 : 3.0) + 1.0 * rnd.nextGaussian()))));
            GeoPoint at = b.randomPointIn(grid, rnd);
            out.add(new Enterprise(code, name, industry[0], grid.code(), at, b.address(grid.code(), rnd), headcount));
        }
        return out;
    }

    private List<Person> people(DemoCity.Builder b, SplittableRandom rnd) {
        List<Region> grids = b.hierarchy.all(RegionLevel.GRID);
        Weighted<Region> home = Weighted.of(grids, g -> residential.get(g.code()));
        // birth years weighted towards working age
        Weighted<Integer> birthYear = Weighted.of(java.util.stream.IntStream.rangeClosed(1941, 2008).boxed().toList(),
                y -> y < 1955 ? 0.5 : y < 1965 ? 1.0 : y <= 1995 ? 1.6 : 1.1);
        Set<String> ids = new HashSet<>(), phones = new HashSet<>();
        List<Person> out = new ArrayList<>(PEOPLE);
        while (out.size() < PEOPLE) {
            Region grid = home.pick(rnd);
            String division = rnd.nextDouble() < 0.88 ? RegionLevel.DISTRICT.prefixOf(grid.code())
                    : DISTRICTS.get(rnd.nextInt(DISTRICTS.size())).code;
            boolean male = rnd.nextDouble() < 0.51;
            LocalDate born = LocalDate.of(birthYear.pick(rnd), 1, 1).plusDays(rnd.nextInt(365));
            String id = Identifiers.identityNumber(division, born, rnd.nextInt(500), male);
            String phone = Identifiers.mobilePhone(rnd);
            if (!ids.add(id) || !phones.add(phone)) continue;
            out.add(new Person(id, NamePools.personName(male, rnd), male, born, phone, grid.code()));
        }
        return out;
    }

    private List<GridWorker> gridWorkers(RegionHierarchy hierarchy, SplittableRandom rnd) {
        List<GridWorker> out = new ArrayList<>();
        for (Region grid : hierarchy.all(RegionLevel.GRID)) {
            out.add(new GridWorker(GridWorker.idFor(grid.code()), NamePools.personName(rnd.nextDouble() < 0.45, rnd),
                    Identifiers.mobilePhone(rnd), grid.code()));
        }
        return out;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static String three(int n) {
        return String.format("%03d", n);
    }
}

package org.fenghuo.simulator.city;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.fenghuo.core.ids.CheckDigits;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionHierarchy;
import org.fenghuo.core.region.RegionLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCityTest {
    static DemoCity city;
    static RegionHierarchy loaded;
    static byte[] bytes;

    @BeforeAll
    static void writeAndLoad(@TempDir Path dir) throws Exception {
        city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        Path file = dir.resolve("regions.geojson");
        city.writeGeoJson(file);
        bytes = Files.readAllBytes(file);
        loaded = RegionHierarchy.load(file);
    }

    @Test
    void countsAndCodes() {
        assertThat(loaded.all(RegionLevel.DISTRICT)).hasSize(5);
        assertThat(loaded.all(RegionLevel.STREET)).hasSize(50);
        assertThat(loaded.all(RegionLevel.COMMUNITY)).hasSize(500);
        assertThat(loaded.all(RegionLevel.GRID)).hasSize(5000);
        for (Region d : loaded.all(RegionLevel.DISTRICT)) {
            assertThat(d.code()).startsWith("3399");
            assertThat(d.name()).endsWith("区");
            assertThat(loaded.children(d.code())).hasSizeGreaterThanOrEqualTo(8);
        }
        assertThat(loaded.all(RegionLevel.STREET)).allSatisfy(s -> assertThat(s.name()).endsWith("街道"));
        assertThat(loaded.all(RegionLevel.COMMUNITY)).allSatisfy(c -> assertThat(c.name()).endsWith("社区"));
        assertThat(loaded.all(RegionLevel.GRID)).allSatisfy(g -> assertThat(g.name()).matches("第\\d+网格"));
        assertThat(loaded.all(RegionLevel.COMMUNITY).stream().map(Region::name).distinct()).hasSize(500);
        assertThat(bytes.length).isBetween(500_000, 5_000_000);
    }

    @Test
    void fileHoldsTheSameRegionsAsTheModel() {
        for (Region r : city.grids()) assertThat(loaded.find(r.code())).contains(r);
        assertThat(loaded.size()).isEqualTo(city.regions().size());
    }

    @Test
    void coordinatesHaveSixDecimalsAndStayInTheArea() {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(Pattern.compile("\\[(\\d+\\.\\d{6}),(\\d+\\.\\d{6})]").matcher(text).results().count()).isGreaterThan(20_000);
        assertThat(Pattern.compile("\\d\\.\\d{7}").matcher(text).find()).isFalse();
        for (Region g : loaded.all(RegionLevel.GRID)) {
            var b = g.bounds().orElseThrow();
            assertThat(b.minLon()).isGreaterThan(119.99);
            assertThat(b.maxLon()).isLessThan(120.41);
            assertThat(b.minLat()).isGreaterThan(30.09);
            assertThat(b.maxLat()).isLessThan(30.41);
        }
    }

    @Test
    void regionsNestExactly() {
        // random points: the grid found must lie inside its community, street and district polygons,
        // and no other grid may contain the point
        var rnd = new java.util.SplittableRandom(3);
        int inside = 0;
        for (int k = 0; k < 20_000; k++) {
            GeoPoint p = new GeoPoint(30.1 + rnd.nextDouble() * 0.3, 120.0 + rnd.nextDouble() * 0.4);
            var grid = loaded.gridAt(p);
            if (grid.isEmpty()) continue;
            inside++;
            for (RegionLevel l : List.of(RegionLevel.COMMUNITY, RegionLevel.STREET, RegionLevel.DISTRICT)) {
                assertThat(loaded.find(l.prefixOf(grid.get().code())).orElseThrow().contains(p)).isTrue();
            }
            if (k % 20 == 0) {
                long containing = loaded.all(RegionLevel.GRID).stream().filter(g -> g.contains(p)).count();
                assertThat(containing).isEqualTo(1);
            }
        }
        assertThat(inside).isGreaterThan(18_000);
    }

    @Test
    void vertexOnSharedCornerBelongsToOneGrid() {
        Region g = city.grids().get(1234);
        for (GeoPoint corner : g.polygon().get(0)) {
            long containing = loaded.all(RegionLevel.GRID).stream().filter(x -> x.contains(corner)).count();
            assertThat(containing).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherCity() {
        assertThat(DemoCity.generate(DemoCity.DEFAULT_SEED).geoJsonBytes()).isEqualTo(bytes);
        DemoCity other = DemoCity.generate(42);
        assertThat(other.geoJsonBytes()).isNotEqualTo(bytes);
        assertThat(other.people().get(0)).isNotEqualTo(city.people().get(0));
    }

    @Test
    void enterprisesAreInsideTheirGrids() {
        assertThat(city.enterprises()).hasSizeGreaterThanOrEqualTo(500);
        Set<String> names = new HashSet<>();
        for (Enterprise e : city.enterprises()) {
            assertThat(CheckDigits.isValidCreditCode(e.creditCode())).as(e.creditCode()).isTrue();
            assertThat(e.creditCode()).startsWith("91" + e.gridCode().substring(0, 6));
            assertThat(e.name()).endsWith("公司");
            assertThat(names.add(e.name())).isTrue();
            assertThat(e.headcount()).isBetween(3, 3000);
            assertThat(loaded.gridAt(e.location())).map(Region::code).contains(e.gridCode());
            assertThat(e.address()).endsWith("号");
        }
    }

    @Test
    void peopleArePlausible() {
        assertThat(city.people()).hasSizeGreaterThanOrEqualTo(20_000);
        Set<String> ids = new HashSet<>();
        for (Person p : city.people()) {
            assertThat(CheckDigits.isValidIdentityNumber(p.idNumber())).as(p.idNumber()).isTrue();
            assertThat(p.idNumber()).startsWith("3399");
            assertThat(loaded.contains(p.idNumber().substring(0, 6))).isTrue();
            assertThat(p.idNumber().substring(6, 14)).isEqualTo(p.birthDate().format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
            assertThat((p.idNumber().charAt(16) - '0') % 2 == 1).isEqualTo(p.male());
            assertThat(p.birthDate()).isBetween(LocalDate.of(1941, 1, 1), LocalDate.of(2008, 12, 31));
            assertThat(p.phone()).matches("1[3-9]\\d{9}");
            assertThat(p.name()).hasSizeBetween(2, 4);
            assertThat(loaded.contains(p.homeGridCode())).isTrue();
            assertThat(ids.add(p.idNumber())).isTrue();
        }
    }

    @Test
    void oneGridWorkerPerGrid() {
        assertThat(city.gridWorkers()).hasSize(5000);
        assertThat(city.gridWorkerOf("339901001001001").id()).isEqualTo("GW-339901001001001");
    }
}

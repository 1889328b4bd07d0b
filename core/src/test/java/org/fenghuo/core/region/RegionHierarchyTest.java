package org.fenghuo.core.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fenghuo.core.model.GeoPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionHierarchyTest {

    @Test
    void loadsAFileAndKeepsItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("regions.geojson");
        Files.write(file, GeoJsonFixture.smallCity().bytes());
        RegionHierarchy h = RegionHierarchy.load(file);
        assertThat(h.sourceName()).isEqualTo(file.toString());
        assertThat(h.size()).isEqualTo(8);
        assertThat(h.all(RegionLevel.DISTRICT)).extracting(Region::code).containsExactly("339901");
        assertThat(h.all(RegionLevel.GRID)).hasSize(3);
        assertThat(h.children("339901")).extracting(Region::code).containsExactly("339901001", "339901002");
        assertThat(h.children("339901001001")).extracting(Region::name).containsExactly("第1网格", "第2网格");
        assertThat(h.children("339901001001001")).isEmpty();
        Region street = h.find("339901001").orElseThrow();
        assertThat(street.name()).isEqualTo("望江街道");
        assertThat(street.level()).isEqualTo(RegionLevel.STREET);
        assertThat(street.parent()).isEqualTo("339901");
        assertThat(street.centroid().lat()).isCloseTo(30.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(street.centroid().lon()).isCloseTo(120.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(street.bounds()).contains(new BoundingBox(120.0, 30.0, 120.1, 30.1));
        assertThat(h.contains("339901009")).isFalse();
        assertThat(h.find("339901009")).isEmpty();
    }

    @Test
    void missingFileNamesIt(@TempDir Path dir) {
        Path file = dir.resolve("nope.geojson");
        assertThatThrownBy(() -> RegionHierarchy.load(file))
                .isInstanceOf(RegionFileException.class).hasMessageStartingWith(file + ": cannot be read");
    }

    @Test
    void pathOfDerivesAllKnownLevels() {
        RegionHierarchy h = GeoJsonFixture.smallCity().read();
        assertThat(h.pathOf("339901001001002"))
                .isEqualTo(RegionPath.of("339901", "339901001", "339901001001", "339901001001002"));
        assertThat(h.pathOf("339901002")).isEqualTo(RegionPath.of("339901", "339901002", null, null));
        assertThat(h.findPath("339901001001009")).isEmpty();
        assertThatThrownBy(() -> h.pathOf("339901001001009")).hasMessageContaining("not in regions.geojson");
    }

    @Test
    void gridAtFindsTheContainingGrid() {
        RegionHierarchy h = GeoJsonFixture.smallCity().read();
        assertThat(h.gridAt(new GeoPoint(30.05, 120.01))).map(Region::code).contains("339901001001001");
        assertThat(h.gridAt(new GeoPoint(30.05, 120.07))).map(Region::code).contains("339901001001002");
        assertThat(h.gridAt(new GeoPoint(30.02, 120.12))).map(Region::code).contains("339901002001001");
        assertThat(h.pathAt(new GeoPoint(30.05, 120.07)).mostSpecific()).isEqualTo("339901001001002");
    }

    @Test
    void holesAndPointsOutsideAllGridsFindNothing() {
        RegionHierarchy h = GeoJsonFixture.smallCity().read();
        assertThat(h.gridAt(new GeoPoint(30.05, 120.15))).as("in the hole").isEmpty();
        assertThat(h.gridAt(new GeoPoint(30.05, 119.99))).isEmpty();
        assertThat(h.gridAt(new GeoPoint(30.2, 120.05))).isEmpty();
        assertThat(h.gridAt(new GeoPoint(-10, -60))).isEmpty();
        assertThat(h.pathAt(new GeoPoint(30.2, 120.05))).isEqualTo(RegionPath.EMPTY);
    }

    @Test
    void pointOnASharedEdgeIsInExactlyOneGrid() {
        RegionHierarchy h = GeoJsonFixture.smallCity().read();
        // the edge lon 120.05 between grids 001 and 002: it goes to the eastern one
        assertThat(h.gridAt(new GeoPoint(30.05, 120.05))).map(Region::code).contains("339901001001002");
        // the street boundary lon 120.1
        assertThat(h.gridAt(new GeoPoint(30.05, 120.1))).map(Region::code).contains("339901002001001");
        // the western and southern outer edges are in, the eastern and northern ones out
        assertThat(h.gridAt(new GeoPoint(30.05, 120.0))).isPresent();
        assertThat(h.gridAt(new GeoPoint(30.0, 120.03))).isPresent();
        assertThat(h.gridAt(new GeoPoint(30.05, 120.2))).isEmpty();
        assertThat(h.gridAt(new GeoPoint(30.1, 120.03))).isEmpty();
    }

    @Test
    void locateAtEachLevel() {
        RegionHierarchy h = GeoJsonFixture.smallCity().read();
        GeoPoint p = new GeoPoint(30.05, 120.07);
        assertThat(h.locate(p, RegionLevel.DISTRICT)).map(Region::code).contains("339901");
        assertThat(h.locate(p, RegionLevel.STREET)).map(Region::code).contains("339901001");
        assertThat(h.locate(p, RegionLevel.COMMUNITY)).map(Region::code).contains("339901001001");
        assertThat(h.locate(p, RegionLevel.GRID)).map(Region::code).contains("339901001001002");
        // inside the hole no grid covers the point, but the community polygon (without a hole) does
        GeoPoint hole = new GeoPoint(30.05, 120.15);
        assertThat(h.locate(hole, RegionLevel.GRID)).isEmpty();
        assertThat(h.locate(hole, RegionLevel.COMMUNITY)).map(Region::code).contains("339901002001");
    }

    @Test
    void multiPolygonGrid() {
        GeoJsonFixture f = new GeoJsonFixture();
        f.feature("339901", "东湖区", "DISTRICT", null);
        f.feature("339901001", "望江街道", "STREET", "339901");
        f.feature("339901001001", "桂花社区", "COMMUNITY", "339901001");
        ObjectNode grid = f.feature("339901001001001", "第1网格", "GRID", "339901001001");
        ArrayNode parts = grid.putObject("geometry").put("type", "MultiPolygon").putArray("coordinates");
        GeoJsonFixture.ring(parts.addArray().addArray(), 120.0, 30.0, 120.01, 30.01);
        GeoJsonFixture.ring(parts.addArray().addArray(), 120.02, 30.0, 120.03, 30.01);
        RegionHierarchy h = f.read();
        assertThat(h.gridAt(new GeoPoint(30.005, 120.005))).isPresent();
        assertThat(h.gridAt(new GeoPoint(30.005, 120.025))).isPresent();
        assertThat(h.gridAt(new GeoPoint(30.005, 120.015))).isEmpty();
        assertThat(h.find("339901001001001").orElseThrow().polygon()).hasSize(2);
        assertThat(h.find("339901").orElseThrow().hasGeometry()).isFalse();
    }

    @Test
    void numericCodesAreAccepted() {
        GeoJsonFixture f = GeoJsonFixture.smallCity();
        ((ObjectNode) f.features.get(1).get("properties")).put("code", 339901001L).put("parent", 339901L);
        assertThat(f.read().contains("339901001")).isTrue();
    }

    @Test
    void ofChecksRegionsBuiltInCode() {
        RegionHierarchy h = GeoJsonFixture.smallCity().read();
        List<Region> all = new java.util.ArrayList<>();
        for (RegionLevel l : RegionLevel.values()) all.addAll(h.all(l));
        assertThat(RegionHierarchy.of("copy", all).size()).isEqualTo(8);
        all.remove(0);
        assertThatThrownBy(() -> RegionHierarchy.of("copy", all))
                .isInstanceOf(RegionFileException.class)
                .hasMessageContaining("copy: feature #0 (code 339901001): parent 339901 is not in the file");
    }
}

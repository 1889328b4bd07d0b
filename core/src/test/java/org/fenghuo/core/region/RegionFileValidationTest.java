package org.fenghuo.core.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every rule of the region file, each breaking the small fixture city in one way. */
class RegionFileValidationTest {

    private static RegionFileException brokenBy(Consumer<GeoJsonFixture> change) {
        GeoJsonFixture f = GeoJsonFixture.smallCity();
        change.accept(f);
        try {
            f.read();
        } catch (RegionFileException e) {
            return e;
        }
        throw new AssertionError("expected a RegionFileException");
    }

    private static ObjectNode props(GeoJsonFixture f, int i) {
        return (ObjectNode) f.features.get(i).get("properties");
    }

    @Test
    void parentNotInFile() {
        RegionFileException e = brokenBy(f -> f.features.remove(1));
        // the street's community (now feature #2) names a parent that is gone
        assertThat(e.getMessage()).isEqualTo("regions.geojson: feature #2 (code 339901001001): parent 339901001 is not in the file");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.sourceName()).isEqualTo("regions.geojson");
    }

    @Test
    void codeLengthMustMatchLevel() {
        assertThat(brokenBy(f -> props(f, 1).put("level", "COMMUNITY")).getMessage())
                .contains("feature #1 (code 339901001): code has 9 digits but a COMMUNITY code has 12");
    }

    @Test
    void codeMustStartWithParentCode() {
        assertThat(brokenBy(f -> {
            f.feature("339902001001", "错位社区", "COMMUNITY", "339901001");
        }).getMessage()).isEqualTo("regions.geojson: feature #8 (code 339902001001): code does not start with its parent's code 339901001");
    }

    @Test
    void parentMustBeOneLevelUp() {
        assertThat(brokenBy(f -> props(f, 3).put("parent", "339901")).getMessage())
                .contains("feature #3 (code 339901001001): parent 339901 is a DISTRICT but the parent of a COMMUNITY must be a STREET");
    }

    @Test
    void missingParent() {
        assertThat(brokenBy(f -> props(f, 5).remove("parent")).getMessage())
                .contains("feature #5 (code 339901001001001): a GRID needs a parent (the code of its COMMUNITY)");
    }

    @Test
    void duplicateCode() {
        assertThat(brokenBy(f -> f.rect("339901001", "重复街道", "STREET", "339901", 120.0, 30.0, 120.1, 30.1)).getMessage())
                .isEqualTo("regions.geojson: feature #8 (code 339901001): duplicate code, also used by feature #1");
    }

    @Test
    void gridNeedsGeometry() {
        assertThat(brokenBy(f -> ((ObjectNode) f.features.get(6)).putNull("geometry")).getMessage())
                .isEqualTo("regions.geojson: feature #6 (code 339901001001002): a GRID needs a Polygon or MultiPolygon geometry");
    }

    @Test
    void unknownLevel() {
        assertThat(brokenBy(f -> props(f, 1).put("level", "TOWN")).getMessage())
                .contains("feature #1 (code 339901001): level \"TOWN\" is not one of DISTRICT, STREET, COMMUNITY, GRID");
    }

    @Test
    void missingCodeAndName() {
        RegionFileException e = brokenBy(f -> {
            props(f, 0).remove("code");
            props(f, 2).put("name", " ");
        });
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("regions.geojson: feature #0: properties.code is missing"));
        assertThat(e.problems()).contains("regions.geojson: feature #2 (code 339901002): properties.name is missing or empty");
    }

    @Test
    void codeNotDigits() {
        assertThat(brokenBy(f -> props(f, 1).put("code", "33990100A")).getMessage())
                .contains("feature #1: properties.code is missing or not a string of digits (\"33990100A\")");
    }

    @Test
    void unsupportedGeometryType() {
        assertThat(brokenBy(f -> ((ObjectNode) f.features.get(5)).putObject("geometry").put("type", "Point")
                .putArray("coordinates").add(120.0).add(30.0)).getMessage())
                .contains("feature #5 (code 339901001001001): geometry type Point is not supported (Polygon or MultiPolygon)");
    }

    @Test
    void ringNotClosedOrTooShort() {
        RegionFileException e = brokenBy(f -> {
            ArrayNode ring = (ArrayNode) f.features.get(5).get("geometry").get("coordinates").get(0);
            ring.remove(4);
            ArrayNode ring2 = (ArrayNode) f.features.get(6).get("geometry").get("coordinates").get(0);
            while (ring2.size() > 3) ring2.remove(1);
        });
        assertThat(e.problems()).contains(
                "regions.geojson: feature #5 (code 339901001001001): ring 0 is not closed (its last position must repeat its first)",
                "regions.geojson: feature #6 (code 339901001001002): ring 0 has 3 positions; a closed ring needs at least 4");
    }

    @Test
    void coordinatesOutOfRangeOrBroken() {
        RegionFileException e = brokenBy(f -> {
            ArrayNode ring = (ArrayNode) f.features.get(5).get("geometry").get("coordinates").get(0);
            ((ArrayNode) ring.get(1)).removeAll().add(30.0).add(120.05);
            ArrayNode ring2 = (ArrayNode) f.features.get(6).get("geometry").get("coordinates").get(0);
            ring2.set(2, GeoJsonFixture.MAPPER.getNodeFactory().textNode("120,30"));
        });
        assertThat(e.problems()).contains(
                "regions.geojson: feature #5 (code 339901001001001): ring 0, position 1 [30.0, 120.05] is out of range (GeoJSON order is [lon, lat])",
                "regions.geojson: feature #6 (code 339901001001002): ring 0, position 2 is not [lon, lat]: \"120,30\"");
    }

    @Test
    void notJsonOrNotAFeatureCollection() {
        assertThatThrownBy(() -> GeoJsonFixture.read("{\"type\": \"FeatureCollection\", \"features\": ["))
                .isInstanceOf(RegionFileException.class).hasMessageStartingWith("regions.geojson: not valid JSON (line 1");
        assertThatThrownBy(() -> GeoJsonFixture.read("[]"))
                .hasMessage("regions.geojson: not a GeoJSON FeatureCollection (the top level is not a JSON object)");
        assertThatThrownBy(() -> GeoJsonFixture.read("{\"type\": \"Feature\"}"))
                .hasMessage("regions.geojson: not a GeoJSON FeatureCollection (type is \"Feature\")");
        assertThatThrownBy(() -> GeoJsonFixture.read("{\"type\": \"FeatureCollection\", \"features\": []}"))
                .hasMessage("regions.geojson: has no features");
        assertThatThrownBy(() -> GeoJsonFixture.read("{\"type\": \"FeatureCollection\", \"features\": [42]}"))
                .hasMessage("regions.geojson: feature #0: is not a JSON object");
    }

    @Test
    void reportsAllProblemsAtOnce() {
        RegionFileException e = brokenBy(f -> {
            props(f, 1).put("level", "TOWN");
            ((ObjectNode) f.features.get(6)).putNull("geometry");
        });
        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).contains("\n");
    }

    @Test
    void brokenFeatureDoesNotAlsoOrphanItsChildren() {
        // the street's level is wrong: its community must not also complain that its parent is missing
        RegionFileException e = brokenBy(f -> props(f, 1).put("level", "STRAAT"));
        assertThat(e.problems()).hasSize(1);
    }
}

package org.fenghuo.core.region;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** Builds small region files for tests. Rectangles are given as lon0, lat0, lon1, lat1. */
final class GeoJsonFixture {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final ObjectNode root = MAPPER.createObjectNode().put("type", "FeatureCollection");
    final ArrayNode features = root.putArray("features");

    ObjectNode feature(String code, String name, String level, String parent) {
        ObjectNode f = features.addObject().put("type", "Feature");
        ObjectNode p = f.putObject("properties").put("code", code).put("name", name).put("level", level);
        if (parent != null) p.put("parent", parent);
        f.putNull("geometry");
        return f;
    }

    ObjectNode rect(String code, String name, String level, String parent, double lon0, double lat0, double lon1, double lat1) {
        ObjectNode f = feature(code, name, level, parent);
        ObjectNode g = f.putObject("geometry").put("type", "Polygon");
        ArrayNode rings = g.putArray("coordinates");
        ring(rings.addArray(), lon0, lat0, lon1, lat1);
        return f;
    }

    static void ring(ArrayNode ring, double lon0, double lat0, double lon1, double lat1) {
        double[][] pts = {{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}};
        for (double[] p : pts) ring.addArray().add(p[0]).add(p[1]);
    }

    /**
     * One district 339901 [120.0,30.0]-[120.2,30.1] with two streets side by side, each with one community,
     * the first community with two grids (west and east halves), the second with one grid that has a hole.
     */
    static GeoJsonFixture smallCity() {
        GeoJsonFixture f = new GeoJsonFixture();
        f.rect("339901", "东湖区", "DISTRICT", "339900", 120.0, 30.0, 120.2, 30.1);
        f.rect("339901001", "望江街道", "STREET", "339901", 120.0, 30.0, 120.1, 30.1);
        f.rect("339901002", "湖滨街道", "STREET", "339901", 120.1, 30.0, 120.2, 30.1);
        f.rect("339901001001", "桂花社区", "COMMUNITY", "339901001", 120.0, 30.0, 120.1, 30.1);
        f.rect("339901002001", "翠苑社区", "COMMUNITY", "339901002", 120.1, 30.0, 120.2, 30.1);
        f.rect("339901001001001", "第1网格", "GRID", "339901001001", 120.0, 30.0, 120.05, 30.1);
        f.rect("339901001001002", "第2网格", "GRID", "339901001001", 120.05, 30.0, 120.1, 30.1);
        ObjectNode holed = f.rect("339901002001001", "第1网格", "GRID", "339901002001", 120.1, 30.0, 120.2, 30.1);
        ring(((ArrayNode) holed.get("geometry").get("coordinates")).addArray(), 120.14, 30.04, 120.16, 30.06);
        return f;
    }

    byte[] bytes() {
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    RegionHierarchy read() {
        return RegionHierarchy.read(new ByteArrayInputStream(bytes()), "regions.geojson");
    }

    static RegionHierarchy read(String json) {
        return RegionHierarchy.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "regions.geojson");
    }
}

package org.fenghuo.core.region;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fenghuo.core.model.GeoPoint;

/** Reads the features of a region file (DESIGN §4); the hierarchy rules are checked by {@link RegionValidator}. */
final class GeoJsonRegionReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String source;
    private final List<String> problems = new ArrayList<>();

    private GeoJsonRegionReader(String source) {
        this.source = source;
    }

    /** The features read, and the problems found at this level (the features then hold nulls where they are broken). */
    record Result(List<RegionFeature> features, List<String> problems) {}

    /** Throws {@link RegionFileException} only when there are no features to go on with at all. */
    static Result read(InputStream in, String source) {
        GeoJsonRegionReader reader = new GeoJsonRegionReader(source);
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new RegionFileException(source, List.of(source + ": not valid JSON" + where + ": " + e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new RegionFileException(source, List.of(source + ": cannot be read: " + e.getMessage()), e);
        }
        List<RegionFeature> features = reader.features(root);
        if (features.isEmpty()) throw new RegionFileException(source, reader.problems);
        return new Result(features, List.copyOf(reader.problems));
    }

    private List<RegionFeature> features(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add(source + ": not a GeoJSON FeatureCollection (the top level is not a JSON object)");
            return List.of();
        }
        if (!"FeatureCollection".equals(root.path("type").asText(null))) {
            problems.add(source + ": not a GeoJSON FeatureCollection (type is " + describe(root.get("type")) + ")");
            return List.of();
        }
        JsonNode array = root.get("features");
        if (array == null || !array.isArray()) {
            problems.add(source + ": \"features\" is missing or not an array");
            return List.of();
        }
        if (array.isEmpty()) {
            problems.add(source + ": has no features");
            return List.of();
        }
        List<RegionFeature> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) out.add(feature(i, array.get(i)));
        return out;
    }

    private RegionFeature feature(int index, JsonNode f) {
        String label = "feature #" + index;
        if (!f.isObject()) {
            problem(label, "is not a JSON object");
            return new RegionFeature(index, null, null, null, null, List.of(), false);
        }
        JsonNode props = f.get("properties");
        if (props == null || !props.isObject()) {
            problem(label, "has no properties object");
            return new RegionFeature(index, null, null, null, null, List.of(), false);
        }
        boolean complete = true;
        String code = codeValue(props.get("code"));
        if (code == null) {
            problem(label, "properties.code is missing or not a string of digits (" + describe(props.get("code")) + ")");
            complete = false;
        } else {
            label = label + " (code " + code + ")";
        }
        String name = props.path("name").isTextual() ? props.get("name").asText().strip() : null;
        if (name == null || name.isEmpty()) {
            problem(label, "properties.name is missing or empty");
            complete = false;
        }
        RegionLevel level = null;
        JsonNode levelNode = props.get("level");
        if (levelNode == null || !levelNode.isTextual()) {
            problem(label, "properties.level is missing (one of DISTRICT, STREET, COMMUNITY, GRID)");
            complete = false;
        } else {
            try {
                level = RegionLevel.valueOf(levelNode.asText().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(label, "level \"" + levelNode.asText() + "\" is not one of DISTRICT, STREET, COMMUNITY, GRID");
                complete = false;
            }
        }
        JsonNode parentNode = props.get("parent");
        String parent = null;
        if (parentNode != null && !parentNode.isNull()) {
            parent = codeValue(parentNode);
            if (parent == null) {
                problem(label, "properties.parent is not a string of digits (" + describe(parentNode) + ")");
                complete = false;
            }
        }
        List<List<GeoPoint>> rings = geometry(label, f.get("geometry"));
        if (rings == null) {
            complete = false;
            rings = List.of();
        }
        return new RegionFeature(index, code, name, level, parent, rings, complete);
    }

    /** Rings of a Polygon or MultiPolygon, an empty list for no geometry, {@code null} when it is broken. */
    private List<List<GeoPoint>> geometry(String label, JsonNode g) {
        if (g == null || g.isNull()) return List.of();
        if (!g.isObject()) {
            problem(label, "geometry is not an object");
            return null;
        }
        String type = g.path("type").asText("");
        JsonNode coords = g.get("coordinates");
        if (!type.equals("Polygon") && !type.equals("MultiPolygon")) {
            problem(label, "geometry type " + (type.isEmpty() ? "(none)" : type) + " is not supported (Polygon or MultiPolygon)");
            return null;
        }
        if (coords == null || !coords.isArray() || coords.isEmpty()) {
            problem(label, type + " has no coordinates");
            return null;
        }
        List<List<GeoPoint>> rings = new ArrayList<>();
        boolean ok = true;
        if (type.equals("Polygon")) {
            ok = polygon(label, "", coords, rings);
        } else {
            for (int p = 0; p < coords.size(); p++) ok &= polygon(label, "polygon " + p + ", ", coords.get(p), rings);
        }
        return ok ? rings : null;
    }

    private boolean polygon(String label, String where, JsonNode polygon, List<List<GeoPoint>> into) {
        if (!polygon.isArray() || polygon.isEmpty()) {
            problem(label, where + "polygon has no rings");
            return false;
        }
        boolean ok = true;
        for (int r = 0; r < polygon.size(); r++) {
            JsonNode ring = polygon.get(r);
            String ringName = where + "ring " + r;
            if (!ring.isArray()) {
                problem(label, ringName + " is not an array of positions");
                ok = false;
                continue;
            }
            List<GeoPoint> points = new ArrayList<>(ring.size());
            for (int i = 0; i < ring.size(); i++) {
                GeoPoint p = position(label, ringName + ", position " + i, ring.get(i));
                if (p == null) {
                    ok = false;
                    break;
                }
                points.add(p);
            }
            if (points.size() == ring.size()) into.add(points);
        }
        return ok;
    }

    private GeoPoint position(String label, String where, JsonNode pos) {
        if (!pos.isArray() || pos.size() < 2 || !pos.get(0).isNumber() || !pos.get(1).isNumber()) {
            problem(label, where + " is not [lon, lat]: " + pos);
            return null;
        }
        double lon = pos.get(0).doubleValue(), lat = pos.get(1).doubleValue();
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
            problem(label, where + " [" + lon + ", " + lat + "] is out of range (GeoJSON order is [lon, lat])");
            return null;
        }
        return new GeoPoint(lat, lon);
    }

    /** Codes are strings; integral numbers are accepted because GIS tools often export codes as numbers. */
    private static String codeValue(JsonNode n) {
        if (n == null) return null;
        String s = n.isTextual() ? n.asText().strip() : n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0 ? Long.toString(n.longValue()) : null;
        return s != null && RegionLevel.isDigits(s) ? s : null;
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) return "missing";
        String s = n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private void problem(String label, String what) {
        problems.add(source + ": " + label + ": " + what);
    }
}

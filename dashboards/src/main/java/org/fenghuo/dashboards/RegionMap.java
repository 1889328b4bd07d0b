package org.fenghuo.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fenghuo.core.config.ConfigException;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionFileException;
import org.fenghuo.core.region.RegionHierarchy;
import org.fenghuo.core.region.RegionLevel;
import org.fenghuo.dashboards.auth.Scope;

/** The region file, for the map (its polygons, served as they are) and for region names and children. */
public final class RegionMap {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RegionHierarchy hierarchy;
    private final List<JsonNode> features;

    private RegionMap(RegionHierarchy hierarchy, List<JsonNode> features) {
        this.hierarchy = hierarchy;
        this.features = features;
    }

    public static RegionMap load(Path file) {
        RegionHierarchy h;
        try {
            h = RegionHierarchy.load(file);
        } catch (RegionFileException e) {
            throw new ConfigException("region file " + file + ": " + e.getMessage());
        }
        List<JsonNode> features = new ArrayList<>();
        try {
            JSON.readTree(file.toFile()).path("features").forEach(features::add);
        } catch (IOException e) {
            throw new ConfigException("region file " + file + " cannot be read: " + e.getMessage());
        }
        return new RegionMap(h, features);
    }

    public RegionHierarchy hierarchy() {
        return hierarchy;
    }

    public boolean anyWithin(String prefix) {
        return hierarchy.all(RegionLevel.DISTRICT).stream().anyMatch(d -> d.code().startsWith(prefix) || prefix.startsWith(d.code()));
    }

    public String name(String code) {
        if (code == null || code.isEmpty()) return "全市";
        return hierarchy.find(code).map(Region::name).orElse(code);
    }

    /** The level of a scope's own code: CITY for a prefix shorter than a district code. */
    public String levelOf(String code) {
        return hierarchy.find(code).map(r -> r.level().name()).orElse(code == null || code.length() < 6 ? "CITY" : "UNKNOWN");
    }

    /**
     * The regions drawn under {@code parent}: its children, or the districts inside a city-wide prefix, or a grid
     * on its own (nothing is below it).
     */
    public List<Region> childrenOf(String parent) {
        Optional<Region> p = hierarchy.find(parent);
        if (p.isEmpty()) {
            return hierarchy.all(RegionLevel.DISTRICT).stream().filter(d -> d.code().startsWith(parent)).toList();
        }
        List<Region> kids = hierarchy.children(parent);
        return kids.isEmpty() ? List.of(p.get()) : kids;
    }

    /** GeoJSON of the features inside the scope, optionally one level only or one parent's children only. */
    public ObjectNode geoJson(Scope scope, String level, String parent) {
        ObjectNode fc = JSON.createObjectNode().put("type", "FeatureCollection");
        ArrayNode out = fc.putArray("features");
        for (JsonNode f : features) {
            JsonNode props = f.path("properties");
            String code = props.path("code").asText();
            if (!scope.allows(code)) continue;
            if (level != null && !level.equalsIgnoreCase(props.path("level").asText())) continue;
            if (parent != null && !parent.equals(props.path("parent").asText()) && !(parent.equals(code) && hierarchy.children(code).isEmpty())) continue;
            out.add(f);
        }
        return fc;
    }
}

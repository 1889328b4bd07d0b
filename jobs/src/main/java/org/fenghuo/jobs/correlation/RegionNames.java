package org.fenghuo.jobs.correlation;

import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionHierarchy;

import java.nio.file.Path;

/** Region names for titles and explanations; codes stand in when there is no region file or the code is unknown. */
final class RegionNames {
    private final RegionHierarchy regions;

    private RegionNames(RegionHierarchy regions) {
        this.regions = regions;
    }

    static RegionNames load(String regionFile) {
        return new RegionNames(regionFile == null ? null : RegionHierarchy.load(Path.of(regionFile)));
    }

    static RegionNames none() {
        return new RegionNames(null);
    }

    String name(String code) {
        if (code == null) return "区域未知";
        if (regions == null) return code;
        return regions.find(code).map(Region::name).orElse(code);
    }

    /** A place as an officer says it: district, street and community names, most specific last. */
    String path(String district, String street, String community) {
        StringBuilder sb = new StringBuilder();
        for (String c : new String[]{district, street, community}) {
            if (c != null) sb.append(name(c));
        }
        return sb.isEmpty() ? "区域未知" : sb.toString();
    }
}

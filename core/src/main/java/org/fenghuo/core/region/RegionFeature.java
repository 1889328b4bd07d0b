package org.fenghuo.core.region;

import java.util.List;
import org.fenghuo.core.model.GeoPoint;

/**
 * One feature of a region file as read, before the hierarchy is checked. Fields the file got wrong are
 * {@code null} (the reader has already recorded why), so that one bad feature does not also make all its
 * children report a missing parent.
 */
record RegionFeature(int index, String code, String name, RegionLevel level, String parent,
                     List<List<GeoPoint>> rings, boolean complete) {

    String label() {
        return code == null ? "feature #" + index : "feature #" + index + " (code " + code + ")";
    }

    Region toRegion() {
        return Region.of(code, name, level, parent, rings);
    }

    static RegionFeature of(int index, Region r) {
        return new RegionFeature(index, r.code(), r.name(), r.level(), r.parent(), r.polygon(), true);
    }
}

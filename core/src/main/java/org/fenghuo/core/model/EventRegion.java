package org.fenghuo.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The four administrative levels of an event, as far as they can be derived; unknown levels are null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventRegion(String district, String street, String community, String grid) {
    public static final EventRegion UNKNOWN = new EventRegion(null, null, null, null);

    /** The most specific known code, or null. */
    public String mostSpecific() {
        if (grid != null) return grid;
        if (community != null) return community;
        if (street != null) return street;
        return district;
    }
}

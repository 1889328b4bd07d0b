package org.fenghuo.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** WGS-84 point; serialised as {@code {"lat":..,"lon":..}}, which Elasticsearch maps as a geo_point. */
public record GeoPoint(@JsonProperty("lat") double lat, @JsonProperty("lon") double lon) {
    @JsonCreator
    public GeoPoint {
        if (!(lat >= -90 && lat <= 90)) throw new IllegalArgumentException("lat out of range: " + lat);
        if (!(lon >= -180 && lon <= 180)) throw new IllegalArgumentException("lon out of range: " + lon);
    }

    private static final double EARTH_RADIUS_M = 6_371_008.8;

    /** Great-circle (haversine) distance in metres. */
    public double distanceMetres(GeoPoint other) {
        double dLat = Math.toRadians(other.lat - lat);
        double dLon = Math.toRadians(other.lon - lon);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat)) * Math.cos(Math.toRadians(other.lat)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}

package org.fenghuo.simulator.city;

import org.fenghuo.core.model.GeoPoint;

/** An enterprise of the demo city, located at a point inside its grid. */
public record Enterprise(String creditCode, String name, String industry, String gridCode, GeoPoint location,
                         String address, int headcount) {}

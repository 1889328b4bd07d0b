package org.fenghuo.simulator.city;

/** The grid worker (网格员) of one grid; {@code id} is {@code GW-<gridCode>}, the reporterId of grid reports. */
public record GridWorker(String id, String name, String phone, String gridCode) {
    public static String idFor(String gridCode) { return "GW-" + gridCode; }
}

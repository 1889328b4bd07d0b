package org.fenghuo.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Feed timestamps: ISO-8601 with the +08:00 offset, to the second. */
final class Timestamps {
    private Timestamps() {}

    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(CHINA);

    static String format(long millis) {
        return FORMAT.format(Instant.ofEpochMilli(millis));
    }

    /** Drops the milliseconds, which the feeds do not carry, so the event time matches the text exactly. */
    static long toSecond(long millis) {
        return Math.floorDiv(millis, 1000) * 1000;
    }

    /** Hour of the day in China, with fraction. */
    static double localHour(long millis) {
        long local = millis + 8 * 3_600_000L;
        return Math.floorMod(local, 86_400_000L) / 3_600_000.0;
    }
}

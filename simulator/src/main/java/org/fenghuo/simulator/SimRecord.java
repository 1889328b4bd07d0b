package org.fenghuo.simulator;

import org.fenghuo.core.feed.Feed;

/**
 * One record of the stream, in the order it is delivered.
 *
 * @param arrivalMillis simulated time at which it is delivered (its event time, or later for late records)
 * @param scenario      the scenario it belongs to, or {@code null}
 */
record SimRecord(Feed feed, String key, byte[] value, long eventTimeMillis, long arrivalMillis, Kind kind,
                 MalformedKind malformedKind, boolean late, boolean badCheckDigit, ScenarioType scenario) {

    enum Kind { VALID, MALFORMED, DUPLICATE }

    SimRecord asDuplicate(long arrival) {
        return new SimRecord(feed, key, value, eventTimeMillis, arrival, Kind.DUPLICATE, null, late, badCheckDigit, null);
    }
}

package org.fenghuo.simulator;

/** The ways a simulated record breaks a DESIGN §2 rule; each must end up in {@code feed.dead-letter}. */
public enum MalformedKind {
    /** Truncated JSON, XML, a CSV line, or JSON with single quotes. */
    NOT_JSON,
    /** Valid JSON but not an object: the record wrapped in an array, or double-encoded as a JSON string. */
    NOT_AN_OBJECT,
    MISSING_REQUIRED_FIELD,
    /** A number field holding text, an object or array field holding a string, an enum holding an object. */
    WRONG_TYPE,
    UNKNOWN_ENUM_VALUE,
    NUMBER_OUT_OF_RANGE,
    STRING_TOO_LONG,
    /** e.g. a 14-digit grid code, a 17-digit identity number, a credit code with the letter I. */
    PATTERN_MISMATCH,
    /** A well-formed region code that is not in the region file. */
    UNKNOWN_REGION_CODE,
    /**
     * The event time 3 to 400 days ahead of the simulated clock and a century on (a mistyped year, 2126 for 2026), so
     * that it is in the future of whatever clock ingests it: the ingest compares with today, and a run that starts
     * in the past is ingested long after its simulated clock.
     */
    FUTURE_TIMESTAMP
}

package org.fenghuo.jobs.ingest;

/**
 * The class of a dead letter's reason, for the {@code deadLetters} metric: a handful of fixed values, where the reason
 * itself names fields and values. The reasons are {@code FeedNormalizer}'s and {@code JsonSchemaChecker}'s;
 * {@code SimulatedFeedsTest} puts records broken each way through the real normaliser and fails on a reason this
 * cannot classify, so a reworded reason is noticed.
 */
public enum RejectionClass {
    NOT_JSON("not-json"),
    NOT_AN_OBJECT("not-an-object"),
    MISSING_FIELD("missing-field"),
    WRONG_TYPE("wrong-type"),
    UNKNOWN_VALUE("unknown-value"),
    OUT_OF_RANGE("out-of-range"),
    TOO_LONG("too-long"),
    PATTERN_MISMATCH("pattern-mismatch"),
    UNKNOWN_REGION("unknown-region"),
    FUTURE_TIME("future-time"),
    INTERNAL_ERROR("internal-error"),
    OTHER("other");

    private final String label;

    RejectionClass(String label) {
        this.label = label;
    }

    /** The metric label. */
    public String label() {
        return label;
    }

    public static RejectionClass of(String reason) {
        if (reason == null) return OTHER;
        if (reason.startsWith("not valid JSON") || reason.equals("empty record")) return NOT_JSON;
        if (reason.startsWith("record is not a JSON object")) return NOT_AN_OBJECT;
        if (reason.startsWith("missing field")) return MISSING_FIELD;
        if (reason.startsWith("wrong type")) return WRONG_TYPE;
        if (reason.startsWith("internal error")) return INTERNAL_ERROR;
        if (reason.startsWith("unknown ")) return UNKNOWN_VALUE;
        if (reason.contains(" out of range (")) return OUT_OF_RANGE;
        if (reason.contains(" too long (")) return TOO_LONG;
        if (reason.contains(" does not match ")) return PATTERN_MISMATCH;
        if (reason.contains(" not in regions (")) return UNKNOWN_REGION;
        if (reason.contains(" in the future")) return FUTURE_TIME;
        return OTHER;
    }
}

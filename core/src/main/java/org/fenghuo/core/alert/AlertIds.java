package org.fenghuo.core.alert;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Deterministic alert ids: {@code <ruleId>:<subjectKey>:<episode start, UTC, yyyyMMdd'T'HHmmss'Z'>}, e.g.
 * {@code petition.collective:REG:339901001002:20260305T012000Z}. The episode start is in event time, so a replay
 * produces the same ids, and an id names its rule and subject so that an action on it finds the alert's state.
 */
public final class AlertIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private AlertIds() {}

    public static String alertId(String ruleId, String subjectKey, Instant episodeStart) {
        return episodeKey(ruleId, subjectKey) + ":" + STAMP.format(episodeStart);
    }

    /** The key of one rule and subject, under which all of its episodes live. */
    public static String episodeKey(String ruleId, String subjectKey) {
        return ruleId + ":" + subjectKey;
    }

    /**
     * The {@link #episodeKey} of an alert id.
     *
     * @throws IllegalArgumentException if the id does not have the form above
     */
    public static String episodeKeyOf(String alertId) {
        if (alertId == null) throw new IllegalArgumentException("alertId is missing");
        int last = alertId.lastIndexOf(':');
        int first = alertId.indexOf(':');
        if (first <= 0 || last <= first || !alertId.substring(last + 1).matches("\\d{8}T\\d{6}Z")) {
            throw new IllegalArgumentException("alertId '" + alertId + "' is not of the form <ruleId>:<subjectKey>:<yyyyMMddTHHmmssZ>");
        }
        return alertId.substring(0, last);
    }

    /**
     * The episode start an alert id ends with.
     *
     * @throws IllegalArgumentException if the id does not have the form above
     */
    public static Instant episodeStartOf(String alertId) {
        episodeKeyOf(alertId);
        return Instant.from(STAMP.parse(alertId.substring(alertId.lastIndexOf(':') + 1)));
    }

    /** The rule id an alert id starts with. */
    public static String ruleIdOf(String alertId) {
        return episodeKeyOf(alertId).substring(0, alertId.indexOf(':'));
    }
}

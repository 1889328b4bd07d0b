package org.fenghuo.jobs.correlation;

import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;

import java.time.Instant;

/**
 * One event as one rule sees it, keyed for that rule's detector: the router evaluates the rule's filters on the full
 * event once and passes on only what the detector needs. Flink serialises it with {@link RuleInputSerializer}.
 *
 * @param partitionKey {@code ruleId|subjectKey} (or {@code ruleId|@place} / {@code ruleId|@near} for spatial rules)
 * @param role         {@link #EVENT}, {@link #LOCATION} (a subject's position, for near-steps) or {@link #NEAR}
 *                     (an event that matched a near-step and still needs its subjects)
 * @param mask         bit i set when the event satisfies condition i of the rule (see {@link CompiledRule})
 * @param value        the aggregated field for SUM/MAX thresholds, else 1
 * @param points       risk points the event adds
 * @param lat          NaN when the event has no location
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(RuleInputSerializer.Factory.class)
public record RuleInput(
        String partitionKey,
        String ruleId,
        byte role,
        SubjectType subjectType,
        String subjectKey,
        String subjectDisplay,
        String feed,
        String recordId,
        long time,
        String category,
        String title,
        String district,
        String street,
        String community,
        String grid,
        double lat,
        double lon,
        int peopleCount,
        double value,
        double points,
        long mask) {

    public static final byte EVENT = 0;
    public static final byte LOCATION = 1;
    public static final byte NEAR = 2;

    /** {@code feed:recordId}, the event's id in {@code fenghuo-events}; made when asked, so state does not hold it. */
    public String eventId() { return feed + ":" + recordId; }

    public boolean sameEvent(RuleInput o) { return java.util.Objects.equals(recordId, o.recordId) && java.util.Objects.equals(feed, o.feed); }

    /** Orders as {@code eventId().compareTo(o.eventId())} does, without building the two strings. */
    public int compareEventId(RuleInput o) {
        String a1 = String.valueOf(feed), a2 = String.valueOf(recordId), b1 = String.valueOf(o.feed), b2 = String.valueOf(o.recordId);
        int la = a1.length() + 1 + a2.length(), lb = b1.length() + 1 + b2.length();
        for (int i = 0, n = Math.min(la, lb); i < n; i++) {
            char x = charAt(a1, a2, i), y = charAt(b1, b2, i);
            if (x != y) return x - y;
        }
        return la - lb;
    }

    private static char charAt(String head, String tail, int i) {
        return i < head.length() ? head.charAt(i) : i == head.length() ? ':' : tail.charAt(i - head.length() - 1);
    }

    public boolean hasLocation() { return !Double.isNaN(lat); }

    public GeoPoint location() { return hasLocation() ? new GeoPoint(lat, lon) : null; }

    public EventRegion region() { return new EventRegion(district, street, community, grid); }

    /** The most specific region code known. */
    public String regionCode() {
        return grid != null ? grid : community != null ? community : street != null ? street : district;
    }

    public Evidence evidence(String step, Double pts) {
        return new Evidence(feed, recordId, Instant.ofEpochMilli(time), category, title, regionCode(), step, pts);
    }

    /** The same event addressed to another subject (near-step matches), with another value and mask. */
    public RuleInput forSubject(String newPartitionKey, SubjectType type, String key, String display, byte newRole,
                                double newValue, long newMask) {
        return new RuleInput(newPartitionKey, ruleId, newRole, type, key, display, feed, recordId, time, category,
                title, district, street, community, grid, lat, lon, peopleCount, newValue, points, newMask);
    }
}

package org.fenghuo.core.feed;

import java.util.Arrays;
import java.util.Optional;

/** The four live feeds (DESIGN §2): their topic, the short name used in event ids, and their id and time fields. */
public enum Feed {
    GRID_REPORT("grid-report", "feed.grid-reports", "reportId", "reportedAt", "网格员上报"),
    LINKAGE_CALL("linkage-call", "feed.linkage-calls", "callId", "receivedAt", "110社会联动"),
    PETITION("petition", "feed.petitions", "petitionId", "receivedAt", "信访"),
    LABOR_INSPECTION("labor-inspection", "feed.labor-inspections", "recordId", "recordedAt", "劳动保障监察");

    private final String id;
    private final String topic;
    private final String idField;
    private final String timeField;
    private final String displayName;

    Feed(String id, String topic, String idField, String timeField, String displayName) {
        this.id = id;
        this.topic = topic;
        this.idField = idField;
        this.timeField = timeField;
        this.displayName = displayName;
    }

    /** Short name: the {@code feed} field of an event and the prefix of its {@code eventId}. */
    public String id() { return id; }
    public String topic() { return topic; }
    /** The JSON field that holds the record id. */
    public String idField() { return idField; }
    /** The JSON field that holds the record's event time (for grid reports {@code occurredAt} wins when present). */
    public String timeField() { return timeField; }
    public String displayName() { return displayName; }

    /** {@code feed + ":" + recordId}, the event id of DESIGN §7. */
    public String eventId(String recordId) { return id + ":" + recordId; }

    public static Optional<Feed> byTopic(String topic) {
        return Arrays.stream(values()).filter(f -> f.topic.equals(topic)).findFirst();
    }

    public static Optional<Feed> byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }
}

package org.fenghuo.dashboards.search;

import java.util.List;

/** What the workbench searches, with the fields each filter maps to in that index's template. */
public enum SearchIndex {
    EVENTS("fenghuo-events", "eventId", "occurredAt", "feed", "category", "category",
            List.of("title", "summary", "address", "eventId", "recordId", "category", "subcategory", "enterprises.name")),
    SIGNALS("fenghuo-signals", "signalId", "triggeredAt", "sources", "evidence.category", "ruleId",
            List.of("title", "explanation", "subject.display", "subject.key", "signalId", "ruleId")),
    ALERTS("fenghuo-alerts", "alertId", "triggeredAt", "sources", "evidence.category", "ruleId",
            List.of("title", "explanation", "subject.display", "subject.key", "alertId", "ruleId", "evidence.recordId"));

    private final String alias;
    private final String idField;
    private final String timeField;
    private final String feedField;
    private final String categoryField;
    private final String groupField;
    private final List<String> textFields;

    SearchIndex(String alias, String idField, String timeField, String feedField, String categoryField, String groupField,
                List<String> textFields) {
        this.alias = alias;
        this.idField = idField;
        this.timeField = timeField;
        this.feedField = feedField;
        this.categoryField = categoryField;
        this.groupField = groupField;
        this.textFields = textFields;
    }

    public String alias() { return alias; }
    public String idField() { return idField; }
    public String timeField() { return timeField; }
    public String feedField() { return feedField; }
    public String categoryField() { return categoryField; }
    /** What aggregations break counts down by: an event's category, a signal's or alert's rule. */
    public String groupField() { return groupField; }
    public List<String> textFields() { return textFields; }

    public static SearchIndex parse(String name) {
        if (name == null || name.isBlank()) return EVENTS;
        for (SearchIndex i : values()) if (i.name().equalsIgnoreCase(name)) return i;
        throw org.fenghuo.dashboards.api.ApiException.badRequest("index '" + name + "' is not one of events, signals, alerts");
    }
}

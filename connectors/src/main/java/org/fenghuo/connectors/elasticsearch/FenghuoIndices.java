package org.fenghuo.connectors.elasticsearch;

import java.util.List;

/** The Elasticsearch names of DESIGN §7. Each is an alias over {@code <name>-000001, ...}. */
public final class FenghuoIndices {
    private FenghuoIndices() {}

    public static final String EVENTS = "fenghuo-events";
    public static final String SIGNALS = "fenghuo-signals";
    public static final String ALERTS = "fenghuo-alerts";
    public static final String ALERT_ACTIONS = "fenghuo-alert-actions";
    public static final String DEAD_LETTERS = "fenghuo-deadletters";

    public static List<String> all() {
        return List.of(EVENTS, SIGNALS, ALERTS, ALERT_ACTIONS, DEAD_LETTERS);
    }
}

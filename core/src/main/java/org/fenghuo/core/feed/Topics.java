package org.fenghuo.core.feed;

import java.util.List;

/** Every Kafka topic name of DESIGN §7, defined once. */
public final class Topics {
    private Topics() {}

    public static final String DEAD_LETTER = "feed.dead-letter";
    public static final String EVENTS_NORMALIZED = "events.normalized";
    public static final String ALERTS = "alerts";
    public static final String ALERT_ACTIONS = "alert.actions";
    public static final String CONTROL_RULES = "control.rules";

    public static List<String> feedTopics() {
        return java.util.Arrays.stream(Feed.values()).map(Feed::topic).toList();
    }

    /** All topics the system uses, for creating them at start-up. */
    public static List<String> all() {
        var all = new java.util.ArrayList<>(feedTopics());
        all.addAll(List.of(DEAD_LETTER, EVENTS_NORMALIZED, ALERTS, ALERT_ACTIONS, CONTROL_RULES));
        return List.copyOf(all);
    }
}

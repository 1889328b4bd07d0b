package org.fenghuo.core.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One record that contributed to an alert or signal (DESIGN §7: feed, record id, time, category).
 *
 * @param title  the event's masked title, so the evidence list reads without opening every event
 * @param step   for multi-source rules, which step of the rule the record satisfied
 * @param points for risk scores, the points the record added (before decay)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evidence(String feed, String recordId, Instant occurredAt, String category, String title,
                       String regionCode, String step, Double points) {

    /** The event id of {@code fenghuo-events}: {@code feed:recordId}. */
    @JsonIgnore
    public String eventId() { return feed + ":" + recordId; }
}

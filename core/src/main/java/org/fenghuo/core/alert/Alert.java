package org.fenghuo.core.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;

import java.time.Instant;
import java.util.List;

/**
 * An alert: the document of {@code fenghuo-alerts} and the value of the {@code alerts} topic (DESIGN §7). One alert
 * per rule, subject and episode; every change (new evidence, higher level, escalation, an action) republishes the
 * whole document under the same {@link #alertId}.
 *
 * @param episode        1 for the first episode of this rule and subject, then 2, 3 … after each cooldown
 * @param explanation    in Chinese: rule, numbers against limits, what was seen where and when
 * @param triggeredAt    event time when the condition first held
 * @param raisedAt       wall-clock time the alert was first emitted
 * @param updatedAt      wall-clock time of this version
 * @param lastEventAt    event time of the newest evidence
 * @param evidence       the contributing records, newest last, at most the rule's cap
 * @param evidenceCount  how many records contributed in all (may exceed {@code evidence.size()})
 * @param sources        distinct feeds among the evidence
 * @param observed       the measured number (count, sum, score, day count)
 * @param expected       for baselines, the expected number
 * @param limit          the limit the observed number crossed for the current level
 * @param responsibleLevel the administrative level now responsible (GRID … CITY); escalation moves it up
 * @param responsibleRegion the region code at that level (null for CITY)
 * @param escalationDueAt wall-clock deadline for acknowledgement at the current level; null when none is running
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        String alertId,
        String ruleId,
        String ruleTitle,
        int episode,
        AlertLevel level,
        AlertStatus status,
        String title,
        String explanation,
        AlertSubject subject,
        EventRegion region,
        GeoPoint location,
        Instant triggeredAt,
        Instant raisedAt,
        Instant updatedAt,
        Instant lastEventAt,
        List<Evidence> evidence,
        int evidenceCount,
        List<String> sources,
        Double observed,
        Double expected,
        Double limit,
        List<LevelChange> levelHistory,
        List<Escalation> escalations,
        String responsibleLevel,
        String responsibleRegion,
        Instant escalationDueAt,
        Instant acknowledgedAt,
        String acknowledgedBy,
        String dispatchedTo,
        Instant resolvedAt,
        Instant closedAt,
        int actionCount) {

    public Alert {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        sources = sources == null ? List.of() : List.copyOf(sources);
        levelHistory = levelHistory == null ? List.of() : List.copyOf(levelHistory);
        escalations = escalations == null ? List.of() : List.copyOf(escalations);
    }

    /** The level the alert was last escalated to (e.g. {@code STREET}), for dashboards' filters; null if never. */
    @com.fasterxml.jackson.annotation.JsonProperty("escalatedTo")
    public String escalatedTo() {
        return escalations.isEmpty() ? null : escalations.get(escalations.size() - 1).to();
    }
}

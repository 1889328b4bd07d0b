package org.fenghuo.core.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fenghuo.core.model.EventRegion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of an alert's audit trail: the value of {@code alert.actions} (written by people through the
 * dashboards service) and the document of {@code fenghuo-alert-actions} (every action, people's and the job's).
 *
 * <p>On {@code alert.actions} a message needs {@code actionId}, {@code alertId}, {@code action}, {@code actor} and
 * {@code at}; {@code unit} is required for DISPATCH. The job fills in {@code status}, {@code level},
 * {@code ruleId} and {@code region} before indexing.
 *
 * @param actionId unique id chosen by the writer (a UUID); the document id, so a redelivery overwrites
 * @param actor    user name, or {@code system} for the job's own entries
 * @param at       wall-clock time of the action
 * @param note     free text; the dashboards service must not put personal data in it
 * @param unit     for DISPATCH, the unit it was sent to (e.g. 辖区派出所)
 * @param status   the alert's status after the action
 * @param level    the alert's level after the action
 * @param outcome  {@code APPLIED}, or why it was not (e.g. alert unknown, already closed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertAction(String actionId, String alertId, ActionType action, String actor, String actorRole,
                          Instant at, String note, String unit, AlertStatus status, AlertLevel level,
                          String ruleId, EventRegion region, String outcome) {

    /** Problems that make a message on {@code alert.actions} unusable; empty when it can be applied. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (actionId == null || actionId.isBlank()) p.add("actionId is missing");
        if (alertId == null || alertId.isBlank()) p.add("alertId is missing");
        else {
            try {
                AlertIds.episodeKeyOf(alertId);
            } catch (IllegalArgumentException e) {
                p.add(e.getMessage());
            }
        }
        if (action == null) p.add("action is missing (one of ACKNOWLEDGE, DISPATCH, RESOLVE, DISMISS, COMMENT)");
        else if (!action.isHuman()) p.add("action " + action + " is recorded by the correlation job and cannot be sent");
        if (actor == null || actor.isBlank()) p.add("actor is missing");
        if (at == null) p.add("at is missing");
        if (action == ActionType.DISPATCH && (unit == null || unit.isBlank())) p.add("DISPATCH needs a unit");
        return p;
    }

    public AlertAction applied(AlertStatus newStatus, AlertLevel newLevel, String rule, EventRegion reg, String result) {
        return new AlertAction(actionId, alertId, action, actor, actorRole, at, note, unit, newStatus, newLevel, rule, reg, result);
    }
}

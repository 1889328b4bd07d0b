package org.fenghuo.core.alert;

import java.time.Instant;

/**
 * What the notifier posts to webhooks: an alert at a moment that needs people (DESIGN §6).
 *
 * @param notificationId deterministic ({@code alertId/reason/sequence}) so receivers can drop repeats
 * @param summary        one line in Chinese for a pager or a chat message
 */
public record AlertNotification(String notificationId, Reason reason, Instant at, String summary, Alert alert) {

    public enum Reason { NEW, LEVEL_RAISED, ESCALATED }
}

package org.fenghuo.core.alert;

import java.time.Instant;

/**
 * One step of an alert's level history.
 *
 * @param eventTime event time of the record that caused it
 * @param at        wall-clock time it was emitted
 * @param reason    in Chinese: which numbers crossed which limit
 */
public record LevelChange(AlertLevel level, Instant eventTime, Instant at, String reason) {}

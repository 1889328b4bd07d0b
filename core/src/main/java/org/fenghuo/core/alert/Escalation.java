package org.fenghuo.core.alert;

import java.time.Instant;

/**
 * An alert handed up one administrative level because nobody acknowledged it in time.
 *
 * @param from       the administrative level that held it (GRID, COMMUNITY, STREET, DISTRICT)
 * @param to         the level it went to (COMMUNITY, STREET, DISTRICT, CITY)
 * @param regionCode the region of that level now responsible (empty for CITY)
 * @param reason     in Chinese, for the timeline
 */
public record Escalation(Instant at, String from, String to, String regionCode, String reason) {}

package org.fenghuo.jobs.correlation;

import java.io.Serializable;
import java.time.Duration;

/**
 * Where live ends and history begins ({@code fenghuo.escalation.historical-age}): a situation within this much of the
 * wall clock has someone on duty for it, so it is raised, clustered, notified and escalated at once; an older one (a
 * replay) waits for event time and calls nobody. Zero means nothing is live.
 */
record LiveHorizon(long millis) implements Serializable {
    static LiveHorizon of(Duration d) {
        return new LiveHorizon(d.toMillis());
    }

    /** Whether something that happened at {@code eventTime} is live at wall-clock {@code now}. */
    boolean covers(long eventTime, long now) {
        return millis > 0 && now - eventTime <= millis;
    }
}

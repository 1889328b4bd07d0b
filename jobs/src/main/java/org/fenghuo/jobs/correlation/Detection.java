package org.fenghuo.jobs.correlation;

import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;

import java.util.List;

/**
 * A detector's finding for one rule and subject: the condition holds at {@code level} on this evidence. The
 * {@link AlertEpisodes} operator turns findings into alerts (one per episode, level never lowered).
 *
 * @param since         event time when the condition first held in the detector's current state (the alert's
 *                      {@code triggeredAt} if this finding opens an episode)
 * @param eventTime     event time of the newest evidence
 * @param holdsUntil    event time after which the condition no longer holds without new evidence (oldest evidence
 *                      leaves the window); an episode continues while new findings start before this + cooldown
 * @param levelReason   Chinese: the numbers against the limit of {@code level}, for the level history
 * @param explanation   Chinese: the full explanation a duty officer reads
 */
public record Detection(
        String ruleId,
        String ruleTitle,
        SignalKind kind,
        AlertSubject subject,
        AlertLevel level,
        String title,
        String levelReason,
        String explanation,
        long since,
        long eventTime,
        long holdsUntil,
        Double observed,
        Double expected,
        Double limit,
        List<Evidence> evidence,
        int evidenceCount,
        List<String> sources,
        EventRegion region,
        GeoPoint location,
        long cooldownMillis,
        int evidenceCap) {

    public String episodeKey() {
        return org.fenghuo.core.alert.AlertIds.episodeKey(ruleId, subject.key());
    }
}

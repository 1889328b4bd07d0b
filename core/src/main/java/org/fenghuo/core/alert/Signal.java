package org.fenghuo.core.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;

import java.time.Instant;
import java.util.List;

/**
 * A risk signal (document of {@code fenghuo-signals}): something a detector measured, whether or not it crossed a
 * limit: a risk-score change, a day well above its baseline, a correlation step seen. Analysts read them as the
 * timeline of an entity or a region; alerts cite the same numbers.
 *
 * @param signalId deterministic: {@code <ruleId>:<subjectKey>:<what>}, so a replay overwrites
 * @param level    the level the numbers reach on their own (null below every limit)
 * @param triggeredAt event time the measurement refers to
 * @param raisedAt    wall-clock time it was emitted
 * @param delta       for a risk score, the change this record made
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Signal(String signalId, String ruleId, SignalKind kind, AlertLevel level, String title,
                     String explanation, AlertSubject subject, EventRegion region, GeoPoint location,
                     Instant windowStart, Instant windowEnd, Instant triggeredAt, Instant raisedAt,
                     Double observed, Double expected, Double score, Double delta,
                     List<Evidence> evidence, List<String> sources) {
    public Signal {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}

package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.util.List;

/**
 * An entity RISK_SCORE rule: every matching event adds the points of every {@link PointsSpec} it matches to each
 * of its entities; points halve every {@code halfLife}; the decayed points from one feed count at most
 * {@code sourceCap}; the score is the sum over feeds. Levels use {@code atLeast} (score) and {@code sources}.
 *
 * @param entities  which entities score: ENTERPRISE, PERSON, PLACE (the event's grid)
 * @param floor     contributions that decayed below this many points are forgotten (default 0.5)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RiskSpec(List<String> entities, Duration halfLife, Double sourceCap, List<PointsSpec> points, Double floor) {
    public double floorOrDefault() { return floor == null ? 0.5 : floor; }
}

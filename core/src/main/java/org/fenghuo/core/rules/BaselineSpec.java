package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fenghuo.core.alert.AlertLevel;

import java.time.Duration;
import java.util.Map;

/**
 * A BASELINE rule: per region and category, the count of the current period against the same region's own history
 * (EARS-C2 style: history ends {@code guardBand} before the current period so that a slow build-up does not hide
 * itself). The alert fires when the count is at least {@code minCount} and improbable under the baseline: Poisson
 * tail probability below {@code pValue}, and, if given, {@code (observed - mean) / sd} at least {@code zScore}.
 *
 * @param period         {@code DAY} (default) or {@code HOUR}
 * @param zone           the offset days are counted in (default {@code +08:00})
 * @param history        how far back the baseline reaches (default P28D)
 * @param guardBand      gap between history and the current period (default P2D)
 * @param minCount       smallest count that can alert (default 5)
 * @param pValue         Poisson tail probability limit (default 0.01)
 * @param zScore         optional z limit, with the standard deviation floored at 1
 * @param levelByRegion  the region levels compared and the level each gives, e.g. {COMMUNITY: YELLOW, STREET: ORANGE}
 * @param byCategory     compare each category on its own (default true); false counts all matching events together
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BaselineSpec(String period, String zone, Duration history, Duration guardBand, Integer minCount,
                           Double pValue, Double zScore, Map<String, AlertLevel> levelByRegion, Boolean byCategory) {

    public String periodOrDefault() { return period == null ? "DAY" : period; }
    public String zoneOrDefault() { return zone == null ? "+08:00" : zone; }
    public Duration historyOrDefault() { return history == null ? Duration.ofDays(28) : history; }
    public Duration guardBandOrDefault() { return guardBand == null ? Duration.ofDays(2) : guardBand; }
    public int minCountOrDefault() { return minCount == null ? 5 : minCount; }
    public double pValueOrDefault() { return pValue == null ? 0.01 : pValue; }
    public boolean byCategoryOrDefault() { return byCategory == null || byCategory; }
}

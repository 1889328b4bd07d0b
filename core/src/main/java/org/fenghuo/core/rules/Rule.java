package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Duration;
import java.util.List;

/**
 * One detection rule as written in a rules file (see {@code docs/rules.md}). One flat record for all kinds; each
 * kind uses its own sections and the validator refuses sections that do not belong.
 *
 * @param id          lower-case words joined by dots and dashes, e.g. {@code petition.repeat}; part of alert ids
 * @param enabled     default true
 * @param title       Chinese name shown as the alert's rule, e.g. {@code 重复信访}
 * @param match       which events the rule looks at (THRESHOLD, BASELINE)
 * @param key         what the rule counts per: the first entry that gives a key for an event is used
 * @param window      sliding window (THRESHOLD, CORRELATION)
 * @param aggregate   THRESHOLD: COUNT (default), SUM or MAX of a field
 * @param levels      limits per level, least severe first
 * @param raise       conditions on any evidence that raise the level
 * @param cooldown    after an episode ends (condition no longer holds, or resolved / dismissed), how long before a new
 *                    episode may start; default: the window
 * @param evidenceCap at most this many evidence records are listed in an alert (default 50); the count is complete
 * @param baseline    BASELINE parameters
 * @param steps       CORRELATION steps
 * @param ordered     CORRELATION: steps must happen in the listed order (default false)
 * @param risk        RISK_SCORE parameters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "kind", "enabled", "title", "description"})
public record Rule(
        String id,
        RuleKind kind,
        @JsonProperty("enabled") Boolean enabled,
        String title,
        String description,
        Match match,
        List<KeySpec> key,
        Duration window,
        Aggregate aggregate,
        List<LevelSpec> levels,
        List<Raise> raise,
        Duration cooldown,
        Integer evidenceCap,
        BaselineSpec baseline,
        List<StepSpec> steps,
        @JsonProperty("ordered") Boolean ordered,
        RiskSpec risk) {

    public static final int DEFAULT_EVIDENCE_CAP = 50;

    // @JsonIgnore + @JsonProperty on the components: without them Jackson takes isEnabled()/isOrdered() for the
    // getters of "enabled"/"ordered" and writes "enabled": true / "ordered": false for rules that left them out.
    @JsonIgnore
    public boolean isEnabled() { return enabled == null || enabled; }

    public Duration cooldownOrDefault() {
        if (cooldown != null) return cooldown;
        if (window != null) return window;
        return Duration.ofDays(1);
    }

    public int evidenceCapOrDefault() { return evidenceCap == null ? DEFAULT_EVIDENCE_CAP : evidenceCap; }

    @JsonIgnore
    public boolean isOrdered() { return ordered != null && ordered; }

    public Rule withEnabled(boolean value) {
        return new Rule(id, kind, value, title, description, match, key, window, aggregate, levels, raise, cooldown,
                evidenceCap, baseline, steps, ordered, risk);
    }
}

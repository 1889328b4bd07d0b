package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fenghuo.core.alert.AlertLevel;

import java.util.List;

/**
 * When a rule reaches a level; every condition given must hold.
 *
 * @param atLeast     the measured number (count, sum, max, risk score) must be at least this
 * @param sources     at least this many distinct feeds among the evidence
 * @param steps       CORRELATION: these steps must all have been seen in the window
 * @param anyEvidence at least one evidence record must match this
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LevelSpec(AlertLevel level, Double atLeast, Integer sources, List<String> steps, Match anyEvidence) {}

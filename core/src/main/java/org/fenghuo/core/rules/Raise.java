package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Raises the level reached by {@code by} steps (default 1, never beyond RED) when any evidence record matches
 * {@code when}, e.g. a labour record with 30 or more workers (重特大劳资纠纷).
 *
 * @param reason Chinese text for the explanation, e.g. {@code 涉及30人以上或金额50万元以上}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Raise(Match when, Integer by, String reason) {
    public int byOrDefault() { return by == null ? 1 : by; }
}

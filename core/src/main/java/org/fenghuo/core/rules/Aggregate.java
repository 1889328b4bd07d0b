package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a THRESHOLD rule measures in its window: {@code COUNT} of matching events (no field), or the {@code SUM} or
 * {@code MAX} of a numeric field (e.g. {@code details.petitionerCount}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Aggregate(Function function, String field) {
    public enum Function { COUNT, SUM, MAX }
}

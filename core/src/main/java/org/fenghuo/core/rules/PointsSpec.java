package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Points an event adds to its entities' risk scores when it matches. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointsSpec(Match match, Double points) {}

package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a CORRELATION rule.
 *
 * @param name  short id used in levels, e.g. {@code labour}
 * @param label Chinese text for the explanation, e.g. {@code 劳动监察欠薪记录}
 * @param match which events satisfy the step
 * @param near  if given, the event does not need to carry the rule's key: it counts for every subject whose known
 *              location is within the distance (or in the same grid); subjects' locations are learnt from the
 *              records of the other steps
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepSpec(String name, String label, Match match, NearSpec near) {}

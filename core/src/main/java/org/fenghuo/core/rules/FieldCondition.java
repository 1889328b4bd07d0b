package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A condition on one field of a normalised event, e.g. {@code {field: details.receivingLevel, in: [CITY]}} or
 * {@code {field: peopleCount, gte: 5}}. Fields: {@code severity}, {@code peopleCount}, {@code region.district},
 * {@code region.street}, {@code region.community}, {@code region.grid}, {@code flags}, and {@code details.*}
 * ({@code channel, kind, receivingLevel, disposition, status, petitionerCount, workersAffected, amountOwedCny,
 * isRepeat}). Every bound given must hold; a missing field fails every condition but {@code exists: false}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldCondition(String field, List<String> in, Double gte, Double gt, Double lte, Double lt,
                             Boolean exists) {}

package org.fenghuo.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Feed-specific fields that rules filter on; absent ones stay null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventDetails(
        String channel,
        String kind,
        String receivingLevel,
        String disposition,
        String status,
        String reporterId,
        List<String> linkedUnits,
        Integer petitionerCount,
        Integer workersAffected,
        Double amountOwedCny,
        Boolean isRepeat) {

    public static final EventDetails EMPTY = new EventDetails(null, null, null, null, null, null, null, null, null, null, null);
}

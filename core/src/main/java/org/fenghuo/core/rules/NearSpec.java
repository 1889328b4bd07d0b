package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * @param metres   within this distance of the subject's known location
 * @param sameGrid or in the subject's grid (default true)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NearSpec(Double metres, Boolean sameGrid) {
    public boolean sameGridOrDefault() { return sameGrid == null || sameGrid; }
}

package org.fenghuo.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An enterprise named in a record. Credit codes are public registration data, not personal data.
 *
 * @param key      {@code ENT:} + credit code, or null when the check digit is wrong (kept, but never used to link)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnterpriseRef(String key, String creditCode, String name, boolean verified) {}

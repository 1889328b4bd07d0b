package org.fenghuo.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A person named in a record, as it may be stored and shown: masked display values and a keyed hash.
 *
 * @param role     PETITIONER, CALLER, COMPLAINANT or SUBJECT
 * @param key      {@code PER:} + keyed hash, or null when the record gives nothing that may link (no valid id, no phone)
 * @param verified true when an identity number was given and its check digit is valid
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersonRef(String role, String key, String name, String phone, String idNumber, boolean verified) {}

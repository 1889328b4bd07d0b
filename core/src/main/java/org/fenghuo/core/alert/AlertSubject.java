package org.fenghuo.core.alert;

import java.util.Objects;

/**
 * The subject of an alert or signal.
 *
 * @param key     {@code ENT:} + credit code, {@code PER:} + keyed hash, {@code REG:} + region code
 * @param display what a duty officer reads: an enterprise or region name, or a masked person; never raw personal data
 */
public record AlertSubject(SubjectType type, String key, String display) {
    public AlertSubject {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
    }
}

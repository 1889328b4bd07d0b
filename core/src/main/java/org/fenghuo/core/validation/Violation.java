package org.fenghuo.core.validation;

/**
 * Why a record was rejected: the field at fault (dotted path, or null for the record as a whole) and a reason a
 * person can act on. Reasons never quote personal data (names, phones, identity numbers, free text).
 */
public record Violation(String field, String reason) {}

package org.fenghuo.core.rules;

/** The four kinds of detection of DESIGN §6. */
public enum RuleKind { THRESHOLD, BASELINE, CORRELATION, RISK_SCORE }

package org.fenghuo.core.alert;

/** The detector a signal came from. */
public enum SignalKind { THRESHOLD, BASELINE, CORRELATION, RISK_SCORE }

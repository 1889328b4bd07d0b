package org.fenghuo.simulator;

import java.time.Duration;

/**
 * The scripted situations, each built to fire one default rule of DESIGN §6. Their record ids start with
 * {@link #idPrefix()} so they are easy to pick out in the feeds, the events and an alert's evidence.
 */
public enum ScenarioType {
    /** Labour complaint and violation (46 workers, 868,000 CNY), petition naming the enterprise, 110 gathering call nearby, grid gathering report in its grid. */
    WAGE_ARREARS_ESCALATION("SCN-WAGE", "labor.wage-arrears-escalation", "RED", Duration.ofMinutes(10)),
    /** One petition with 60 petitioners. */
    COLLECTIVE_PETITION("SCN-COLLECTIVE", "petition.collective", "RED", Duration.ofMinutes(20)),
    /** The same person petitions three times, the third time at CITY level (越级). */
    REPEAT_PETITIONER("SCN-REPEAT", "petition.repeat", "ORANGE", Duration.ofMinutes(30)),
    /** Twelve grid DISPUTE reports in one community within two hours. */
    DISPUTE_HOTSPOT("SCN-DISPUTE", "grid.dispute-hotspot", "ORANGE", Duration.ofMinutes(15)),
    /** Four 110 GATHERING calls within 400 m and 40 minutes. */
    GATHERING_CLUSTER("SCN-GATHER", "linkage.gathering-cluster", "ORANGE", Duration.ofMinutes(45)),
    /** Sixteen grid ENVIRONMENT reports in one quiet community on one day (background there is under one a day). */
    BASELINE_SURGE("SCN-SURGE", "region.baseline-surge", "YELLOW", Duration.ofMinutes(30));

    private final String idPrefix;
    private final String ruleId;
    private final String expectedLevel;
    private final Duration defaultOffset;

    ScenarioType(String idPrefix, String ruleId, String expectedLevel, Duration defaultOffset) {
        this.idPrefix = idPrefix;
        this.ruleId = ruleId;
        this.expectedLevel = expectedLevel;
        this.defaultOffset = defaultOffset;
    }

    public String idPrefix() { return idPrefix; }

    /** The DESIGN §6 rule that should raise an alert for it. */
    public String ruleId() { return ruleId; }

    /** The alert level that rule should reach with the default rule settings. */
    public String expectedLevel() { return expectedLevel; }

    /** When its first record happens, after the simulation start, unless the config says otherwise. */
    public Duration defaultOffset() { return defaultOffset; }
}

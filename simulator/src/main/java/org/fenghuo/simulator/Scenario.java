package org.fenghuo.simulator;

import java.time.Instant;
import java.util.List;
import org.fenghuo.core.feed.Feed;

/**
 * One planned scenario of a simulation: what it is, which rule should fire, on which subject, and its records.
 *
 * @param subjectKey the alert subject the rule should use, as in DESIGN §7: {@code ENT:<credit code>} or
 *                   {@code REG:<region code>}; for the repeat petitioner the person's identity number is in
 *                   {@link #subjectIdNumber()} because the {@code PER:} key is a keyed hash only the jobs can make
 */
public record Scenario(ScenarioType type, String ruleId, String expectedLevel, String description,
                       String subjectKey, String subjectIdNumber, String regionCode, List<ScenarioRecord> records) {

    public Scenario {
        records = List.copyOf(records);
    }

    /** One record of a scenario. */
    public record ScenarioRecord(Feed feed, String recordId, Instant eventTime) {}

    public String name() { return type.name(); }

    public List<String> recordIds() { return records.stream().map(ScenarioRecord::recordId).toList(); }

    public Instant firstEventTime() { return records.get(0).eventTime(); }

    public Instant lastEventTime() { return records.get(records.size() - 1).eventTime(); }
}

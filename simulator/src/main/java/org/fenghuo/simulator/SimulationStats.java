package org.fenghuo.simulator;

import java.time.Instant;
import java.util.Map;
import org.fenghuo.core.feed.Feed;

/**
 * What a run has sent so far. {@code total = validUnique + malformed + duplicates}; an ingest job that keeps
 * the contract of DESIGN §2 indexes {@code validUnique} events and writes {@code malformed} dead letters.
 *
 * @param perFeed        records sent per feed, all kinds
 * @param late           valid records whose event time is minutes to hours before the simulated clock
 * @param badCheckDigits valid records carrying an identity number or credit code with a wrong check character
 * @param scenarioRecords scenario records sent
 * @param simulatedTime  the simulated clock at the last record sent
 */
public record SimulationStats(long total, long validUnique, long malformed, long duplicates, long late,
                              long badCheckDigits, long scenarioRecords, Map<Feed, Long> perFeed,
                              Map<MalformedKind, Long> malformedByKind, Instant simulatedTime) {
    public SimulationStats {
        perFeed = Map.copyOf(perFeed);
        malformedByKind = Map.copyOf(malformedByKind);
    }

    @Override
    public String toString() {
        return "sent " + total + " (" + validUnique + " valid, " + malformed + " malformed, " + duplicates
                + " duplicates; " + late + " late, " + badCheckDigits + " bad check digits, " + scenarioRecords
                + " scenario) " + perFeed + " simulated time " + simulatedTime;
    }
}

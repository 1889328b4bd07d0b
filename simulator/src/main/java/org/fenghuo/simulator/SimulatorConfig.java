package org.fenghuo.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of one simulation. Records depend only on these (and the city), never on the wall clock:
 * the same config gives the same records in the same order. For a live demo pass {@code start = now}.
 *
 * @param seed                 seed of the record stream (the city has its own)
 * @param start                simulated start (event time); scenario offsets count from here
 * @param speed                pacing against the wall clock
 * @param baseRatePerHour      records per simulated hour when every feed is at its daily peak; the daily cycle
 *                             brings the night down to about a tenth of that
 * @param malformedRate        share of background records that are malformed (dead letters)
 * @param duplicateRate        chance that a valid record is delivered a second time, byte for byte
 * @param lateRate             share of valid background records that arrive minutes to hours after their event time
 * @param badCheckDigitRate    chance that an identity number or credit code in a valid record has a wrong check character
 * @param scenarios            whether the scripted scenarios run
 * @param scenarioOffsets      offset from {@code start} of each scenario's first record; missing ones use the default
 * @param history              background records for this long before {@code start} are sent first, without pacing
 *                             (e.g. 28 days so the baseline rule has history); zero for none
 * @param maxRecords           stop after this many records in all (0: no limit)
 * @param maxSimulatedDuration stop when the simulated clock passes {@code start} + this ({@code null}: no limit)
 */
public record SimulatorConfig(long seed, Instant start, Speed speed, double baseRatePerHour, double malformedRate,
                              double duplicateRate, double lateRate, double badCheckDigitRate, boolean scenarios,
                              Map<ScenarioType, Duration> scenarioOffsets, Duration history, long maxRecords,
                              Duration maxSimulatedDuration) {

    public static final Instant DEFAULT_START = OffsetDateTime.parse("2026-03-05T08:00:00+08:00").toInstant();

    /** @throws IllegalArgumentException listing every setting that is out of range */
    public SimulatorConfig {
        List<String> problems = new ArrayList<>();
        if (start == null) problems.add("start is required");
        if (speed == null) problems.add("speed is required");
        if (!(baseRatePerHour > 0 && baseRatePerHour <= 10_000_000)) problems.add("baseRatePerHour must be > 0 and at most 10000000, was " + baseRatePerHour);
        rate(problems, "malformedRate", malformedRate, 0.5);
        rate(problems, "duplicateRate", duplicateRate, 0.5);
        rate(problems, "lateRate", lateRate, 1);
        rate(problems, "badCheckDigitRate", badCheckDigitRate, 1);
        Map<ScenarioType, Duration> offsets = new EnumMap<>(ScenarioType.class);
        for (ScenarioType t : ScenarioType.values()) offsets.put(t, t.defaultOffset());
        if (scenarioOffsets != null) {
            scenarioOffsets.forEach((t, d) -> {
                if (d == null || d.isNegative()) problems.add("scenario offset of " + t + " must be zero or positive, was " + d);
                else offsets.put(t, d);
            });
        }
        scenarioOffsets = Map.copyOf(offsets);
        if (history == null) history = Duration.ZERO;
        if (history.isNegative() || history.compareTo(Duration.ofDays(366)) > 0) problems.add("history must be between 0 and 366 days, was " + history);
        if (maxRecords < 0) problems.add("maxRecords must be 0 (no limit) or positive, was " + maxRecords);
        if (maxSimulatedDuration != null && (maxSimulatedDuration.isNegative() || maxSimulatedDuration.isZero())) {
            problems.add("maxSimulatedDuration must be positive or absent, was " + maxSimulatedDuration);
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("invalid simulator config: " + String.join("; ", problems));
    }

    private static void rate(List<String> problems, String name, double value, double max) {
        if (!(value >= 0 && value <= max)) problems.add(name + " must be between 0 and " + max + ", was " + value);
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.start = start;
        b.speed = speed;
        b.baseRatePerHour = baseRatePerHour;
        b.malformedRate = malformedRate;
        b.duplicateRate = duplicateRate;
        b.lateRate = lateRate;
        b.badCheckDigitRate = badCheckDigitRate;
        b.scenarios = scenarios;
        b.scenarioOffsets.putAll(scenarioOffsets);
        b.history = history;
        b.maxRecords = maxRecords;
        b.maxSimulatedDuration = maxSimulatedDuration;
        return b;
    }

    public Duration scenarioOffset(ScenarioType type) { return scenarioOffsets.get(type); }

    /** Defaults: seed 1, start 2026-03-05 08:00 +08:00, ×60, 300 records/h at peak, 1% malformed, 0.5% duplicates, 2% late. */
    public static final class Builder {
        private long seed = 1;
        private Instant start = DEFAULT_START;
        private Speed speed = Speed.factor(60);
        private double baseRatePerHour = 300;
        private double malformedRate = 0.01;
        private double duplicateRate = 0.005;
        private double lateRate = 0.02;
        private double badCheckDigitRate = 0.003;
        private boolean scenarios = true;
        private final Map<ScenarioType, Duration> scenarioOffsets = new EnumMap<>(ScenarioType.class);
        private Duration history = Duration.ZERO;
        private long maxRecords;
        private Duration maxSimulatedDuration;

        public Builder seed(long v) { seed = v; return this; }
        public Builder start(Instant v) { start = v; return this; }
        public Builder speed(Speed v) { speed = v; return this; }
        public Builder baseRatePerHour(double v) { baseRatePerHour = v; return this; }
        public Builder malformedRate(double v) { malformedRate = v; return this; }
        public Builder duplicateRate(double v) { duplicateRate = v; return this; }
        public Builder lateRate(double v) { lateRate = v; return this; }
        public Builder badCheckDigitRate(double v) { badCheckDigitRate = v; return this; }
        public Builder scenarios(boolean v) { scenarios = v; return this; }
        public Builder scenarioOffset(ScenarioType t, Duration d) { scenarioOffsets.put(t, d); return this; }
        public Builder history(Duration v) { history = v; return this; }
        public Builder maxRecords(long v) { maxRecords = v; return this; }
        public Builder maxSimulatedDuration(Duration v) { maxSimulatedDuration = v; return this; }

        public SimulatorConfig build() {
            return new SimulatorConfig(seed, start, speed, baseRatePerHour, malformedRate, duplicateRate, lateRate,
                    badCheckDigitRate, scenarios, scenarioOffsets, history, maxRecords, maxSimulatedDuration);
        }
    }
}

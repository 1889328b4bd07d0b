package org.fenghuo.simulator;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.fenghuo.simulator.city.DemoCity;

/**
 * Produces the four feeds of DESIGN §2 for a {@link DemoCity}: background traffic with a daily cycle, ~1%
 * malformed records, duplicates, late records, and the scripted {@link #scenarios()}. Every run of the same
 * simulator yields the same records in the same order; only the pacing depends on the wall clock.
 */
public final class Simulator {
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;
    private static final long MAX_SLEEP_MILLIS = 200;

    private final DemoCity city;
    private final SimulatorConfig config;
    private final List<Scenario> scenarios;

    public Simulator(DemoCity city, SimulatorConfig config) {
        this.city = Objects.requireNonNull(city, "city");
        this.config = Objects.requireNonNull(config, "config");
        this.scenarios = new RecordStream(city, config).scenarios();
    }

    public DemoCity city() { return city; }

    public SimulatorConfig config() { return config; }

    /** The scenarios this simulation plays (empty when they are off), with their rule ids and record ids. */
    public List<Scenario> scenarios() { return scenarios; }

    /** {@link #run(FeedSink, BooleanSupplier, Consumer)} without progress reports. */
    public SimulationStats run(FeedSink sink, BooleanSupplier stopRequested) {
        return run(sink, stopRequested, s -> { });
    }

    /**
     * Sends records until the config's limit is reached or {@code stopRequested} turns true, pacing them against the
     * wall clock as the config's {@link Speed} says (history before the start is sent without waiting). Flushes the
     * sink at the end but does not close it. An interrupt stops the run and keeps the thread's interrupt flag.
     *
     * @param progress called about once a second of wall time, and once at the end
     * @throws IllegalStateException when the sink fails
     */
    public SimulationStats run(FeedSink sink, BooleanSupplier stopRequested, Consumer<SimulationStats> progress) {
        RecordStream stream = new RecordStream(city, config);
        long simStart = config.start().toEpochMilli();
        long simEnd = config.maxSimulatedDuration() == null ? Long.MAX_VALUE : simStart + config.maxSimulatedDuration().toMillis();
        long wallStart = System.currentTimeMillis();
        Speed speed = config.speed();
        StatsCounter stats = new StatsCounter(simStart - config.history().toMillis());
        long lastReport = System.nanoTime();
        while (!stopRequested.getAsBoolean() && (config.maxRecords() == 0 || stats.total() < config.maxRecords())) {
            SimRecord r = stream.next();
            if (r.arrivalMillis() >= simEnd) break;
            if (speed.mode() != Speed.Mode.MAX && r.arrivalMillis() > simStart) {
                long target = wallStart + (long) ((r.arrivalMillis() - simStart) / speed.simPerWall());
                if (speed.mode() == Speed.Mode.CATCH_UP) target = Math.max(target, r.arrivalMillis());
                if (!sleepUntil(target, stopRequested)) break;
            }
            send(sink, r);
            stats.count(r);
            if (System.nanoTime() - lastReport >= PROGRESS_EVERY_NANOS) {
                progress.accept(stats.snapshot());
                lastReport = System.nanoTime();
            }
        }
        sink.flush();
        SimulationStats done = stats.snapshot();
        progress.accept(done);
        return done;
    }

    /**
     * Exactly {@code records} records as fast as possible, whatever the config's speed and limits, for tests,
     * replay files and benchmarks. The counts in the result are exact.
     */
    public SimulationStats generate(FeedSink sink, long records) {
        if (records <= 0) throw new IllegalArgumentException("records must be positive, was " + records);
        SimulatorConfig batch = config.toBuilder().speed(Speed.max()).maxRecords(records).maxSimulatedDuration(null).build();
        return new Simulator(city, batch, scenarios).run(sink, () -> false);
    }

    private Simulator(DemoCity city, SimulatorConfig config, List<Scenario> scenarios) {
        this.city = city;
        this.config = config;
        this.scenarios = scenarios;
    }

    private static void send(FeedSink sink, SimRecord r) {
        try {
            sink.send(r.feed(), r.key(), r.value(), r.eventTimeMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending record " + r.key(), e);
        } catch (Exception e) {
            throw new IllegalStateException("sending record " + r.key() + " to " + r.feed().topic() + " failed: " + e.getMessage(), e);
        }
    }

    /** False when stopped (or interrupted) before the target time. */
    private static boolean sleepUntil(long targetWallMillis, BooleanSupplier stopRequested) {
        while (true) {
            long wait = targetWallMillis - System.currentTimeMillis();
            if (wait <= 0) return true;
            if (stopRequested.getAsBoolean()) return false;
            try {
                Thread.sleep(Math.min(wait, MAX_SLEEP_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}

package org.fenghuo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.fenghuo.simulator.JsonLinesFeedSink;
import org.fenghuo.simulator.SimulationStats;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.city.DemoCity;

/** {@code ./fenghuo simulate --out DIR}: simulated feed records as JSON Lines files, one per feed, for replay. */
final class SimulateCommand {
    static final Set<String> FLAGS = Set.of("no-scenarios");
    static final Set<String> OPTIONS = Set.of("out", "records", "seed", "start");
    private final Args args;

    SimulateCommand(Args args) {
        this.args = args;
    }

    int run() throws Exception {
        if (!args.positionals().isEmpty()) throw new UsageException("simulate takes no arguments besides options: " + args.positionals());
        String out = args.value("out", null);
        if (out == null) throw new UsageException("simulate needs --out DIR");
        long records = args.longValue("records", 10_000, 1, 100_000_000);
        long seed = args.longValue("seed", DemoCity.DEFAULT_SEED, 0, Long.MAX_VALUE);
        Instant start = SimulatorConfig.DEFAULT_START;
        if (args.value("start", null) != null) {
            try {
                start = OffsetDateTime.parse(args.value("start", null)).toInstant();
            } catch (DateTimeParseException e) {
                throw new UsageException("--start " + args.value("start", null) + " is not an ISO-8601 time with offset, e.g. 2026-03-05T08:00:00+08:00");
            }
        }
        Path dir = Path.of(out);
        Files.createDirectories(dir);
        SimulatorConfig config = SimulatorConfig.builder().seed(seed).start(start).scenarios(!args.flag("no-scenarios")).build();
        Simulator sim = new Simulator(DemoCity.generate(seed), config);
        Progress progress = new Progress("simulate", records, true);
        SimulationStats stats;
        try (JsonLinesFeedSink sink = new JsonLinesFeedSink(dir)) {
            CountingSink counting = new CountingSink(sink, progress);
            stats = sim.generate(counting, records);
        }
        progress.finish();
        System.out.println("wrote " + dir + ": " + stats);
        return 0;
    }
}

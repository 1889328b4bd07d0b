package org.fenghuo.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.fenghuo.core.region.RegionFileException;
import org.fenghuo.core.region.RegionHierarchy;
import org.fenghuo.dashboards.DashboardServer;
import org.fenghuo.dashboards.auth.DemoUsers;
import org.fenghuo.simulator.KafkaFeedSink;
import org.fenghuo.simulator.SimulationStats;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.Speed;
import org.fenghuo.simulator.city.DemoCity;

/**
 * {@code ./fenghuo demo}: the whole system on this machine, for a first look and for development. Prints the
 * addresses, then {@code ready}, then a status line every 10 s; Ctrl-C (or SIGTERM) stops everything it started.
 */
final class DemoCommand {
    static final Set<String> FLAGS = Set.of("no-simulator");
    static final Set<String> OPTIONS = Set.of("regions", "rules", "speed", "seed");
    private static final Duration STATUS_EVERY = Duration.ofSeconds(10);
    private static final Duration CATCH_UP_WINDOW = Duration.ofHours(3);
    private final Args args;

    DemoCommand(Args args) {
        this.args = args;
    }

    int run() throws Exception {
        if (!args.positionals().isEmpty()) throw new UsageException("demo takes no arguments besides options: " + args.positionals());
        long started = System.nanoTime();
        PrintStream out = System.out;
        boolean simulate = !args.flag("no-simulator");
        long seed = args.longValue("seed", DemoCity.DEFAULT_SEED, 0, Long.MAX_VALUE);
        Speed speed = parseSpeed(args.value("speed", "60"));
        Path rules = validateRules(args.value("rules", null));
        Path regions = args.value("regions", null) == null ? null : Path.of(args.value("regions", null));
        DemoCity city = null;
        if (regions != null) {
            RegionHierarchy h = loadRegions(regions);
            out.println("[demo] regions: " + h);
            if (simulate) {
                throw new UsageException("--regions replaces the demo city, which the simulator needs; add --no-simulator and feed your own records with ./fenghuo replay");
            }
        }
        if (rules != null) out.println("[demo] rules: " + rules);

        Path workDir = Files.createTempDirectory("fenghuo-demo-");
        if (regions == null) {
            city = DemoCity.generate(seed);
            regions = workDir.resolve("demo-city.geojson");
            city.writeGeoJson(regions);
            out.println("[demo] demo city: " + city.regions());
        }

        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicReference<LocalStack> stackRef = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            stop.countDown();
            out.println("[demo] stopping…");
            LocalStack s = stackRef.get();
            if (s != null) s.close();
            DemoState.remove();
            out.println("[demo] stopped");
        }, "fenghuo-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        LocalStack stack = LocalStack.start(regions, out);
        stackRef.set(stack);
        stack.startJobs(out, Duration.ofSeconds(5), rules, true);
        String password = DemoUsers.password(System.getenv());
        DashboardServer dashboard = stack.startDashboard(out, workDir.resolve("users.json"), password, java.util.Map.of());
        stack.onClose(dashboard);
        new DemoState(ProcessHandle.current().pid(), stack.kafka(), stack.elasticsearch()).write();

        Thread simulator = null;
        AtomicReference<SimulationStats> stats = new AtomicReference<>();
        if (simulate) {
            // start three simulated hours back and catch up at --speed, so every scripted scenario plays within a few
            // wall minutes and simulated time never runs ahead of the wall clock (records > 1 day ahead are rejected);
            // 28 days of background first give the baseline rule its history
            SimulatorConfig config = SimulatorConfig.builder().seed(seed).start(Instant.now().minus(CATCH_UP_WINDOW))
                    .speed(speed).history(Duration.ofDays(28)).build();
            Simulator sim = new Simulator(city, config);
            KafkaFeedSink sink = new KafkaFeedSink(stack.kafka());
            simulator = new Thread(() -> {
                try (sink) {
                    sim.run(sink, stopping::get, stats::set);
                } catch (Exception e) {
                    if (!stopping.get()) System.err.println("[demo] simulator stopped: " + e);
                }
            }, "fenghuo-simulator");
            simulator.setDaemon(true);
            simulator.start();
            out.println("[demo] simulator: seed " + seed + ", 28 days of history, then the last 3 hours at ×" + (long) speed.factor() + " with the scripted scenarios, then real time");
        }

        out.println("kafka: " + stack.kafka());
        out.println("elasticsearch: " + stack.elasticsearch());
        out.println("dashboard: http://127.0.0.1:" + dashboard.port() + "/");
        out.println("[demo] log in as admin, analyst or duty-<district code> with the password "
                + (System.getenv(DemoUsers.PASSWORD_ENV) == null || System.getenv(DemoUsers.PASSWORD_ENV).isBlank()
                        ? password + " (generated; set " + DemoUsers.PASSWORD_ENV + " to choose one)" : "from " + DemoUsers.PASSWORD_ENV));
        out.printf(Locale.ROOT, "[demo] started in %.1f s%n", (System.nanoTime() - started) / 1e9);
        out.println("ready");
        out.flush();

        StatusProbe probe = new StatusProbe(stack.elasticsearch());
        while (!stop.await(STATUS_EVERY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            SimulationStats s = stats.get();
            out.println("[demo] " + (s == null ? "" : "sent " + s.total() + " records (" + s.malformed() + " malformed, "
                    + s.duplicates() + " duplicates) · ") + probe.status());
        }
        return 0;
    }

    /** {@code N}: simulated time runs N times faster until it reaches the wall clock, then in real time. */
    static Speed parseSpeed(String text) {
        if (text.equalsIgnoreCase("realtime")) return Speed.realtime();
        try {
            double n = Double.parseDouble(text);
            if (n >= 1 && n <= 100_000) return Speed.catchUp(n);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--speed " + text + " is not a number from 1 to 100000 (simulated seconds per second while catching up) or realtime");
    }

    static RegionHierarchy loadRegions(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) throw new CommandException("--regions: file " + file + " does not exist or is not readable");
        try {
            return RegionHierarchy.load(file);
        } catch (RegionFileException e) {
            throw new CommandException("--regions: " + e.getMessage());
        }
    }

    /** The rules file replaces the default rules: it must parse and validate, or the demo does not start. */
    static Path validateRules(String value) {
        if (value == null) return null;
        Path p = Path.of(value);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) throw new CommandException("--rules: file " + p + " does not exist or is not readable");
        try {
            org.fenghuo.core.rules.RulesFile.load(p);
        } catch (org.fenghuo.core.rules.RulesFileException e) {
            throw new CommandException("--rules: " + e.getMessage());
        }
        return p;
    }
}

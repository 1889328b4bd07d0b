package org.fenghuo.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fenghuo.simulator.city.DemoCity;

/**
 * Command line: {@code SimulatorMain (--bootstrap HOST:PORT | --out DIR) [options]}, or {@code --write-regions FILE}
 * alone to write the demo city's region file. See simulator/README.md. Ctrl-C stops it cleanly.
 */
public final class SimulatorMain {
    private SimulatorMain() {}

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(List.of(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("simulator: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(List<String> argList) throws Exception {
        Deque<String> args = new ArrayDeque<>(argList);
        SimulatorConfig.Builder config = SimulatorConfig.builder().start(Instant.now());
        long citySeed = DemoCity.DEFAULT_SEED;
        String bootstrap = null;
        Path out = null, regions = null;
        while (!args.isEmpty()) {
            String a = args.pop();
            switch (a) {
                case "--bootstrap" -> bootstrap = value(a, args);
                case "--out" -> out = Path.of(value(a, args));
                case "--write-regions" -> regions = Path.of(value(a, args));
                case "--city-seed" -> citySeed = Long.parseLong(value(a, args));
                case "--seed" -> config.seed(Long.parseLong(value(a, args)));
                case "--start" -> {
                    String v = value(a, args);
                    config.start(parseStart(v, Instant.now()));
                }
                case "--speed" -> config.speed(Speed.parse(value(a, args)));
                case "--rate" -> config.baseRatePerHour(Double.parseDouble(value(a, args)));
                case "--records" -> config.maxRecords(Long.parseLong(value(a, args)));
                case "--duration" -> config.maxSimulatedDuration(Duration.parse(value(a, args)));
                case "--history" -> config.history(Duration.parse(value(a, args)));
                case "--malformed-rate" -> config.malformedRate(Double.parseDouble(value(a, args)));
                case "--duplicate-rate" -> config.duplicateRate(Double.parseDouble(value(a, args)));
                case "--late-rate" -> config.lateRate(Double.parseDouble(value(a, args)));
                case "--no-scenarios" -> config.scenarios(false);
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        DemoCity city = DemoCity.generate(citySeed);
        if (regions != null) {
            city.writeGeoJson(regions);
            System.err.println("regions: " + regions.toAbsolutePath());
        }
        if (bootstrap == null && out == null) {
            if (regions != null) return 0;
            throw new IllegalArgumentException("give --bootstrap HOST:PORT or --out DIR\n" + USAGE);
        }
        Simulator simulator = new Simulator(city, config.build());
        for (Scenario s : simulator.scenarios()) {
            System.err.println("scenario " + s.name() + " → " + s.ruleId() + " (" + s.expectedLevel() + ") at "
                    + s.firstEventTime().atOffset(Timestamps.CHINA) + ": " + s.recordIds());
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                finished.await();
            } catch (InterruptedException e) {
                main.interrupt();
            }
        }, "simulator-shutdown"));
        try (FeedSink sink = bootstrap != null ? new KafkaFeedSink(bootstrap) : new JsonLinesFeedSink(out)) {
            SimulationStats done = simulator.run(sink, stop::get, s -> System.err.println("simulator: " + s));
            System.err.println("simulator finished: " + done);
        } finally {
            finished.countDown();
        }
        return 0;
    }

    /** {@code now}, {@code now-PT3H} (now minus a duration) or an ISO offset date-time. */
    static Instant parseStart(String v, Instant now) {
        if (v.equals("now")) return now;
        if (v.startsWith("now-")) return now.minus(Duration.parse(v.substring(4)));
        return OffsetDateTime.parse(v).toInstant();
    }

    private static String value(String option, Deque<String> args) {
        if (args.isEmpty()) throw new IllegalArgumentException(option + " needs a value");
        return args.pop();
    }

    static final String USAGE = """
            usage: SimulatorMain (--bootstrap HOST:PORT | --out DIR) [options]
                   SimulatorMain --write-regions FILE
              --write-regions FILE  also write the demo city's region file (GeoJSON)
              --city-seed N         demo city seed (default %d)
              --seed N              record stream seed (default 1)
              --start T             now, now-PT3H, or e.g. 2026-03-05T08:00:00+08:00 (default now)
              --speed S             realtime | max | x60 | catchup:60 (default x60)
              --rate N              records per simulated hour at peak (default 300)
              --records N           stop after N records
              --duration ISO        stop after this simulated duration, e.g. PT6H
              --history ISO         first send this much background before the start, e.g. P28D
              --malformed-rate R, --duplicate-rate R, --late-rate R
              --no-scenarios        background only""".formatted(DemoCity.DEFAULT_SEED);
}

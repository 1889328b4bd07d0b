package org.fenghuo.cli;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.rules.RuleUpdate;
import org.fenghuo.core.rules.RulesFile;
import org.fenghuo.jobs.correlation.CorrelationTopology;
import org.fenghuo.jobs.correlation.RouteEventsToRules;

/**
 * {@code ./fenghuo bench correlation}: the correlation topology alone with every default rule, in a local MiniCluster
 * in this JVM, on synthetic normalised events from memory (no Kafka, no Elasticsearch): throughput, and the heap held
 * after each pass of {@code events} over {@code entities} entities and {@code grids} grids, every pass the same load a
 * month after the one before in event time. State from an old month must have been released, so once alert retention
 * (longer than one pass) is filled, from the second pass on, the figure must stay flat. Prints the numbers; asserts
 * nothing.
 */
final class CorrelationBench {
    private static final Instant START = OffsetDateTime.parse("2026-01-05T00:00:00+08:00").toInstant();

    private CorrelationBench() {}

    static int run(long events, int entities, int grids, Duration span, int passes) throws Exception {
        // the next pass starts a month on, and never before this one has ended
        Duration gap = span.plusDays(1).compareTo(Duration.ofDays(31)) > 0 ? span.plusDays(1) : Duration.ofDays(31);
        SyntheticEvents load = new SyntheticEvents(1, events, entities, grids, START, span, gap);
        System.out.printf(Locale.ROOT, "[bench] correlation: %d passes of %,d events over %,d entities and %,d grids, %s of event time per pass,"
                + " each pass %d days after the one before; default rules; parallelism 2%n", passes, events, entities, grids, span, gap.toDays());
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        DataStream<NormalizedEvent> stream = env.fromSequence(0, passes * events).setParallelism(1).name("synthetic events")
                .map(new Generate(load)).setParallelism(1).returns(NormalizedEvent.class).name("generate and pause between passes")
                .assignTimestampsAndWatermarks(CorrelationTopology.eventWatermarks(Duration.ofMinutes(1), Duration.ofSeconds(30)))
                .setParallelism(1);
        DataStream<RuleUpdate> rules = nothing(env, RouteEventsToRules.RULE_UPDATE_TYPE);
        DataStream<AlertAction> actions = nothing(env, TypeInformation.of(AlertAction.class));
        CorrelationTopology.Outputs out = CorrelationTopology.build(stream, rules, actions, RulesFile.defaults(),
                CorrelationTopology.Options.defaults(null));
        out.alerts().map(a -> ALERTS.incrementAndGet()).name("count alerts").sinkTo(new DiscardingSink<>());
        out.signals().map(s -> SIGNALS.incrementAndGet()).name("count signals").sinkTo(new DiscardingSink<>());

        Gate.reset();
        JobClient job = env.executeAsync("fenghuo-bench-correlation");
        Gate.awaitPause(0);
        long heap0 = heapAfterGc();
        System.out.printf(Locale.ROOT, "[bench] job running; heap before the first event: %,d MiB%n", heap0 >> 20);
        long[] heap = new long[passes];
        double[] rate = new double[passes];
        for (int pass = 0; pass < passes; pass++) {
            long t = System.nanoTime();
            long cpu0 = processCpuNanos();
            Gate.release();
            long next = (pass + 1) * events;
            while (!Gate.pausedAt(next)) {
                Thread.sleep(2_000);
                long done = Gate.emitted.get() - pass * events;
                System.out.printf(Locale.ROOT, "[bench] pass %d: %,d / %,d events (%.0f ev/s), %,d alerts, %,d signals so far%n", pass + 1,
                        done, events, done / ((System.nanoTime() - t) / 1e9), ALERTS.get(), SIGNALS.get());
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            rate[pass] = events / seconds;
            quiet();
            heap[pass] = heapAfterGc();
            System.out.printf(Locale.ROOT, "[bench] pass %d done: %,d events in %.1f s = %,.0f events/s; CPU %.1f s (%.0f%% of %d cores);"
                    + " heap held after it: %,d MiB%n", pass + 1, events, seconds, rate[pass], cpuSeconds,
                    100 * cpuSeconds / seconds / Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors(),
                    heap[pass] >> 20);
        }
        Gate.release();
        job.getJobExecutionResult().get();
        System.out.println();
        StringBuilder rates = new StringBuilder(), heaps = new StringBuilder();
        for (int pass = 0; pass < passes; pass++) {
            String sep = pass == 0 ? "" : pass == 1 ? " then, a month later, " : "; a month after that, ";
            rates.append(sep).append(String.format(Locale.ROOT, "%,.0f", rate[pass]));
            heaps.append(sep).append(String.format(Locale.ROOT, "%,d MiB (%,d above the idle job)", heap[pass] >> 20, (heap[pass] - heap0) >> 20));
        }
        System.out.printf(Locale.ROOT, "correlation throughput (in memory, all default rules, parallelism 2), events/s: %s%n", rates);
        System.out.printf(Locale.ROOT, "heap held after each pass of %,d events over %,d entities: %s%n", events, entities, heaps);
        if (passes >= 3) {
            System.out.printf(Locale.ROOT, "state growth from pass %d to pass %d (steady state: alerts are kept %d days after their episode, longer"
                    + " than one pass, so the first pass holds less): %+,d MiB%n", passes - 1, passes,
                    CorrelationTopology.Options.defaults(null).alertRetention().toDays(), (heap[passes - 1] - heap[passes - 2]) >> 20);
        }
        System.out.printf(Locale.ROOT, "alert versions: %,d; signals: %,d%n", ALERTS.get(), SIGNALS.get());
        return 0;
    }

    static final AtomicLong ALERTS = new AtomicLong();
    static final AtomicLong SIGNALS = new AtomicLong();

    /** Lets in-flight records reach their operators: waits until the outputs stop changing for two seconds. */
    private static void quiet() throws InterruptedException {
        long last = -1;
        while (true) {
            Thread.sleep(2_000);
            long now = ALERTS.get() * 31 + SIGNALS.get();
            if (now == last) return;
            last = now;
        }
    }

    /** CPU time of this whole process (every operator, GC and JIT): shows whether the job was short of cores. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static <T> DataStream<T> nothing(StreamExecutionEnvironment env, TypeInformation<T> type) {
        return env.fromSequence(0, 0).flatMap((Long x, org.apache.flink.util.Collector<T> o) -> { }).returns(type)
                .assignTimestampsAndWatermarks(CorrelationTopology.controlWatermarks());
    }

    /**
     * Where the generator stops: before the first event, between the passes and after the second, so that the
     * benchmark can weigh the heap with nothing moving. The MiniCluster runs in this JVM, so a static is shared.
     */
    static final class Gate {
        static final AtomicLong emitted = new AtomicLong();
        private static volatile long pausedAt = -1;
        private static final Object LOCK = new Object();
        private static boolean open;

        static void reset() {
            emitted.set(0);
            pausedAt = -1;
            open = false;
        }

        static void pause(long n) throws InterruptedException {
            synchronized (LOCK) {
                pausedAt = n;
                LOCK.notifyAll();
                while (!open) LOCK.wait();
                open = false;
                pausedAt = -1;
            }
        }

        static void release() {
            synchronized (LOCK) {
                open = true;
                LOCK.notifyAll();
            }
        }

        static boolean pausedAt(long n) {
            return pausedAt == n;
        }

        static void awaitPause(long n) throws InterruptedException {
            synchronized (LOCK) {
                while (pausedAt != n) LOCK.wait(1_000);
            }
        }
    }

    private static final class Generate implements MapFunction<Long, NormalizedEvent> {
        private final SyntheticEvents load;

        Generate(SyntheticEvents load) {
            this.load = load;
        }

        @Override
        public NormalizedEvent map(Long n) throws Exception {
            if (n % load.perPass() == 0) Gate.pause(n);
            Gate.emitted.incrementAndGet();
            return load.event(n);
        }
    }
}

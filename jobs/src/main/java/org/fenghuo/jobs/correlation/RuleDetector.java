package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.fenghuo.core.alert.Signal;
import org.fenghuo.core.rules.RuleSet;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every detector shares: the running rules from the router's broadcast, the region names, the lateness policy
 * and metrics. A detector keeps state per rule and subject and emits {@link Detection}s (and {@link Signal}s on
 * {@link #SIGNALS}).
 *
 * <p>Evaluation is a function of the evidence set, never of arrival order: each input is stored by event id (a
 * redelivery replaces itself), the windows that contain it are recomputed from the stored evidence, and state is
 * evicted only by event-time timers. So a replay of last month at full speed, where partitions race each other,
 * raises the same alerts with the same ids as the live run. Inputs older than the watermark minus window minus
 * allowed lateness can no longer be placed and are counted as too late.
 */
abstract class RuleDetector extends KeyedBroadcastProcessFunction<String, RuleInput, String, Detection> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuleDetector.class);
    static final OutputTag<Signal> SIGNALS = new OutputTag<>("signals") {};
    /** Timers are coalesced to the minute: eviction need not be exact, and fewer timers is less state. */
    static final long TIMER_GRANULARITY = 60_000;

    protected final RuleBroadcast rules;
    protected final long latenessMillis;
    private final String regionFile;
    protected transient RegionNames names;
    protected transient Counter tooLate;
    protected transient Counter detections;
    private transient long tooLateLogged;

    RuleDetector(RuleSet initial, String regionFile, Duration allowedLateness) {
        this.rules = new RuleBroadcast(initial);
        this.regionFile = regionFile;
        this.latenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        names = RegionNames.load(regionFile);
        tooLate = getRuntimeContext().getMetricGroup().counter("inputsTooLate");
        detections = getRuntimeContext().getMetricGroup().counter("detections");
        openState();
    }

    abstract void openState();

    /** The rule of an input, or null when it was deleted or disabled since the router sent it. */
    CompiledRule rule(ReadOnlyContext ctx, String ruleId) throws Exception {
        return rules.current(ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR)).get(ruleId);
    }

    CompiledRule rule(OnTimerContext ctx, String ruleId) throws Exception {
        return rules.current(ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR)).get(ruleId);
    }

    @Override
    public void processBroadcastElement(String ruleSetJson, Context ctx, Collector<Detection> out) throws Exception {
        ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR).put(RuleBroadcast.KEY, ruleSetJson);
    }

    /**
     * Stores an input by event id in a time-sorted list kept for the rule's window plus the allowed lateness, and arms
     * its eviction timer. Returns the list, or null (counted) when the input is too late to be placed.
     */
    List<RuleInput> remember(ValueState<List<RuleInput>> facts, CompiledRule rule, RuleInput in, TimerService timers,
                             boolean checkLate) throws IOException {
        long expiry = in.time() + rule.windowMillis + latenessMillis;
        if (checkLate && expiry <= timers.currentWatermark()) {
            tooLate(in, timers.currentWatermark());
            return null;
        }
        List<RuleInput> list = facts.value();
        if (list == null) list = new ArrayList<>();
        ThresholdWindows.insert(list, in);
        facts.update(list);
        timers.registerEventTimeTimer(roundUp(expiry));
        return list;
    }

    /**
     * Counts an input that came too late to be placed, and names it in the log (the first few, then every thousandth):
     * a lost record must be traceable, and a burst of them means event time ran ahead of a feed.
     */
    void tooLate(RuleInput in, long watermark) {
        tooLate.inc();
        long n = ++tooLateLogged;
        if (n <= 20 || n % 1000 == 0) {
            LOG.warn("{}: event {} ({} {}, {}) for rule {} and {} is too late: event time is already {}; {} such inputs so far",
                    getClass().getSimpleName(), in.eventId(), in.feed(), in.category(), java.time.Instant.ofEpochMilli(in.time()),
                    in.ruleId(), in.subjectKey(), java.time.Instant.ofEpochMilli(watermark), n);
        }
    }

    /** Drops the inputs whose window and lateness have passed (all of them once the rule is gone); returns them. */
    List<RuleInput> forget(ValueState<List<RuleInput>> facts, CompiledRule rule, long timestamp) throws IOException {
        List<RuleInput> list = facts.value();
        if (list == null) return List.of();
        if (rule == null) {
            facts.clear();
            return list;
        }
        long keep = rule.windowMillis + latenessMillis;
        List<RuleInput> gone = new ArrayList<>();
        for (RuleInput f : list) if (f.time() + keep <= timestamp) gone.add(f);
        if (gone.isEmpty()) return gone;
        list.removeAll(gone);
        if (list.isEmpty()) facts.clear();
        else facts.update(list);
        return gone;
    }

    static long roundUp(long t) {
        long r = Math.floorMod(t, TIMER_GRANULARITY);
        return r == 0 ? t : t - r + TIMER_GRANULARITY;
    }

    static String ruleIdOf(String partitionKey) {
        return partitionKey.substring(0, partitionKey.indexOf('|'));
    }
}

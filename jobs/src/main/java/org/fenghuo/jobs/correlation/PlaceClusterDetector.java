package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.rules.KeySpec;
import org.fenghuo.core.rules.RuleSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * THRESHOLD rules keyed by place ({@code key: [{place: metres}]}), e.g. {@code linkage.gathering-cluster}: events
 * within the distance of one another, in the window, counted per cluster. Calls without a grid code are placed by
 * their location alone, so district and grid boundaries do not split a cluster. All events of such a rule share one
 * key: they are rare (gatherings), and a single partition lets a cluster span any boundary.
 *
 * <p>A cluster's subject is the community of its first event ({@code REG:} + code, type PLACE); later events that
 * join a cluster keep that subject, so one gathering stays one alert as it grows.
 */
public final class PlaceClusterDetector extends RuleDetector {
    private transient ValueState<List<RuleInput>> facts;
    private transient MapState<String, String> assigned;
    private transient ValueState<List<RuleInput>> waiting;

    private final LiveHorizon live;

    /** A detector that waits for event time for every input (tests of replay order). */
    public PlaceClusterDetector(RuleSet initial, String regionFile, Duration allowedLateness) {
        this(initial, regionFile, allowedLateness, Duration.ZERO);
    }

    /**
     * @param liveHorizon a call this close to the wall clock is clustered the moment it comes (someone is on duty and
     *                    a crowd will not wait for the watermark); older ones wait for event time so that a replay
     *                    anchors its clusters as the live run did
     */
    public PlaceClusterDetector(RuleSet initial, String regionFile, Duration allowedLateness, Duration liveHorizon) {
        super(initial, regionFile, allowedLateness);
        this.live = LiveHorizon.of(liveHorizon);
    }

    @Override
    void openState() {
        facts = getRuntimeContext().getState(new ValueStateDescriptor<>("facts", RuleInputSerializer.listType()));
        assigned = getRuntimeContext().getMapState(new MapStateDescriptor<>("cluster-of-event", Types.STRING, Types.STRING));
        waiting = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting", RuleInputSerializer.listType()));
    }

    static double radius(CompiledRule rule) {
        for (KeySpec k : rule.keys()) if (k.place() != null) return k.place();
        return 1000;
    }

    @Override
    public void processElement(RuleInput in, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        CompiledRule rule = rule(ctx, in.ruleId());
        if (rule == null || !in.hasLocation()) return;
        if (in.time() > ctx.timerService().currentWatermark() && !live.covers(in.time(), ctx.timerService().currentProcessingTime())) {
            // Which call anchors a cluster (and so names its subject) depends on which calls are known: take them in
            // event-time order, once event time has passed them, so that a replay names the same subject as live.
            // Live calls do not wait (see the constructor).
            List<RuleInput> w = waiting.value();
            if (w == null) w = new ArrayList<>();
            ThresholdWindows.insert(w, in);
            waiting.update(w);
            ctx.timerService().registerEventTimeTimer(in.time());
            return;
        }
        process(in, rule, ctx, out, true);
    }

    private void process(RuleInput in, CompiledRule rule, ReadOnlyContext ctx, Collector<Detection> out, boolean checkLate) throws Exception {
        // an input that waited for event time was on time when it came, however far the watermark has moved since
        List<RuleInput> list = remember(facts, rule, in, ctx.timerService(), checkLate);
        if (list == null) return;

        double r = radius(rule);
        long w = rule.windowMillis;
        List<RuleInput> bestMembers = null;
        ThresholdWindows.Result best = null;
        for (RuleInput c : list) {
            // clusters anchored at c that contain the new event: c within r of it and its window covering it
            if (c.time() < in.time() || c.time() - w >= in.time() || distance(c, in) > r) continue;
            List<RuleInput> members = new ArrayList<>();
            for (RuleInput m : list) {
                if (m.time() <= c.time() && m.time() > c.time() - w && distance(m, c) <= r) members.add(m);
            }
            ThresholdWindows.Result res = ThresholdWindows.best(rule, members, in.time());
            if (res == null) continue;
            if (best == null || res.level().compareTo(best.level()) > 0
                    || res.level() == best.level() && res.measure() >= best.measure()) {
                best = res;
                bestMembers = members.subList(res.from(), res.to() + 1);
            }
        }
        if (best == null) return;
        String key = null;
        for (RuleInput m : bestMembers) {
            String k = assigned.get(m.eventId());
            if (k != null) {
                key = k;
                break;
            }
        }
        RuleInput anchor = bestMembers.get(0);
        if (key == null) {
            String code = anchor.community() != null ? anchor.community() : anchor.regionCode();
            key = "REG:" + code;
        }
        for (RuleInput m : bestMembers) assigned.put(m.eventId(), key);
        String code = key.substring(4);
        AlertSubject subject = new AlertSubject(SubjectType.PLACE, key, names.name(code) + "附近");
        // the alert's region is that of its subject, also when a call from a neighbouring community joins it
        RuleInput named = anchor;
        for (RuleInput m : bestMembers) {
            if (code.equals(m.community()) || code.equals(m.regionCode())) {
                named = m;
                break;
            }
        }
        EventRegion region = new EventRegion(named.district(), named.street(), named.community(), null);
        Detection d = ThresholdDetector.detection(rule, subject, bestMembers, best, names, region);
        out.collect(withLocation(d, centroid(bestMembers)));
        detections.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        List<RuleInput> w = waiting.value();
        if (w != null) {
            List<RuleInput> due = new ArrayList<>();
            for (RuleInput r : w) if (r.time() <= timestamp) due.add(r);
            if (!due.isEmpty()) {
                w.removeAll(due);
                if (w.isEmpty()) waiting.clear();
                else waiting.update(w);
                CompiledRule rule = rule(ctx, ruleIdOf(ctx.getCurrentKey()));
                if (rule != null) for (RuleInput r : due) process(r, rule, ctx, out, false);
            }
        }
        for (RuleInput f : forget(facts, rule(ctx, ruleIdOf(ctx.getCurrentKey())), timestamp)) assigned.remove(f.eventId());
        if (facts.value() == null) assigned.clear();
    }

    private static double distance(RuleInput a, RuleInput b) {
        return new GeoPoint(a.lat(), a.lon()).distanceMetres(new GeoPoint(b.lat(), b.lon()));
    }

    private static GeoPoint centroid(List<RuleInput> members) {
        double lat = 0, lon = 0;
        for (RuleInput m : members) {
            lat += m.lat();
            lon += m.lon();
        }
        return new GeoPoint(lat / members.size(), lon / members.size());
    }

    private static Detection withLocation(Detection d, GeoPoint p) {
        return new Detection(d.ruleId(), d.ruleTitle(), d.kind(), d.subject(), d.level(), d.title(), d.levelReason(),
                d.explanation(), d.since(), d.eventTime(), d.holdsUntil(), d.observed(), d.expected(), d.limit(),
                d.evidence(), d.evidenceCount(), d.sources(), d.region(), p, d.cooldownMillis(), d.evidenceCap());
    }
}

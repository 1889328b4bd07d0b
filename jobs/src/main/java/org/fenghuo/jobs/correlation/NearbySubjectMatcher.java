package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.rules.RuleSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For a CORRELATION rule with a near-step: learns where each subject is (an enterprise's location and grid, from the
 * records of its other steps) and matches near-step events — a 110 gathering call that names no enterprise — to every
 * subject within the distance or in the same grid, in both arrival orders. Its output goes to the
 * {@link CorrelationDetector} under the subject's key. One key per rule ({@code ruleId|@near}); locations are kept for
 * {@link #LOCATION_RETENTION} after they were last seen.
 */
public final class NearbySubjectMatcher extends KeyedBroadcastProcessFunction<String, RuleInput, String, RuleInput> {
    static final Duration LOCATION_RETENTION = Duration.ofDays(90);
    /**
     * Locations expire on day boundaries: sweeping them walks every known subject of the rule, which must not happen
     * on each minute's timer of the near events.
     */
    static final long SWEEP_GRANULARITY = 86_400_000L;

    private final RuleBroadcast rules;
    private final long latenessMillis;
    private transient MapState<String, RuleInput> locations;
    private transient ValueState<List<RuleInput>> nearEvents;
    /** per rule key: cell → subjects, and grid → subjects; rebuilt from state after a restore */
    private transient Map<String, Index> indexes;

    public NearbySubjectMatcher(RuleSet initial, Duration allowedLateness) {
        this.rules = new RuleBroadcast(initial);
        this.latenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        locations = getRuntimeContext().getMapState(new MapStateDescriptor<>("subject-locations", Types.STRING, TypeInformation.of(RuleInput.class)));
        nearEvents = getRuntimeContext().getState(new ValueStateDescriptor<>("near-events", RuleInputSerializer.listType()));
        indexes = new HashMap<>();
    }

    @Override
    public void processBroadcastElement(String json, Context ctx, Collector<RuleInput> out) throws Exception {
        ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR).put(RuleBroadcast.KEY, json);
    }

    @Override
    public void processElement(RuleInput in, ReadOnlyContext ctx, Collector<RuleInput> out) throws Exception {
        CompiledRule rule = rules.current(ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR)).get(in.ruleId());
        if (rule == null || rule.nearStep < 0) return;
        double metres = rule.steps.get(rule.nearStep).near().metres();
        boolean sameGrid = rule.steps.get(rule.nearStep).near().sameGridOrDefault();
        Index index = index(ctx.getCurrentKey(), metres);
        long nearBit = rule.stepBit(rule.nearStep);
        if (in.role() == RuleInput.LOCATION) {
            RuleInput previous = locations.get(in.subjectKey());
            if (previous != null && !placesBetter(in, previous)) return;
            locations.put(in.subjectKey(), in);
            index.remove(previous);
            index.add(in);
            ctx.timerService().registerEventTimeTimer(sweepAt(in.time() + LOCATION_RETENTION.toMillis()));
            if (samePlace(previous, in)) return;
            List<RuleInput> near = nearEvents.value();
            if (near == null) return;
            long watermark = ctx.timerService().currentWatermark();
            for (RuleInput n : near) {
                // kept until a rounded-up timer: one that has just left the window would only be too late downstream
                if (expired(n, rule, watermark)) continue;
                double d = distance(in, n, metres, sameGrid);
                if (!Double.isNaN(d)) out.collect(toSubject(n, in, d, nearBit, rule));
            }
        } else if (in.role() == RuleInput.NEAR) {
            if (expired(in, rule, ctx.timerService().currentWatermark())) return;
            List<RuleInput> near = nearEvents.value();
            if (near == null) near = new ArrayList<>();
            ThresholdWindows.insert(near, in);
            nearEvents.update(near);
            ctx.timerService().registerEventTimeTimer(RuleDetector.roundUp(expiry(in, rule)));
            for (String key : index.candidates(in)) {
                RuleInput loc = locations.get(key);
                if (loc == null) continue;
                double d = distance(loc, in, metres, sameGrid);
                if (!Double.isNaN(d)) out.collect(toSubject(in, loc, d, nearBit, rule));
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RuleInput> out) throws Exception {
        CompiledRule rule = rules.current(ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR)).get(RuleDetector.ruleIdOf(ctx.getCurrentKey()));
        List<RuleInput> near = nearEvents.value();
        if (near != null) {
            long keep = rule == null ? 0 : rule.windowMillis + latenessMillis;
            near.removeIf(n -> n.time() + keep <= timestamp);
            if (near.isEmpty()) nearEvents.clear();
            else nearEvents.update(near);
        }
        if (rule != null && timestamp % SWEEP_GRANULARITY != 0) return;
        Index index = indexes.get(ctx.getCurrentKey());
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, RuleInput> e : locations.entries()) {
            if (rule == null || e.getValue().time() + LOCATION_RETENTION.toMillis() <= timestamp) expired.add(e.getKey());
        }
        for (String k : expired) {
            if (index != null) index.remove(locations.get(k));
            locations.remove(k);
        }
    }

    /** When a near event has left its rule's window and lateness: no subject can use it after that. */
    private long expiry(RuleInput n, CompiledRule rule) {
        return n.time() + rule.windowMillis + latenessMillis;
    }

    private boolean expired(RuleInput n, CompiledRule rule, long watermark) {
        return expiry(n, rule) <= watermark;
    }

    static long sweepAt(long t) {
        long r = Math.floorMod(t, SWEEP_GRANULARITY);
        return r == 0 ? t : t - r + SWEEP_GRANULARITY;
    }

    private Index index(String key, double metres) throws Exception {
        Index index = indexes.get(key);
        if (index == null || index.metres != metres) {
            index = new Index(metres);
            for (RuleInput loc : locations.values()) index.add(loc);
            indexes.put(key, index);
        }
        return index;
    }

    /** Not near: NaN, so test with {@link Double#isNaN} (NaN is unequal to itself, {@code d != NOT_NEAR} always holds). */
    private static final double NOT_NEAR = Double.NaN;

    /** Metres between them, -1 when only the grid ties them, or NaN when they are not near. */
    private static double distance(RuleInput subject, RuleInput event, double metres, boolean sameGrid) {
        if (subject.hasLocation() && event.hasLocation()) {
            double d = new GeoPoint(subject.lat(), subject.lon()).distanceMetres(new GeoPoint(event.lat(), event.lon()));
            if (d <= metres) return d;
        }
        if (sameGrid && subject.grid() != null && subject.grid().equals(event.grid())) return -1;
        return NOT_NEAR;
    }

    /**
     * Whether {@code a} tells where its subject is better than {@code b}: the more precise wins (grid and point, then
     * grid, then point), the newer among equals. A petition names its target enterprise but is placed where the matter
     * arose or was received, usually a community or street and that region's centre: it must not move an enterprise that
     * a labour record or a grid report has placed in its grid.
     */
    static boolean placesBetter(RuleInput a, RuleInput b) {
        int pa = precision(a), pb = precision(b);
        return pa != pb ? pa > pb : a.time() >= b.time();
    }

    private static int precision(RuleInput r) {
        return (r.grid() != null ? 2 : 0) + (r.hasLocation() ? 1 : 0);
    }

    private static boolean samePlace(RuleInput a, RuleInput b) {
        if (a == null) return false;
        boolean sameGrid = a.grid() == null ? b.grid() == null : a.grid().equals(b.grid());
        if (!sameGrid || a.hasLocation() != b.hasLocation()) return false;
        return !a.hasLocation() || new GeoPoint(a.lat(), a.lon()).distanceMetres(new GeoPoint(b.lat(), b.lon())) < 10;
    }

    private static RuleInput toSubject(RuleInput nearEvent, RuleInput subject, double distance, long nearBit, CompiledRule rule) {
        long raiseBits = 0;
        for (int r = 0; r < rule.raises.size(); r++) raiseBits |= rule.raiseBit(r);
        return nearEvent.forSubject(rule.id + "|" + subject.subjectKey(), subject.subjectType(), subject.subjectKey(),
                subject.subjectDisplay(), RuleInput.EVENT, distance, nearEvent.mask() & (nearBit | raiseBits));
    }

    /** Subjects by map cell (cells as wide as the distance, so neighbours are in the 3×3 block) and by grid. */
    private static final class Index {
        final double metres;
        final double cellLat;
        final Map<Long, Set<String>> cells = new HashMap<>();
        final Map<String, Set<String>> grids = new HashMap<>();

        Index(double metres) {
            this.metres = metres;
            this.cellLat = metres / 111_000.0;
        }

        private long cell(double lat, double lon) {
            double cellLon = cellLat / Math.max(0.1, Math.cos(Math.toRadians(lat)));
            long y = (long) Math.floor(lat / cellLat);
            long x = (long) Math.floor(lon / cellLon);
            return (y << 32) ^ (x & 0xffffffffL);
        }

        void add(RuleInput loc) {
            if (loc.hasLocation()) cells.computeIfAbsent(cell(loc.lat(), loc.lon()), c -> new HashSet<>()).add(loc.subjectKey());
            if (loc.grid() != null) grids.computeIfAbsent(loc.grid(), g -> new HashSet<>()).add(loc.subjectKey());
        }

        void remove(RuleInput loc) {
            if (loc == null) return;
            if (loc.hasLocation()) {
                Set<String> s = cells.get(cell(loc.lat(), loc.lon()));
                if (s != null) s.remove(loc.subjectKey());
            }
            if (loc.grid() != null) {
                Set<String> s = grids.get(loc.grid());
                if (s != null) s.remove(loc.subjectKey());
            }
        }

        Set<String> candidates(RuleInput event) {
            Set<String> out = new HashSet<>();
            if (event.hasLocation()) {
                double cellLon = cellLat / Math.max(0.1, Math.cos(Math.toRadians(event.lat())));
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        Set<String> s = cells.get(cell(event.lat() + dy * cellLat, event.lon() + dx * cellLon));
                        if (s != null) out.addAll(s);
                    }
                }
            }
            if (event.grid() != null) {
                Set<String> s = grids.get(event.grid());
                if (s != null) out.addAll(s);
            }
            return out;
        }
    }
}

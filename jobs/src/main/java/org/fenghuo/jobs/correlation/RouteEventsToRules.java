package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.rules.KeySpec;
import org.fenghuo.core.rules.RuleBook;
import org.fenghuo.core.rules.RuleSet;
import org.fenghuo.core.rules.RuleUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Evaluates every running rule's filters on each event once and sends the event, keyed, to the detector of each rule
 * it concerns (one {@link RuleInput} per rule and subject). Also applies rule updates from {@code control.rules}:
 * each parallel instance applies the same update to its broadcast state; instance 0 answers with a STATUS record
 * and publishes the resulting rule set to the detectors.
 */
public final class RouteEventsToRules extends BroadcastProcessFunction<NormalizedEvent, RuleUpdate, RuleInput> {
    private static final Logger LOG = LoggerFactory.getLogger(RouteEventsToRules.class);

    public static final OutputTag<RuleInput> BASELINE = new OutputTag<>("baseline-inputs") {};
    public static final OutputTag<RuleInput> CORRELATION = new OutputTag<>("correlation-inputs") {};
    public static final OutputTag<RuleInput> NEARBY = new OutputTag<>("nearby-inputs") {};
    public static final OutputTag<RuleInput> PLACES = new OutputTag<>("place-inputs") {};
    public static final OutputTag<RuleInput> RISK = new OutputTag<>("risk-inputs") {};
    /**
     * Rule updates travel as generic (Kryo) records: a rule's filters nest ({@code anyOf}), which Flink's POJO analysis
     * cannot describe.
     */
    public static final org.apache.flink.api.common.typeinfo.TypeInformation<RuleUpdate> RULE_UPDATE_TYPE =
            new org.apache.flink.api.java.typeutils.GenericTypeInfo<>(RuleUpdate.class);
    public static final OutputTag<RuleUpdate> STATUS = new OutputTag<>("rule-status", RULE_UPDATE_TYPE);
    public static final OutputTag<String> RULES = new OutputTag<>("rule-set") {};

    /** Feeds whose location is the subject's own site (labour records carry the enterprise's address and grid). */
    static final java.util.Set<String> LOCATION_FEEDS = java.util.Set.of("labor-inspection");

    /** The entities a risk score can follow (RiskSpec.entities), as keys. */
    private static final KeySpec ENTERPRISES = new KeySpec("ENTERPRISE", null, null, null);
    private static final KeySpec PERSONS = new KeySpec("PERSON", null, null, null);
    private static final KeySpec GRIDS = new KeySpec(null, null, "GRID", null);

    private final RuleBroadcast rules;
    private final String regionFile;
    private transient RegionNames names;
    private transient Counter routed;
    private transient Counter updatesAccepted;
    private transient Counter updatesRefused;

    public RouteEventsToRules(RuleSet initial, String regionFile) {
        this.rules = new RuleBroadcast(initial);
        this.regionFile = regionFile;
    }

    @Override
    public void open(OpenContext openContext) {
        names = RegionNames.load(regionFile);
        routed = getRuntimeContext().getMetricGroup().counter("ruleInputs");
        updatesAccepted = getRuntimeContext().getMetricGroup().counter("ruleUpdatesAccepted");
        updatesRefused = getRuntimeContext().getMetricGroup().counter("ruleUpdatesRefused");
    }

    @Override
    public void processElement(NormalizedEvent e, ReadOnlyContext ctx, Collector<RuleInput> out) throws Exception {
        RuleBroadcast.Compiled running = rules.current(ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR));
        for (CompiledRule rule : running.enabled().values()) {
            if (!rule.matches(e)) continue;
            switch (rule.kind) {
                case THRESHOLD -> routeThreshold(rule, e, out, ctx);
                case BASELINE -> routeBaseline(rule, e, ctx);
                case CORRELATION -> routeCorrelation(rule, e, ctx);
                case RISK_SCORE -> routeRisk(rule, e, ctx);
            }
        }
    }

    private void routeThreshold(CompiledRule rule, NormalizedEvent e, Collector<RuleInput> out, ReadOnlyContext ctx) {
        long mask = rule.mask(e);
        double value = rule.value(e);
        if (Double.isNaN(value)) return;
        for (KeySpec spec : rule.keys()) {
            if (spec.place() != null) {
                if (e.location() == null) continue;
                ctx.output(PLACES, input(rule.id + "|@place", rule, RuleInput.EVENT, SubjectType.PLACE, null, null, e, value, 0, mask));
                routed.inc();
                return;
            }
            List<CompiledRule.Subject> subjects = CompiledRule.subjects(spec, e, names);
            if (subjects.isEmpty()) continue;
            for (CompiledRule.Subject s : subjects) {
                out.collect(input(rule.id + "|" + s.key(), rule, RuleInput.EVENT, s.type(), s.key(), s.display(), e, value, 0, mask));
                routed.inc();
            }
            return;
        }
    }

    private void routeBaseline(CompiledRule rule, NormalizedEvent e, ReadOnlyContext ctx) {
        Map<String, AlertLevel> levels = rule.rule.baseline().levelByRegion();
        for (String level : levels.keySet()) {
            String code = CompiledRule.regionAt(e, level);
            if (code == null) continue;
            String key = "REG:" + code;
            ctx.output(BASELINE, input(rule.id + "|" + key, rule, RuleInput.EVENT, SubjectType.REGION, key, names.name(code), e, 1, 0, 0));
            routed.inc();
        }
    }

    private void routeCorrelation(CompiledRule rule, NormalizedEvent e, ReadOnlyContext ctx) {
        long mask = rule.mask(e);
        long keyed = mask & rule.keyedStepsBits();
        if (keyed != 0) {
            for (KeySpec spec : rule.keys()) {
                List<CompiledRule.Subject> subjects = CompiledRule.subjects(spec, e, names);
                if (subjects.isEmpty()) continue;
                for (CompiledRule.Subject s : subjects) {
                    ctx.output(CORRELATION, input(rule.id + "|" + s.key(), rule, RuleInput.EVENT, s.type(), s.key(), s.display(), e, 1, 0, mask));
                    routed.inc();
                    if (rule.nearStep >= 0 && LOCATION_FEEDS.contains(e.feed())
                            && (e.location() != null || e.region() != null && e.region().grid() != null)) {
                        // teaches the near-matcher where this subject is: only records whose place is the
                        // enterprise's own site (a petition's place is where it was received, not the factory)
                        ctx.output(NEARBY, input(rule.id + "|@near", rule, RuleInput.LOCATION, s.type(), s.key(), s.display(), e, 1, 0, mask));
                    }
                }
                break;
            }
        }
        if (rule.nearStep >= 0 && (mask & rule.stepBit(rule.nearStep)) != 0) {
            ctx.output(NEARBY, input(rule.id + "|@near", rule, RuleInput.NEAR, null, null, null, e, 1, 0, mask));
            routed.inc();
        }
    }

    private void routeRisk(CompiledRule rule, NormalizedEvent e, ReadOnlyContext ctx) {
        double pts = rule.points(e);
        if (pts <= 0) return;
        if (rule.scoresEntity("ENTERPRISE")) emitRisk(rule, e, ctx, pts, ENTERPRISES);
        if (rule.scoresEntity("PERSON")) emitRisk(rule, e, ctx, pts, PERSONS);
        if (rule.scoresEntity("PLACE")) emitRisk(rule, e, ctx, pts, GRIDS);
    }

    private void emitRisk(CompiledRule rule, NormalizedEvent e, ReadOnlyContext ctx, double pts, KeySpec spec) {
        for (CompiledRule.Subject s : CompiledRule.subjects(spec, e, names)) {
            SubjectType type = s.type() == SubjectType.REGION ? SubjectType.PLACE : s.type();
            ctx.output(RISK, input(rule.id + "|" + s.key(), rule, RuleInput.EVENT, type, s.key(), s.display(), e, 1, pts, 0));
            routed.inc();
        }
    }

    static RuleInput input(String partition, CompiledRule rule, byte role, SubjectType type, String key, String display,
                           NormalizedEvent e, double value, double points, long mask) {
        EventRegion r = e.region() == null ? EventRegion.UNKNOWN : e.region();
        return new RuleInput(partition, rule.id, role, type, key, display, e.feed(), e.recordId(),
                e.occurredAtMillis(), e.category(), e.title(), r.district(), r.street(), r.community(), r.grid(),
                e.location() == null ? Double.NaN : e.location().lat(), e.location() == null ? Double.NaN : e.location().lon(),
                e.peopleCount() == null ? -1 : e.peopleCount(), value, points, mask);
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context ctx, Collector<RuleInput> out) throws Exception {
        if (update == null || update.type() == RuleUpdate.Type.STATUS) return;
        BroadcastState<String, String> state = ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR);
        RuleBroadcast.Compiled running = rules.current(state);
        RuleBook.Result result = RuleBook.of(running.set()).apply(update);
        boolean first = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        Instant now = Instant.now();
        if (result.ignored()) return;
        if (result.applied()) {
            RuleSet next = result.book().toRuleSet();
            String json = RuleBroadcast.toJson(next);
            state.put(RuleBroadcast.KEY, json);
            if (first) {
                updatesAccepted.inc();
                LOG.info("Rules {} {} accepted: version {} running ({} rules, {} enabled)", update.type(),
                        describe(update), next.versionOrDefault(), next.rules().size(), result.book().enabled().size());
                ctx.output(STATUS, result.status(update, now));
                ctx.output(RULES, json);
            }
        } else if (first) {
            updatesRefused.inc();
            LOG.warn("Rules {} {} refused, version {} keeps running: {}", update.type(), describe(update),
                    running.version(), result.reason());
            ctx.output(STATUS, result.status(update, now));
        }
    }

    private static String describe(RuleUpdate u) {
        String id = u.ruleId() != null ? u.ruleId() : u.rule() != null ? u.rule().id() : null;
        return (id != null ? "'" + id + "' " : "") + (u.requestId() != null ? "(request " + u.requestId() + ")" : "")
                + (u.source() != null ? " from " + u.source() : "");
    }

}

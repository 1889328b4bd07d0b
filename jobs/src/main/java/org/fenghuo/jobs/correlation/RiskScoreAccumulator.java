package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.Signal;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.rules.LevelSpec;
import org.fenghuo.core.rules.RiskSpec;
import org.fenghuo.core.rules.RuleSet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * RISK_SCORE rules ({@code entity.risk}): every event adds points to its entities; points halve every half-life; one
 * feed's decayed points count at most the source cap, so one noisy feed cannot push an entity to the higher levels
 * alone. The score at a time is the sum over feeds; levels come from score bands and the number of distinct feeds.
 * Every contribution is a {@link Signal} (the entity's score timeline for analysts); crossing a band is a
 * {@link Detection}. Contributions are forgotten once they decayed below the floor, so state follows activity.
 */
public final class RiskScoreAccumulator extends RuleDetector {
    /** A hot entity keeps at most this many contributions; the smallest decayed ones go first. */
    static final int MAX_CONTRIBUTIONS = 200;

    private transient ValueState<List<RuleInput>> contributions;

    public RiskScoreAccumulator(RuleSet initial, String regionFile, Duration allowedLateness) {
        super(initial, regionFile, allowedLateness);
    }

    @Override
    void openState() {
        contributions = getRuntimeContext().getState(new ValueStateDescriptor<>("contributions", RuleInputSerializer.listType()));
    }

    static long lifetime(RiskSpec spec, double points) {
        double halfLives = Math.log(points / spec.floorOrDefault()) / Math.log(2);
        return (long) (Math.max(0, halfLives) * spec.halfLife().toMillis());
    }

    @Override
    public void processElement(RuleInput in, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        CompiledRule rule = rule(ctx, in.ruleId());
        if (rule == null) {
            contributions.clear();
            return;
        }
        RiskSpec spec = rule.rule.risk();
        long expiry = in.time() + lifetime(spec, in.points());
        if (expiry <= ctx.timerService().currentWatermark()) {
            tooLate(in, ctx.timerService().currentWatermark());
            return;
        }
        List<RuleInput> list = contributions.value();
        if (list == null) list = new ArrayList<>();
        ThresholdWindows.insert(list, in);
        if (list.size() > MAX_CONTRIBUTIONS) list.remove(0);
        contributions.update(list);
        ctx.timerService().registerEventTimeTimer(roundUp(expiry));

        Score atNew = score(spec, list, in.time());
        ctx.output(SIGNALS, signal(rule, in, atNew));

        // the new points raise every score from their time on: take the most severe level reached at or after it
        int bestK = -1;
        AlertLevel best = null;
        Score bestScore = null;
        long since = Long.MAX_VALUE;
        for (RuleInput c : list) {
            if (c.time() < in.time()) continue;
            Score s = c.time() == in.time() ? atNew : score(spec, list, c.time());
            // a record that arrived before this earlier one reported a score without it: report it again (same id)
            if (!c.sameEvent(in)) ctx.output(SIGNALS, signal(rule, c, s));
            int k = levelIndex(rule, s);
            if (k < 0) continue;
            since = Math.min(since, c.time());
            if (best == null || rule.levels.get(k).level().compareTo(best) >= 0) {
                best = rule.levels.get(k).level();
                bestK = k;
                bestScore = s;
            }
        }
        if (best == null) return;
        out.collect(detection(rule, in, bestK, bestScore, since, list));
        detections.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        List<RuleInput> list = contributions.value();
        if (list == null) return;
        CompiledRule rule = rule(ctx, ruleIdOf(ctx.getCurrentKey()));
        if (rule == null) {
            contributions.clear();
            return;
        }
        RiskSpec spec = rule.rule.risk();
        list.removeIf(c -> c.time() + lifetime(spec, c.points()) <= timestamp);
        if (list.isEmpty()) contributions.clear();
        else contributions.update(list);
    }

    /** A score at a time: total, per feed (capped), and the contributions it counts. */
    record Score(long at, double total, TreeMap<String, Double> byFeed) {
        int sources() { return byFeed.size(); }
    }

    static Score score(RiskSpec spec, List<RuleInput> list, long at) {
        double halfLife = spec.halfLife().toMillis();
        TreeMap<String, Double> byFeed = new TreeMap<>();
        for (RuleInput c : list) {
            if (c.time() > at) break;
            double v = c.points() * Math.pow(0.5, (at - c.time()) / halfLife);
            if (v < spec.floorOrDefault()) continue;
            byFeed.merge(c.feed(), v, Double::sum);
        }
        double total = 0;
        if (spec.sourceCap() != null) byFeed.replaceAll((f, v) -> Math.min(v, spec.sourceCap()));
        for (double v : byFeed.values()) total += v;
        return new Score(at, total, byFeed);
    }

    static int levelIndex(CompiledRule rule, Score s) {
        for (int k = rule.levels.size() - 1; k >= 0; k--) {
            LevelSpec l = rule.levels.get(k);
            if (l.atLeast() != null && s.total() < l.atLeast()) continue;
            if (l.sources() != null && s.sources() < l.sources()) continue;
            return k;
        }
        return -1;
    }

    private static String breakdown(Score s) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Double> e : s.byFeed().entrySet()) parts.add(Explain.feed(e.getKey()) + Explain.number(Math.round(e.getValue() * 10) / 10.0) + "分");
        return String.join("、", parts);
    }

    private Signal signal(CompiledRule rule, RuleInput in, Score s) {
        int k = levelIndex(rule, s);
        AlertSubject subject = new AlertSubject(in.subjectType(), in.subjectKey(), in.subjectDisplay());
        String text = subject.display() + " 因" + Explain.feed(in.feed()) + "记录(" + Explain.category(in.category()) + ")加"
                + Explain.number(in.points()) + "分,风险积分" + Explain.number(Math.round(s.total() * 10) / 10.0) + "分(" + breakdown(s) + ")";
        return new Signal(rule.id + ":" + in.subjectKey() + ":" + in.eventId(), rule.id, SignalKind.RISK_SCORE,
                k < 0 ? null : rule.levels.get(k).level(), rule.rule.title() + " · " + subject.display(), text, subject,
                in.region(), in.location(), null, null, Instant.ofEpochMilli(in.time()), Instant.now(), null, null,
                round(s.total()), in.points(), List.of(in.evidence(null, in.points())), new ArrayList<>(s.byFeed().keySet()));
    }

    private static Double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private Detection detection(CompiledRule rule, RuleInput in, int k, Score s, long since, List<RuleInput> list) {
        LevelSpec spec = rule.levels.get(k);
        RiskSpec risk = rule.rule.risk();
        AlertSubject subject = new AlertSubject(in.subjectType(), in.subjectKey(), in.subjectDisplay());
        List<Evidence> evidence = new ArrayList<>();
        TreeSet<String> sources = new TreeSet<>();
        RuleInput newest = in;
        for (RuleInput c : list) {
            if (c.time() > s.at()) break;
            evidence.add(c.evidence(null, c.points()));
            sources.add(c.feed());
            newest = c;
        }
        String limit = "≥" + Explain.number(spec.atLeast()) + "分" + (spec.sources() != null ? "且来源≥" + spec.sources() + "类" : "");
        StringBuilder ex = new StringBuilder();
        ex.append("【").append(rule.rule.title()).append("】").append(subject.display()).append(' ')
                .append(Explain.time(s.at())).append("风险积分").append(Explain.number(Math.round(s.total() * 10) / 10.0))
                .append("分(").append(breakdown(s)).append(";半衰期").append(Explain.duration(risk.halfLife().toMillis()));
        if (risk.sourceCap() != null) ex.append(",单一来源最多计").append(Explain.number(risk.sourceCap())).append("分");
        ex.append("),来源").append(s.sources()).append("类,达到").append(spec.level().label()).append("预警标准(")
                .append(limit).append(")。共").append(evidence.size()).append("条记录,最新:").append(Explain.time(newest.time()))
                .append(' ').append(newest.title() == null ? "" : newest.title()).append("。");
        return new Detection(rule.id, rule.rule.title(), SignalKind.RISK_SCORE, subject, spec.level(),
                rule.rule.title() + " · " + subject.display(), Explain.number(Math.round(s.total())) + "分," + limit,
                ex.toString(), since, s.at(), s.at() + risk.halfLife().toMillis(), round(s.total()), null, spec.atLeast(),
                Explain.capped(evidence, rule.evidenceCap), evidence.size(), new ArrayList<>(sources), newest.region(),
                newest.location(), rule.cooldownMillis, rule.evidenceCap);
    }
}

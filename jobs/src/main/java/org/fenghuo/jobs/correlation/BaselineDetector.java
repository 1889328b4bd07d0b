package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.Signal;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.region.RegionLevel;
import org.fenghuo.core.rules.BaselineSpec;
import org.fenghuo.core.rules.RuleSet;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * BASELINE rules ({@code region.baseline-surge}): per region, each category's count in the current day (or hour)
 * against the same region's own history, EARS-C2 style — the history ends a guard band before the current period so
 * that a build-up over a few days does not hide itself. Fires when the count reaches the minimum and its Poisson tail
 * probability under the historical mean is below the limit (and, if set, the z-score above its limit). A region
 * needs at least {@link #MIN_HISTORY_PERIODS} periods of observed history before it can alert, so a fresh start does
 * not call every busy community a surge.
 */
public final class BaselineDetector extends RuleDetector {
    static final int MIN_HISTORY_PERIODS = 7;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BaselineDetector.class);

    private transient ValueState<BaselineCounts> counts;
    /** The open periods' events, by {@link #eventsKey period and category}, sorted by time. */
    private transient MapState<String, List<RuleInput>> events;

    public BaselineDetector(RuleSet initial, String regionFile, Duration allowedLateness) {
        super(initial, regionFile, allowedLateness);
    }

    @Override
    void openState() {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("baseline-counts", BaselineCounts.Serializer.INSTANCE));
        events = getRuntimeContext().getMapState(new MapStateDescriptor<>("baseline-events", Types.STRING, RuleInputSerializer.listType()));
    }

    static String eventsKey(long period, String category) {
        return period + "|" + category;
    }

    record Periods(long millis, long offsetMillis) {
        long of(long t) { return Math.floorDiv(t + offsetMillis, millis); }
        long start(long p) { return p * millis - offsetMillis; }
        long end(long p) { return start(p + 1); }
    }

    static Periods periods(BaselineSpec spec) {
        long millis = "HOUR".equals(spec.periodOrDefault()) ? 3_600_000L : 86_400_000L;
        long offset = ZoneOffset.of(spec.zoneOrDefault()).getTotalSeconds() * 1000L;
        return new Periods(millis, offset);
    }

    @Override
    public void processElement(RuleInput in, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        CompiledRule rule = rule(ctx, in.ruleId());
        if (rule == null) {
            clear();
            return;
        }
        BaselineSpec spec = rule.rule.baseline();
        Periods periods = periods(spec);
        long p = periods.of(in.time());
        long sealAt = periods.end(p) + latenessMillis;
        if (sealAt <= ctx.timerService().currentWatermark()) {
            tooLate(in, ctx.timerService().currentWatermark());
            return;
        }
        BaselineCounts s = counts.value();
        if (s == null) s = new BaselineCounts();
        String category = spec.byCategoryOrDefault() ? in.category() : "*";
        String key = eventsKey(p, category);
        List<RuleInput> list = events.get(key);
        if (list == null) list = new ArrayList<>();
        ThresholdWindows.insert(list, in);
        events.put(key, list);
        s.open.computeIfAbsent(p, k -> new HashMap<>()).put(category, list.size());
        s.added(p);
        boolean longerHistory = p < s.firstPeriod && s.firstPeriod != Long.MAX_VALUE;
        s.firstPeriod = Math.min(s.firstPeriod, p);
        counts.update(s);
        ctx.timerService().registerEventTimeTimer(sealAt);

        AlertLevel level = levelOf(spec, in.subjectKey());
        if (level == null) return;
        AlertSubject subject = new AlertSubject(SubjectType.REGION, in.subjectKey(), in.subjectDisplay());
        if (longerHistory) {
            // the region's earliest record so far: every open period's categories have a longer history now
            for (long q : s.open.keySet()) {
                if (q >= p) raise(rule, subject, level, periods, s, q, null, in, ctx, out);
            }
            return;
        }
        // otherwise only this record's category changed: if it is not anomalous, neither the alert nor a signal changes
        List<RuleInput> own = list;
        Finding f = assess(spec, periods, s, p, category, () -> own);
        if (f != null) raise(rule, subject, level, periods, s, p, f, in, ctx, out);
    }

    private void clear() {
        counts.clear();
        events.clear();
    }

    /** Emits the period's detection and signals: all its anomalous categories, signals for {@code own} only if given. */
    private void raise(CompiledRule rule, AlertSubject subject, AlertLevel level, Periods periods, BaselineCounts s, long p,
                       Finding own, RuleInput in, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        BaselineSpec spec = rule.rule.baseline();
        List<Finding> findings = new ArrayList<>();
        if (own != null) findings.add(own);
        for (String category : s.open.get(p).keySet()) {
            if (own != null && category.equals(own.category())) continue;
            // a category's events are read only if its count is anomalous
            Finding f = assess(spec, periods, s, p, category, () -> events.get(eventsKey(p, category)));
            if (f != null) findings.add(f);
        }
        if (findings.isEmpty()) return;
        findings.sort(Comparator.comparingDouble(Finding::pValue).thenComparing(Finding::category));
        out.collect(detection(rule, subject, level, periods, p, findings, in));
        detections.inc();
        for (Finding f : findings) {
            if (own == null || f == own) ctx.output(SIGNALS, signal(rule, subject, level, periods, p, f, in));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        BaselineCounts s = counts.value();
        if (s == null) return;
        CompiledRule rule = rule(ctx, ruleIdOf(ctx.getCurrentKey()));
        if (rule == null) {
            clear();
            return;
        }
        BaselineSpec spec = rule.rule.baseline();
        Periods periods = periods(spec);
        // seal periods whose lateness has passed: keep their counts only
        while (!s.open.isEmpty() && periods.end(s.open.firstKey()) + latenessMillis <= timestamp) {
            Map.Entry<Long, HashMap<String, Integer>> e = s.open.pollFirstEntry();
            for (String category : e.getValue().keySet()) events.remove(eventsKey(e.getKey(), category));
            s.sealed.put(e.getKey(), e.getValue());
        }
        long current = periods.of(timestamp);
        // the earliest period that can still take (late) events needs its full history: keep that, drop the rest
        long earliestOpen = periods.of(timestamp - latenessMillis);
        long oldest = earliestOpen - periodsIn(spec.historyOrDefault(), periods) - periodsIn(spec.guardBandOrDefault(), periods) - 1;
        s.sealed.headMap(oldest).clear();
        if (s.sealed.isEmpty() && s.open.isEmpty()) {
            clear();
            return;
        }
        if (s.firstPeriod < oldest) s.firstPeriod = oldest;
        counts.update(s);
        // keep a timer so that history ages out even when the region falls quiet
        ctx.timerService().registerEventTimeTimer(periods.end(current) + latenessMillis);
    }

    static long periodsIn(Duration d, Periods periods) {
        return d.toMillis() / periods.millis();
    }

    /** One category's assessment for the current period. */
    record Finding(String category, int observed, double expected, double sd, int historyPeriods, double pValue,
                   double z, long since, List<RuleInput> events) {}

    /** Reads a category's events of the period when they are needed. */
    interface EventsOf {
        List<RuleInput> get() throws Exception;
    }

    static Finding assess(BaselineSpec spec, Periods periods, BaselineCounts s, long p, String category, EventsOf eventsOf) throws Exception {
        int observed = s.count(p, category);
        int minCount = spec.minCountOrDefault();
        if (observed < minCount) return null;
        long guard = periodsIn(spec.guardBandOrDefault(), periods);
        long hist = periodsIn(spec.historyOrDefault(), periods);
        long to = p - guard;                 // exclusive
        long from = Math.max(to - hist, s.firstPeriod);
        if (to - from < MIN_HISTORY_PERIODS) return null;
        BaselineStats.Summary sum = s.history(category, from, to);
        // a category never seen in the history still has some chance: as if it had happened once
        double lambda = Math.max(sum.mean(), 1.0 / sum.periods());
        double pValue = BaselineStats.poissonTail(observed, lambda);
        double z = (observed - sum.mean()) / Math.max(1.0, sum.sd());
        if (!(pValue < spec.pValueOrDefault())) return null;
        if (spec.zScore() != null && z < spec.zScore()) return null;
        List<RuleInput> events = eventsOf.get();
        if (events == null || events.size() != observed) {
            // the counts and the events are written together, so this is a bug; the events are what an alert shows
            LOG.warn("baseline state of {} in period {}: {} counted but {} events kept; not assessed", category, p, observed,
                    events == null ? 0 : events.size());
            return null;
        }
        // since: the event at which the count first became anomalous (events sorted by time)
        long since = events.get(events.size() - 1).time();
        for (int k = minCount; k <= observed; k++) {
            if (BaselineStats.poissonTail(k, lambda) < spec.pValueOrDefault()
                    && (spec.zScore() == null || (k - sum.mean()) / Math.max(1.0, sum.sd()) >= spec.zScore())) {
                since = events.get(k - 1).time();
                break;
            }
        }
        return new Finding(category, observed, sum.mean(), sum.sd(), sum.periods(), pValue, z, since, events);
    }

    static AlertLevel levelOf(BaselineSpec spec, String regionKey) {
        return RegionLevel.ofCode(regionKey.substring(4)).map(l -> spec.levelByRegion().get(l.name())).orElse(null);
    }

    private Detection detection(CompiledRule rule, AlertSubject subject, AlertLevel level, Periods periods, long p,
                                List<Finding> findings, RuleInput in) {
        BaselineSpec spec = rule.rule.baseline();
        Finding top = findings.get(0);
        List<Evidence> evidence = new ArrayList<>();
        TreeSet<String> sources = new TreeSet<>();
        long since = Long.MAX_VALUE, newest = Long.MIN_VALUE;
        int total = 0;
        for (Finding f : findings) {
            since = Math.min(since, f.since());
            total += f.observed();
            newest = Math.max(newest, f.events().get(f.events().size() - 1).time());
            for (RuleInput e : f.events()) sources.add(e.feed());
            // a surging category holds every record of the day: only those the alert can show become evidence
            for (RuleInput e : Explain.capped(f.events(), rule.evidenceCap)) evidence.add(e.evidence(null, null));
        }
        evidence.sort(Comparator.comparing(Evidence::occurredAt).thenComparing(Evidence::eventId));
        String day = periodLabel(periods, p);
        StringBuilder ex = new StringBuilder();
        ex.append("【").append(rule.rule.title()).append("】").append(subject.display()).append(' ').append(day);
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            if (i > 0) ex.append(";");
            ex.append(Explain.category(f.category())).append("类事件已达").append(f.observed()).append("件,预期")
                    .append(Explain.fixed(f.expected(), 1)).append("件(过去")
                    .append(f.historyPeriods()).append(periodUnit(periods)).append("均值,不含最近")
                    .append(periodsIn(spec.guardBandOrDefault(), periods)).append(periodUnit(periods)).append(",标准差")
                    .append(Explain.fixed(f.sd(), 1)).append("),出现概率")
                    .append(pText(f.pValue()));
        }
        ex.append("。超出本区域自身基线(p<").append(java.math.BigDecimal.valueOf(spec.pValueOrDefault()).stripTrailingZeros().toPlainString()).append("且≥")
                .append(spec.minCountOrDefault()).append("件),达到").append(level.label()).append("预警标准。");
        EventRegion region = ThresholdDetector.regionOfSubject(subject, in);
        String reason = Explain.category(top.category()) + top.observed() + "件,预期" + Explain.fixed(top.expected(), 1);
        return new Detection(rule.id, rule.rule.title(), SignalKind.BASELINE, subject, level,
                rule.rule.title() + " · " + subject.display(), reason, ex.toString(), since, newest, periods.end(p),
                (double) top.observed(), top.expected(), (double) spec.minCountOrDefault(),
                Explain.capped(evidence, rule.evidenceCap), total, new ArrayList<>(sources), region, null,
                rule.cooldownMillis, rule.evidenceCap);
    }

    private Signal signal(CompiledRule rule, AlertSubject subject, AlertLevel level, Periods periods, long p, Finding f, RuleInput in) {
        String id = rule.id + ":" + subject.key() + ":" + f.category() + ":" + Instant.ofEpochMilli(periods.start(p)).toString();
        List<Evidence> ev = new ArrayList<>();
        for (RuleInput e : Explain.capped(f.events(), rule.evidenceCap)) ev.add(e.evidence(null, null));
        String text = subject.display() + " " + periodLabel(periods, p) + Explain.category(f.category()) + "类事件" + f.observed()
                + "件,预期" + Explain.fixed(f.expected(), 1) + "件,出现概率" + pText(f.pValue());
        TreeSet<String> sources = new TreeSet<>();
        for (RuleInput e : f.events()) sources.add(e.feed());
        return new Signal(id, rule.id, SignalKind.BASELINE, level, rule.rule.title() + " · " + subject.display(), text,
                subject, ThresholdDetector.regionOfSubject(subject, in), null, Instant.ofEpochMilli(periods.start(p)),
                Instant.ofEpochMilli(periods.end(p)), Instant.ofEpochMilli(f.since()), Instant.now(), (double) f.observed(),
                f.expected(), null, null, ev, new ArrayList<>(sources));
    }

    private static String pText(double p) {
        if (p < 0.0001) return "p<0.0001";
        return "p=" + Explain.fixed(p, 4);
    }

    private static String periodUnit(Periods periods) {
        return periods.millis() == 3_600_000L ? "小时" : "天";
    }

    private static String periodLabel(Periods periods, long p) {
        String day = Explain.time(periods.start(p));
        return periods.millis() == 3_600_000L ? day + "起1小时内" : day.substring(0, day.indexOf('日') + 1);
    }
}

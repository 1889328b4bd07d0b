package org.fenghuo.jobs.correlation;

import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.rules.Aggregate;
import org.fenghuo.core.rules.LevelSpec;
import org.fenghuo.core.rules.RuleSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * THRESHOLD rules keyed by entity or region: count, sum or max of matching events in a sliding window, against limits
 * per level (e.g. {@code grid.dispute-hotspot}, {@code petition.repeat}, {@code petition.collective}).
 */
public final class ThresholdDetector extends WindowedRuleDetector {

    public ThresholdDetector(RuleSet initial, String regionFile, Duration allowedLateness) {
        super(initial, regionFile, allowedLateness);
    }

    @Override
    Detection detect(CompiledRule rule, List<RuleInput> list, RuleInput in) {
        ThresholdWindows.Result r = ThresholdWindows.best(rule, list, in.time());
        if (r == null) return null;
        List<RuleInput> window = list.subList(r.from(), r.to() + 1);
        RuleInput newest = window.get(window.size() - 1);
        AlertSubject subject = new AlertSubject(in.subjectType(), in.subjectKey(), in.subjectDisplay());
        return detection(rule, subject, window, r, names, regionOfSubject(subject, newest));
    }

    /** The alert's region: for a region subject only its own level and above, so escalation starts from it. */
    static EventRegion regionOfSubject(AlertSubject subject, RuleInput newest) {
        if (subject.type() == SubjectType.REGION && subject.key().startsWith("REG:")) {
            int len = subject.key().length() - 4;
            return new EventRegion(newest.district(), len >= 9 ? newest.street() : null,
                    len >= 12 ? newest.community() : null, len >= 15 ? newest.grid() : null);
        }
        return newest.region();
    }

    static Detection detection(CompiledRule rule, AlertSubject subject, List<RuleInput> window,
                               ThresholdWindows.Result r, RegionNames names, EventRegion region) {
        // a busy key's window can hold hundreds of records and is re-evaluated on each new one: only the records the
        // alert will show become evidence objects
        List<RuleInput> shown = Explain.capped(window, rule.evidenceCap);
        List<Evidence> evidence = new ArrayList<>(shown.size());
        for (RuleInput f : shown) evidence.add(f.evidence(null, null));
        TreeSet<String> sources = new TreeSet<>();
        GeoPoint location = null;
        for (RuleInput f : window) {
            sources.add(f.feed());
            if (f.hasLocation()) location = f.location();
        }
        RuleInput first = window.get(0);
        RuleInput newest = window.get(window.size() - 1);
        LevelSpec spec = rule.levels.get(r.levelIndex());
        String unit = unit(rule);
        String measured = switch (rule.aggregate()) {
            case COUNT -> "共" + Explain.number(r.measure()) + "条";
            case SUM -> Explain.fieldLabel(rule.aggregateField()) + "合计" + Explain.number(r.measure()) + unit;
            case MAX -> Explain.fieldLabel(rule.aggregateField()) + "最多" + Explain.number(r.measure()) + unit;
        };
        String limit = "≥" + Explain.number(spec.atLeast()) + unit;
        StringBuilder ex = new StringBuilder();
        ex.append("【").append(rule.rule.title()).append("】").append(subject.display()).append(' ')
                .append(Explain.duration(rule.windowMillis)).append("内").append(Explain.feeds(sources))
                .append(Explain.categories(evidence)).append("记录").append(measured)
                .append("(").append(Explain.span(first.time(), newest.time())).append("),达到")
                .append(r.baseLevel().label()).append("预警标准(").append(limit);
        if (spec.sources() != null) ex.append(",来源≥").append(spec.sources()).append("类");
        if (spec.anyEvidence() != null) ex.append(",且").append(Explain.match(spec.anyEvidence()));
        ex.append(")。");
        for (String reason : r.raiseReasons()) ex.append("因").append(reason).append(",升一级。");
        if (r.level() != r.baseLevel()) ex.append("当前预警级别:").append(r.level().label()).append("。");
        ex.append("最新:").append(Explain.time(newest.time())).append(' ').append(newest.title() == null ? "" : newest.title()).append("。");
        String title = rule.rule.title() + " · " + subject.display();
        return new Detection(rule.id, rule.rule.title(), SignalKind.THRESHOLD, subject, r.level(), title,
                measured + "," + limit, ex.toString(), r.since(), newest.time(), newest.time() + rule.windowMillis,
                r.measure(), null, spec.atLeast(), evidence, window.size(),
                new ArrayList<>(sources), region, location, rule.cooldownMillis, rule.evidenceCap);
    }

    private static String unit(CompiledRule rule) {
        if (rule.aggregate() == Aggregate.Function.COUNT) return "条";
        String f = rule.aggregateField();
        if (f == null) return "";
        if (f.contains("Count") || f.contains("workers")) return "人";
        if (f.contains("Cny")) return "元";
        return "";
    }
}

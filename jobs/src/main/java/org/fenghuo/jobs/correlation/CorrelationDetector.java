package org.fenghuo.jobs.correlation;

import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.SignalKind;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.rules.LevelSpec;
import org.fenghuo.core.rules.RuleSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * CORRELATION rules: the same subject (an enterprise, a person, a region) seen in several steps — different feeds —
 * within a window, optionally in order, e.g. {@code labor.wage-arrears-escalation}: a wage-arrears labour record and a
 * petition naming the enterprise, then a gathering near it. Events of a near-step arrive already matched to this
 * subject by {@link NearbySubjectMatcher} (their {@code value} is the distance in metres, or -1 for "same grid").
 */
public final class CorrelationDetector extends WindowedRuleDetector {

    public CorrelationDetector(RuleSet initial, String regionFile, Duration allowedLateness) {
        super(initial, regionFile, allowedLateness);
    }

    @Override
    Detection detect(CompiledRule rule, List<RuleInput> sorted, RuleInput in) {
        return evaluate(rule, sorted, in.time(), names);
    }

    static Detection evaluate(CompiledRule rule, List<RuleInput> sorted, long newTime, RegionNames names) {
        long w = rule.windowMillis;
        int bestLevelIndex = -1;
        AlertLevel bestLevel = null;
        int bestFrom = 0, bestTo = 0;
        long since = Long.MAX_VALUE;
        List<String> bestReasons = List.of();
        int from = 0;
        for (int j = 0; j < sorted.size(); j++) {
            long end = sorted.get(j).time();
            while (sorted.get(from).time() <= end - w) from++;
            if (newTime > end || newTime <= end - w) continue;
            if (j + 1 < sorted.size() && sorted.get(j + 1).time() == end) continue;
            List<RuleInput> window = sorted.subList(from, j + 1);
            int k = levelIndex(rule, window);
            if (k < 0) continue;
            since = Math.min(since, end);
            AlertLevel level = rule.levels.get(k).level();
            long mask = 0;
            for (RuleInput f : window) mask |= f.mask();
            List<String> reasons = new ArrayList<>();
            for (int r = 0; r < rule.raises.size(); r++) {
                if ((mask & rule.raiseBit(r)) != 0) {
                    level = level.raise(rule.raises.get(r).byOrDefault());
                    if (rule.raises.get(r).reason() != null) reasons.add(rule.raises.get(r).reason());
                }
            }
            if (bestLevel == null || level.compareTo(bestLevel) >= 0) {
                bestLevel = level;
                bestLevelIndex = k;
                bestFrom = from;
                bestTo = j;
                bestReasons = reasons;
            }
        }
        if (bestLevel == null) return null;
        return detection(rule, sorted.subList(bestFrom, bestTo + 1), bestLevel, bestLevelIndex, since, bestReasons, names);
    }

    /** The most severe level whose steps all occur in the window (in the rule's order if it is ordered), or -1. */
    static int levelIndex(CompiledRule rule, List<RuleInput> window) {
        TreeSet<String> feeds = new TreeSet<>();
        for (RuleInput f : window) feeds.add(f.feed());
        for (int k = rule.levels.size() - 1; k >= 0; k--) {
            LevelSpec l = rule.levels.get(k);
            if (l.sources() != null && feeds.size() < l.sources()) continue;
            if (stepsSatisfied(rule, l.steps(), window)) return k;
        }
        return -1;
    }

    static boolean stepsSatisfied(CompiledRule rule, List<String> stepNames, List<RuleInput> window) {
        if (stepNames == null || stepNames.isEmpty()) return true;
        if (!rule.isOrdered()) {
            long need = rule.stepsBits(stepNames);
            long have = 0;
            for (RuleInput f : window) have |= f.mask();
            return (have & need) == need;
        }
        // ordered: greedily find each step, in the rule's order, at or after the previous one
        long after = Long.MIN_VALUE;
        int pos = 0;
        for (int s = 0; s < rule.steps.size(); s++) {
            if (!stepNames.contains(rule.steps.get(s).name())) continue;
            long bit = rule.stepBit(s);
            boolean found = false;
            while (pos < window.size()) {
                RuleInput f = window.get(pos);
                if (f.time() >= after && (f.mask() & bit) != 0) {
                    after = f.time();
                    found = true;
                    break;
                }
                pos++;
            }
            if (!found) return false;
        }
        return true;
    }

    private static Detection detection(CompiledRule rule, List<RuleInput> window, AlertLevel level, int levelIndex,
                                       long since, List<String> reasons, RegionNames names) {
        List<Evidence> evidence = new ArrayList<>();
        TreeSet<String> sources = new TreeSet<>();
        RuleInput keyed = null;
        RuleInput located = null;
        String display = null;
        StringBuilder seen = new StringBuilder();
        for (int s = 0; s < rule.steps.size(); s++) {
            long bit = rule.stepBit(s);
            RuleInput first = null;
            int count = 0;
            for (RuleInput f : window) {
                if ((f.mask() & bit) == 0) continue;
                if (first == null) first = f;
                count++;
            }
            if (first == null) continue;
            if (!seen.isEmpty()) seen.append(";");
            String label = rule.steps.get(s).label() != null ? rule.steps.get(s).label() : rule.steps.get(s).name();
            seen.append(label).append(count > 1 ? count + "条" : "").append("(").append(Explain.time(first.time()));
            if (s == rule.nearStep && first.value() >= 0) seen.append(",距其约").append(Math.round(first.value())).append("米");
            else if (s == rule.nearStep) seen.append(",同一网格");
            seen.append(")");
        }
        for (RuleInput f : window) {
            List<String> steps = new ArrayList<>();
            for (int s = 0; s < rule.steps.size(); s++) if ((f.mask() & rule.stepBit(s)) != 0) steps.add(rule.steps.get(s).name());
            evidence.add(f.evidence(String.join(",", steps), null));
            sources.add(f.feed());
            boolean isNear = rule.nearStep >= 0 && (f.mask() & rule.keyedStepsBits()) == 0;
            if (!isNear) {
                // the subject is where its most precisely placed record puts it (not, e.g., where a petition was received)
                if (keyed == null || NearbySubjectMatcher.placesBetter(f, keyed)) keyed = f;
                if (f.hasLocation() && (located == null || NearbySubjectMatcher.placesBetter(f, located))) located = f;
            }
            if (f.subjectDisplay() != null && (display == null || !isNear)) display = f.subjectDisplay();
        }
        RuleInput newest = window.get(window.size() - 1);
        RuleInput anchor = keyed != null ? keyed : newest;
        GeoPoint location = located != null ? located.location() : null;
        AlertSubject subject = new AlertSubject(anchor.subjectType(), anchor.subjectKey(), display == null ? anchor.subjectKey() : display);
        LevelSpec spec = rule.levels.get(levelIndex);
        String needed = String.join("+", labels(rule, spec.steps()));
        StringBuilder ex = new StringBuilder();
        ex.append("【").append(rule.rule.title()).append("】").append(subject.display()).append(' ')
                .append(Explain.duration(rule.windowMillis)).append("内先后出现:").append(seen).append("。达到")
                .append(spec.level().label()).append("预警标准(").append(needed).append(")。");
        for (String reason : reasons) ex.append("因").append(reason).append(",升一级。");
        if (level != spec.level()) ex.append("当前预警级别:").append(level.label()).append("。");
        ex.append("来源:").append(Explain.feeds(sources)).append(",共").append(window.size()).append("条记录。");
        EventRegion region = anchor.region();
        return new Detection(rule.id, rule.rule.title(), SignalKind.CORRELATION, subject, level,
                rule.rule.title() + " · " + subject.display(), needed, ex.toString(), since, newest.time(),
                newest.time() + rule.windowMillis, (double) sources.size(), null, null,
                Explain.capped(evidence, rule.evidenceCap), evidence.size(), new ArrayList<>(sources), region,
                location != null ? location : newest.location(), rule.cooldownMillis, rule.evidenceCap);
    }

    private static List<String> labels(CompiledRule rule, List<String> names) {
        List<String> out = new ArrayList<>();
        for (var s : rule.steps) if (names.contains(s.name())) out.add(s.label() != null ? s.label() : s.name());
        return out;
    }
}

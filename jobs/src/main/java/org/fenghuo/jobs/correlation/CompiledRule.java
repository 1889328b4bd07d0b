package org.fenghuo.jobs.correlation;

import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EnterpriseRef;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.PersonRef;
import org.fenghuo.core.rules.Aggregate;
import org.fenghuo.core.rules.EventMatcher;
import org.fenghuo.core.rules.KeySpec;
import org.fenghuo.core.rules.LevelSpec;
import org.fenghuo.core.rules.PointsSpec;
import org.fenghuo.core.rules.Raise;
import org.fenghuo.core.rules.Rule;
import org.fenghuo.core.rules.RuleKind;
import org.fenghuo.core.rules.StepSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A validated {@link Rule} turned into what the router and detectors evaluate per event: compiled filters, key
 * extraction, and a bit per condition so that detectors can test conditions on stored evidence without the full
 * event. Bits: THRESHOLD — one per level ({@code anyEvidence}), then one per raise; CORRELATION — one per step, then
 * one per raise.
 */
final class CompiledRule {
    final Rule rule;
    final String id;
    final RuleKind kind;
    final long windowMillis;
    final long cooldownMillis;
    final int evidenceCap;
    final List<LevelSpec> levels;
    final List<Raise> raises;
    final List<StepSpec> steps;
    /** index of the step with {@code near}, or -1 */
    final int nearStep;

    private final Predicate<NormalizedEvent> match;
    private final List<Predicate<NormalizedEvent>> levelConditions = new ArrayList<>();
    private final List<Predicate<NormalizedEvent>> raiseConditions = new ArrayList<>();
    private final List<Predicate<NormalizedEvent>> stepConditions = new ArrayList<>();
    private final List<Predicate<NormalizedEvent>> pointConditions = new ArrayList<>();
    private final double[] points;
    private final Aggregate.Function aggregate;
    private final String aggregateField;
    private final Set<String> riskEntities;

    CompiledRule(Rule rule) {
        this.rule = rule;
        this.id = rule.id();
        this.kind = rule.kind();
        this.windowMillis = rule.window() == null ? 0 : rule.window().toMillis();
        this.cooldownMillis = rule.cooldownOrDefault().toMillis();
        this.evidenceCap = rule.evidenceCapOrDefault();
        this.levels = rule.levels() == null ? List.of() : rule.levels();
        this.raises = rule.raise() == null ? List.of() : rule.raise();
        this.steps = rule.steps() == null ? List.of() : rule.steps();
        this.match = rule.match() == null ? e -> true : EventMatcher.compile(rule.match());
        for (LevelSpec l : levels) levelConditions.add(l.anyEvidence() == null ? null : EventMatcher.compile(l.anyEvidence()));
        for (Raise r : raises) raiseConditions.add(EventMatcher.compile(r.when()));
        int near = -1;
        for (int i = 0; i < steps.size(); i++) {
            stepConditions.add(EventMatcher.compile(steps.get(i).match()));
            if (steps.get(i).near() != null) near = i;
        }
        this.nearStep = near;
        List<PointsSpec> ps = rule.risk() == null || rule.risk().points() == null ? List.of() : rule.risk().points();
        this.points = new double[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            pointConditions.add(ps.get(i).match() == null ? e -> true : EventMatcher.compile(ps.get(i).match()));
            points[i] = ps.get(i).points();
        }
        this.aggregate = rule.aggregate() == null || rule.aggregate().function() == null ? Aggregate.Function.COUNT : rule.aggregate().function();
        this.aggregateField = rule.aggregate() == null ? null : rule.aggregate().field();
        this.riskEntities = rule.risk() == null || rule.risk().entities() == null ? Set.of() : new HashSet<>(rule.risk().entities());
    }

    /** Whether the event concerns this rule at all (for CORRELATION: any step; for RISK_SCORE: any points). */
    boolean matches(NormalizedEvent e) {
        switch (kind) {
            case CORRELATION -> {
                for (Predicate<NormalizedEvent> p : stepConditions) if (p.test(e)) return true;
                return false;
            }
            case RISK_SCORE -> {
                return points(e) > 0;
            }
            default -> {
                return match.test(e);
            }
        }
    }

    long mask(NormalizedEvent e) {
        long m = 0;
        int bit = 0;
        if (kind == RuleKind.CORRELATION) {
            for (Predicate<NormalizedEvent> p : stepConditions) {
                if (p.test(e)) m |= 1L << bit;
                bit++;
            }
        } else {
            for (Predicate<NormalizedEvent> p : levelConditions) {
                if (p != null && p.test(e)) m |= 1L << bit;
                bit++;
            }
        }
        for (Predicate<NormalizedEvent> p : raiseConditions) {
            if (p.test(e)) m |= 1L << bit;
            bit++;
        }
        return m;
    }

    /** Bit of level {@code i}'s {@code anyEvidence} (THRESHOLD) — the level has no such condition if null. */
    long levelBit(int i) {
        return levels.get(i).anyEvidence() == null ? 0 : 1L << i;
    }

    long stepBit(int i) {
        return 1L << i;
    }

    long raiseBit(int j) {
        int base = kind == RuleKind.CORRELATION ? steps.size() : levels.size();
        return 1L << (base + j);
    }

    /** Mask bits of all steps named in a level. */
    long stepsBits(List<String> names) {
        long m = 0;
        for (String n : names) {
            for (int i = 0; i < steps.size(); i++) if (steps.get(i).name().equals(n)) m |= stepBit(i);
        }
        return m;
    }

    /** Bits of the steps that are not near-steps. */
    long keyedStepsBits() {
        long m = 0;
        for (int i = 0; i < steps.size(); i++) if (i != nearStep) m |= stepBit(i);
        return m;
    }

    double points(NormalizedEvent e) {
        double sum = 0;
        for (int i = 0; i < points.length; i++) if (pointConditions.get(i).test(e)) sum += points[i];
        return sum;
    }

    double value(NormalizedEvent e) {
        if (aggregate == Aggregate.Function.COUNT || aggregateField == null) return 1;
        Double v = numericField(e, aggregateField);
        return v == null ? Double.NaN : v;
    }

    Aggregate.Function aggregate() { return aggregate; }

    boolean isOrdered() { return rule.isOrdered(); }

    String aggregateField() { return aggregateField; }

    boolean scoresEntity(String type) { return riskEntities.contains(type); }

    /** The key specs in order of preference. */
    List<KeySpec> keys() {
        return rule.key() == null ? List.of() : rule.key();
    }

    /** A subject an event is counted under. */
    record Subject(SubjectType type, String key, String display) {}

    /**
     * The subjects of an event under one key spec: enterprises and people (linkable keys only), the region at a level,
     * or none when the event lacks it.
     */
    static List<Subject> subjects(KeySpec spec, NormalizedEvent e, RegionNames names) {
        List<Subject> out = new ArrayList<>(1);
        if ("ENTERPRISE".equals(spec.entity())) {
            if (e.enterprises() != null) {
                for (EnterpriseRef ent : e.enterprises()) {
                    if (ent.key() != null && ent.verified()) {
                        out.add(new Subject(SubjectType.ENTERPRISE, ent.key(), ent.name() != null ? ent.name() : ent.creditCode()));
                    }
                }
            }
        } else if ("PERSON".equals(spec.entity())) {
            if (e.persons() != null) {
                for (PersonRef p : e.persons()) {
                    if (p.key() == null) continue;
                    if (spec.roles() != null && !spec.roles().isEmpty() && !spec.roles().contains(p.role())) continue;
                    out.add(new Subject(SubjectType.PERSON, p.key(), personDisplay(p)));
                }
            }
        } else if (spec.region() != null) {
            String code = regionAt(e, spec.region());
            if (code != null) out.add(new Subject(SubjectType.REGION, "REG:" + code, names.name(code)));
        }
        return out;
    }

    static String personDisplay(PersonRef p) {
        String masked = p.name() != null ? p.name() : p.idNumber() != null ? p.idNumber() : p.phone();
        return masked == null ? "身份不详人员" : masked;
    }

    static String regionAt(NormalizedEvent e, String level) {
        return codeAt(e.region(), level);
    }

    /** A region's code at an administrative level (GRID … DISTRICT); null when unknown or for CITY. */
    static String codeAt(EventRegion r, String level) {
        if (r == null) return null;
        return switch (level) {
            case "GRID" -> r.grid();
            case "COMMUNITY" -> r.community();
            case "STREET" -> r.street();
            case "DISTRICT" -> r.district();
            default -> null;
        };
    }

    static Double numericField(NormalizedEvent e, String field) {
        return org.fenghuo.core.rules.EventFields.find(field)
                .map(f -> f.number(e)).filter(v -> !Double.isNaN(v)).orElse(null);
    }

}

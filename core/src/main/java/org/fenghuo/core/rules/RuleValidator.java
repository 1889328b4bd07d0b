package org.fenghuo.core.rules;

import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.feed.Feed;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.fenghuo.core.rules.RuleKind.BASELINE;
import static org.fenghuo.core.rules.RuleKind.CORRELATION;
import static org.fenghuo.core.rules.RuleKind.RISK_SCORE;
import static org.fenghuo.core.rules.RuleKind.THRESHOLD;

/**
 * Checks rules before they are used, and says precisely what is wrong: every problem is found (not only the first),
 * each with the rule id, the path of the field inside the rule and the reason. The rules are those of
 * {@code docs/rules.md}; a rule that passes can be compiled ({@link EventMatcher}) and run without further checks.
 */
public final class RuleValidator {
    private RuleValidator() {}

    /** Lower-case words of letters and digits joined by single dots or dashes, e.g. {@code labor.wage-arrears-escalation}. */
    public static final Pattern ID_PATTERN = Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*");
    public static final int MAX_ID_LENGTH = 80;
    /** Largest distance a key or a step may name, in metres. */
    public static final double MAX_METRES = 50_000;
    /** There are four feeds, so at most four distinct sources. */
    public static final int MAX_SOURCES = Feed.values().length;
    public static final int MAX_RAISE_BY = 3;
    public static final int MAX_EVIDENCE_CAP = 1000;
    public static final List<String> KEY_ENTITIES = List.of("ENTERPRISE", "PERSON");
    public static final List<String> PERSON_ROLES = List.of("PETITIONER", "CALLER", "COMPLAINANT", "SUBJECT");
    public static final List<String> REGION_LEVELS = List.of("GRID", "COMMUNITY", "STREET", "DISTRICT");
    public static final List<String> RISK_ENTITIES = List.of("ENTERPRISE", "PERSON", "PLACE");
    public static final List<String> BASELINE_PERIODS = List.of("DAY", "HOUR");
    private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String LEVEL_NAMES = Arrays.stream(AlertLevel.values()).map(Enum::name).collect(Collectors.joining(", "));

    /** The problems of one rule (empty when it is valid). */
    public static List<RuleProblem> validate(Rule rule) {
        if (rule == null) return List.of(new RuleProblem(null, null, "empty rule"));
        Ctx c = new Ctx(isBlank(rule.id()) ? null : rule.id());
        checkRule(c, rule);
        return List.copyOf(c.problems);
    }

    /** The problems of a whole rule set: its version, every rule, and ids used twice. */
    public static List<RuleProblem> validate(RuleSet set) {
        if (set == null) return List.of(new RuleProblem(null, null, "no rules"));
        return validateRules(set.version(), set.rules(), Map.of());
    }

    /**
     * As {@link #validate(RuleSet)}, for a list that may hold nulls where a rule could not be read: the problems
     * already found for such an index (by the reader) are listed in its place instead of checking it.
     */
    static List<RuleProblem> validateRules(Integer version, List<Rule> rules, Map<Integer, RuleProblem> alreadyFound) {
        List<RuleProblem> all = new ArrayList<>();
        if (version != null && version < 1) all.add(new RuleProblem(null, "version", "must be at least 1, got " + version));
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            if (alreadyFound.containsKey(i)) {
                all.add(alreadyFound.get(i));
                continue;
            }
            Rule r = rules.get(i);
            String at = "rules[" + i + "]";
            if (r == null) {
                all.add(new RuleProblem(null, at, "empty rule"));
                continue;
            }
            boolean anonymous = isBlank(r.id());
            for (RuleProblem p : validate(r)) all.add(anonymous ? p.under(at) : p);
            if (!anonymous) {
                Integer first = firstIndex.putIfAbsent(r.id(), i);
                if (first != null) {
                    all.add(new RuleProblem(r.id(), "id", "duplicate id: rules[" + first + "] and " + at + " have the same id"));
                }
            }
        }
        return all;
    }

    // ---------------------------------------------------------------------------------------------------- the rule

    private static void checkRule(Ctx c, Rule r) {
        if (isBlank(r.id())) {
            c.add("id", "required: lower-case words joined by '.' or '-', e.g. petition.repeat");
        } else if (r.id().length() > MAX_ID_LENGTH) {
            c.add("id", "must be at most " + MAX_ID_LENGTH + " characters, got " + r.id().length());
        } else if (!ID_PATTERN.matcher(r.id()).matches()) {
            c.add("id", "must be lower-case letters and digits in words joined by '.' or '-' (e.g. petition.repeat), got '"
                    + r.id() + "'");
        }
        RuleKind kind = r.kind();
        if (kind == null) c.add("kind", "required: one of " + names(RuleKind.values()));
        if (isBlank(r.title())) c.add("title", "required: the Chinese name duty officers read, e.g. 重复信访");
        if (r.evidenceCap() != null && (r.evidenceCap() < 1 || r.evidenceCap() > MAX_EVIDENCE_CAP)) {
            c.add("evidenceCap", "must be between 1 and " + MAX_EVIDENCE_CAP + ", got " + r.evidenceCap());
        }
        if (r.cooldown() != null && r.cooldown().isNegative()) {
            c.add("cooldown", "must not be negative, got " + r.cooldown());
        }

        if (section(c, kind, "match", r.match() != null, EnumSet.of(THRESHOLD, BASELINE), EnumSet.of(THRESHOLD, BASELINE))) {
            checkMatch(c, "match", r.match(), null);
        }
        if (section(c, kind, "key", r.key() != null, EnumSet.of(THRESHOLD, CORRELATION), EnumSet.of(THRESHOLD, CORRELATION))) {
            checkKeys(c, r.key(), kind);
        }
        if (section(c, kind, "window", r.window() != null, EnumSet.of(THRESHOLD, CORRELATION), EnumSet.of(THRESHOLD, CORRELATION))) {
            positive(c, "window", r.window());
        }
        if (section(c, kind, "aggregate", r.aggregate() != null, EnumSet.of(THRESHOLD), EnumSet.noneOf(RuleKind.class))) {
            checkAggregate(c, r.aggregate());
        }
        Set<String> stepNames = null;
        if (section(c, kind, "steps", r.steps() != null, EnumSet.of(CORRELATION), EnumSet.of(CORRELATION))) {
            stepNames = checkSteps(c, r.steps());
        }
        // ordered: false is the default and harmless anywhere; ordered: true only means something for CORRELATION
        section(c, kind, "ordered", Boolean.TRUE.equals(r.ordered()), EnumSet.of(CORRELATION), EnumSet.noneOf(RuleKind.class));
        if (section(c, kind, "levels", r.levels() != null, EnumSet.of(THRESHOLD, CORRELATION, RISK_SCORE),
                EnumSet.of(THRESHOLD, CORRELATION, RISK_SCORE))) {
            checkLevels(c, kind, r.levels(), stepNames);
        }
        if (section(c, kind, "baseline", r.baseline() != null, EnumSet.of(BASELINE), EnumSet.of(BASELINE))) {
            checkBaseline(c, r.baseline());
        }
        if (section(c, kind, "risk", r.risk() != null, EnumSet.of(RISK_SCORE), EnumSet.of(RISK_SCORE))) {
            checkRisk(c, r.risk());
        }
        if (r.raise() != null) checkRaise(c, r.raise());
    }

    /**
     * Whether a section is present and belongs to the rule's kind (so that its contents should be checked); reports a
     * missing required section and a section the kind does not use.
     */
    private static boolean section(Ctx c, RuleKind kind, String name, boolean present, Set<RuleKind> allowed,
                                   Set<RuleKind> required) {
        if (kind == null) return present;
        if (!present) {
            if (required.contains(kind)) c.add(name, "required for a " + kind + " rule" + requiredHint(name));
            return false;
        }
        if (!allowed.contains(kind)) {
            c.add(name, "not used by " + kind + " rules" + forbiddenHint(kind, name) + " (only by " + names(allowed) + "); remove it");
            return false;
        }
        return true;
    }

    private static String requiredHint(String section) {
        return switch (section) {
            case "match" -> ": which events it looks at ({} for every event)";
            case "key" -> ": what it counts per, e.g. [{entity: ENTERPRISE}] or [{region: COMMUNITY}]";
            case "window" -> ": an ISO-8601 duration such as PT24H";
            case "levels" -> ": at least one level, least severe first";
            case "steps" -> ": at least 2 steps, each with a name and a match";
            case "baseline" -> ": {period, history, guardBand, minCount, pValue, levelByRegion}";
            case "risk" -> ": {entities, halfLife, sourceCap, points}";
            default -> "";
        };
    }

    private static String forbiddenHint(RuleKind kind, String section) {
        return switch (section) {
            case "levels" -> kind == BASELINE ? ": levels come from baseline.levelByRegion" : "";
            case "match" -> kind == CORRELATION ? ": each step has its own match"
                    : kind == RISK_SCORE ? ": each risk.points entry has its own match" : "";
            case "window" -> kind == BASELINE ? ": the baseline uses period, history and guardBand"
                    : kind == RISK_SCORE ? ": points decay with risk.halfLife" : "";
            case "key" -> kind == BASELINE ? ": a baseline counts per region (baseline.levelByRegion)"
                    : kind == RISK_SCORE ? ": risk.entities says what is scored" : "";
            default -> "";
        };
    }

    // ---------------------------------------------------------------------------------------------------- levels

    private static void checkLevels(Ctx c, RuleKind kind, List<LevelSpec> levels, Set<String> stepNames) {
        if (levels.isEmpty()) {
            c.add("levels", "needs at least one level");
            return;
        }
        AlertLevel highest = null;
        for (int i = 0; i < levels.size(); i++) {
            String p = "levels[" + i + "]";
            LevelSpec l = levels.get(i);
            if (l == null) {
                c.add(p, "empty level");
                continue;
            }
            if (l.level() == null) {
                c.add(p + ".level", "required: one of " + LEVEL_NAMES);
            } else {
                if (highest != null && l.level().compareTo(highest) <= 0) {
                    c.add(p + ".level", "levels must be listed least severe first, each more severe than the ones before: "
                            + l.level() + " after " + highest);
                }
                highest = AlertLevel.max(highest, l.level());
            }
            if (kind == CORRELATION) {
                if (l.atLeast() != null) {
                    c.add(p + ".atLeast", "not used by CORRELATION rules: a level is reached when all its steps have been seen");
                }
            } else if (kind == THRESHOLD || kind == RISK_SCORE) {
                if (l.atLeast() == null) {
                    c.add(p + ".atLeast", "required: the " + (kind == THRESHOLD ? "count (or sum, maximum)" : "risk score")
                            + " that reaches " + (l.level() == null ? "this level" : l.level()));
                } else {
                    positive(c, p + ".atLeast", l.atLeast());
                }
            }
            if (l.sources() != null && (l.sources() < 1 || l.sources() > MAX_SOURCES)) {
                c.add(p + ".sources", "must be between 1 and " + MAX_SOURCES + " (the number of feeds), got " + l.sources());
            }
            if (kind == CORRELATION) {
                checkLevelSteps(c, p + ".steps", l.steps(), stepNames);
            } else if (l.steps() != null && kind != null) {
                c.add(p + ".steps", "only CORRELATION rules have steps");
            }
            if (l.anyEvidence() != null) checkMatch(c, p + ".anyEvidence", l.anyEvidence(), null);
        }
    }

    private static void checkLevelSteps(Ctx c, String p, List<String> steps, Set<String> stepNames) {
        if (steps == null || steps.isEmpty()) {
            c.add(p, "required: the steps that must all have been seen for this level, e.g. [labour, petition]");
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int j = 0; j < steps.size(); j++) {
            String s = steps.get(j);
            if (isBlank(s)) {
                c.add(p + "[" + j + "]", "empty step name");
            } else if (stepNames != null && !stepNames.contains(s)) {
                c.add(p + "[" + j + "]", "unknown step '" + s + "': the rule's steps are " + String.join(", ", stepNames));
            } else if (!seen.add(s)) {
                c.add(p + "[" + j + "]", "step '" + s + "' is listed twice");
            }
        }
    }

    private static void checkRaise(Ctx c, List<Raise> raises) {
        if (raises.isEmpty()) {
            c.add("raise", "must not be empty: leave it out when nothing raises the level");
            return;
        }
        for (int i = 0; i < raises.size(); i++) {
            String p = "raise[" + i + "]";
            Raise r = raises.get(i);
            if (r == null) {
                c.add(p, "empty entry");
                continue;
            }
            if (r.when() == null) c.add(p + ".when", "required: the evidence that raises the level");
            else checkMatch(c, p + ".when", r.when(), null);
            if (r.by() != null && (r.by() < 1 || r.by() > MAX_RAISE_BY)) {
                c.add(p + ".by", "must be between 1 and " + MAX_RAISE_BY + " levels, got " + r.by());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- sections

    private static void checkAggregate(Ctx c, Aggregate a) {
        if (a.function() == null) {
            c.add("aggregate.function", "required: COUNT, SUM or MAX");
            return;
        }
        if (a.function() == Aggregate.Function.COUNT) {
            if (a.field() != null) {
                c.add("aggregate.field", "COUNT counts events and takes no field; use SUM or MAX to add up or take the largest "
                        + a.field());
            }
            return;
        }
        List<String> numbers = EventFields.numberPaths();
        if (isBlank(a.field())) {
            c.add("aggregate.field", "required for " + a.function() + ": a number field, one of " + String.join(", ", numbers));
            return;
        }
        var field = EventFields.find(a.field());
        if (field.isEmpty()) {
            c.add("aggregate.field", "unknown field '" + a.field() + "': must be one of " + String.join(", ", numbers));
        } else if (field.get().type() != EventFields.Type.NUMBER) {
            c.add("aggregate.field", a.function() + " needs a number field, one of " + String.join(", ", numbers)
                    + "; got '" + a.field() + "'");
        }
    }

    private static void checkKeys(Ctx c, List<KeySpec> keys, RuleKind kind) {
        if (keys.isEmpty()) {
            c.add("key", "needs at least one entry, e.g. [{entity: ENTERPRISE}]");
            return;
        }
        Map<KeySpec, Integer> first = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String p = "key[" + i + "]";
            KeySpec k = keys.get(i);
            if (k == null) {
                c.add(p, "empty key");
                continue;
            }
            List<String> given = new ArrayList<>();
            if (k.entity() != null) given.add("entity");
            if (k.region() != null) given.add("region");
            if (k.place() != null) given.add("place");
            if (given.isEmpty()) {
                c.add(p, "give exactly one of entity (" + String.join(", ", KEY_ENTITIES) + "), region ("
                        + String.join(", ", REGION_LEVELS) + ") or place (metres)");
            } else if (given.size() > 1) {
                c.add(p, "give only one of entity, region, place; got " + String.join(" and ", given));
            }
            if (k.entity() != null && !KEY_ENTITIES.contains(k.entity())) {
                c.add(p + ".entity", oneOf(KEY_ENTITIES, k.entity()));
            }
            if (k.region() != null && !REGION_LEVELS.contains(k.region())) {
                c.add(p + ".region", oneOf(REGION_LEVELS, k.region()));
            }
            if (k.place() != null) {
                if (kind == CORRELATION) {
                    c.add(p + ".place", "not used by CORRELATION rules: key them by entity or region, and give a distance in a step's near");
                } else {
                    metres(c, p + ".place", k.place());
                }
            }
            if (k.roles() != null) {
                if (!"PERSON".equals(k.entity())) {
                    c.add(p + ".roles", "only with entity: PERSON");
                } else if (k.roles().isEmpty()) {
                    c.add(p + ".roles", "must not be empty: leave it out for people in every role");
                } else {
                    for (int j = 0; j < k.roles().size(); j++) {
                        String role = k.roles().get(j);
                        if (!PERSON_ROLES.contains(role)) c.add(p + ".roles[" + j + "]", oneOf(PERSON_ROLES, role));
                    }
                }
            }
            Integer dup = first.putIfAbsent(k, i);
            if (dup != null) c.add(p, "the same key as key[" + dup + "]");
        }
    }

    private static Set<String> checkSteps(Ctx c, List<StepSpec> steps) {
        Set<String> names = new LinkedHashSet<>();
        if (steps.size() < 2) c.add("steps", "a CORRELATION rule needs at least 2 steps, got " + steps.size());
        Map<String, Integer> firstIndex = new HashMap<>();
        Integer nearAt = null;
        for (int i = 0; i < steps.size(); i++) {
            String p = "steps[" + i + "]";
            StepSpec s = steps.get(i);
            if (s == null) {
                c.add(p, "empty step");
                continue;
            }
            if (isBlank(s.name())) {
                c.add(p + ".name", "required: a short name the levels refer to, e.g. labour");
            } else if (!STEP_NAME.matcher(s.name()).matches()) {
                c.add(p + ".name", "must be letters, digits, '-' or '_', got '" + s.name() + "'");
            } else {
                Integer first = firstIndex.putIfAbsent(s.name(), i);
                if (first != null) c.add(p + ".name", "duplicate step name '" + s.name() + "' (also steps[" + first + "])");
                names.add(s.name());
            }
            if (s.match() == null) c.add(p + ".match", "required: which events satisfy this step ({} for every event)");
            else checkMatch(c, p + ".match", s.match(), null);
            if (s.near() != null) {
                if (s.near().metres() == null) {
                    c.add(p + ".near.metres", "required: the distance in metres from the subject's known location");
                } else {
                    metres(c, p + ".near.metres", s.near().metres());
                }
                if (nearAt != null) c.add(p + ".near", "at most one step may have near; steps[" + nearAt + "] has one already");
                else nearAt = i;
            }
        }
        return names;
    }

    private static void checkBaseline(Ctx c, BaselineSpec b) {
        Duration unit = Duration.ofDays(1);
        if (b.period() != null && !BASELINE_PERIODS.contains(b.period())) {
            c.add("baseline.period", oneOf(BASELINE_PERIODS, b.period()));
        } else if ("HOUR".equals(b.period())) {
            unit = Duration.ofHours(1);
        }
        if (b.zone() != null) {
            try {
                ZoneOffset.of(b.zone());
            } catch (DateTimeException e) {
                c.add("baseline.zone", "must be a UTC offset such as +08:00, got '" + b.zone() + "'");
            }
        }
        Duration history = b.historyOrDefault();
        Duration guard = b.guardBandOrDefault();
        String historyField = b.history() != null ? "baseline.history" : "baseline.guardBand";
        boolean guardOk = true;
        if (guard.isNegative()) {
            c.add("baseline.guardBand", "must not be negative, got " + guard);
            guardOk = false;
        } else if (!isWhole(guard, unit)) {
            c.add("baseline.guardBand", "must be a whole number of periods (" + RulesFile.formatDuration(unit) + "), got " + guard);
        }
        if (history.isZero() || history.isNegative()) {
            c.add("baseline.history", "must be longer than zero, got " + history);
        } else {
            Duration min = unit.multipliedBy(7);
            if (history.compareTo(min) < 0) {
                c.add("baseline.history", "must cover at least 7 periods (" + RulesFile.formatDuration(min) + " for period "
                        + b.periodOrDefault() + "), got " + RulesFile.formatDuration(history));
            } else if (!isWhole(history, unit)) {
                c.add("baseline.history", "must be a whole number of periods (" + RulesFile.formatDuration(unit) + "), got " + history);
            }
            if (guardOk && history.compareTo(guard) <= 0) {
                c.add(historyField, "history (" + RulesFile.formatDuration(history) + ") must be longer than guardBand ("
                        + RulesFile.formatDuration(guard) + ")");
            }
        }
        if (b.minCount() != null && b.minCount() < 1) c.add("baseline.minCount", "must be at least 1, got " + b.minCount());
        if (b.pValue() != null && !(b.pValue() > 0 && b.pValue() < 1)) {
            c.add("baseline.pValue", "must be between 0 and 1 (both excluded), got " + fmt(b.pValue()));
        }
        if (b.zScore() != null) positive(c, "baseline.zScore", b.zScore());
        Map<String, AlertLevel> byRegion = b.levelByRegion();
        if (byRegion == null || byRegion.isEmpty()) {
            c.add("baseline.levelByRegion", "required: the region levels compared and the level each gives, e.g. "
                    + "{COMMUNITY: YELLOW, STREET: ORANGE}");
        } else {
            byRegion.forEach((region, level) -> {
                if (!REGION_LEVELS.contains(region)) {
                    c.add("baseline.levelByRegion." + region, "unknown region level '" + region + "': must be one of "
                            + String.join(", ", REGION_LEVELS));
                }
                if (level == null) c.add("baseline.levelByRegion." + region, "required: one of " + LEVEL_NAMES);
            });
        }
    }

    private static void checkRisk(Ctx c, RiskSpec r) {
        if (r.entities() == null || r.entities().isEmpty()) {
            c.add("risk.entities", "required: one or more of " + String.join(", ", RISK_ENTITIES));
        } else {
            Set<String> seen = new LinkedHashSet<>();
            for (int j = 0; j < r.entities().size(); j++) {
                String e = r.entities().get(j);
                if (!RISK_ENTITIES.contains(e)) c.add("risk.entities[" + j + "]", oneOf(RISK_ENTITIES, e));
                else if (!seen.add(e)) c.add("risk.entities[" + j + "]", e + " is listed twice");
            }
        }
        if (r.halfLife() == null) c.add("risk.halfLife", "required: after how long points count half, e.g. P7D");
        else positive(c, "risk.halfLife", r.halfLife());
        if (r.sourceCap() != null) positive(c, "risk.sourceCap", r.sourceCap());
        if (r.floor() != null && !(Double.isFinite(r.floor()) && r.floor() >= 0)) {
            c.add("risk.floor", "must be zero or a positive number, got " + fmt(r.floor()));
        }
        if (r.points() == null || r.points().isEmpty()) {
            c.add("risk.points", "required: at least one entry {match, points}");
            return;
        }
        for (int j = 0; j < r.points().size(); j++) {
            String p = "risk.points[" + j + "]";
            PointsSpec ps = r.points().get(j);
            if (ps == null) {
                c.add(p, "empty entry");
                continue;
            }
            if (ps.match() == null) c.add(p + ".match", "required: which events earn the points ({} for every event)");
            else checkMatch(c, p + ".match", ps.match(), null);
            if (ps.points() == null) c.add(p + ".points", "required: a positive number");
            else positive(c, p + ".points", ps.points());
        }
    }

    // ---------------------------------------------------------------------------------------------------- filters

    /**
     * @param context the feeds an enclosing match already restricts to (null: any); categories and subcategories
     *                are checked against them
     */
    private static void checkMatch(Ctx c, String path, Match m, Set<Feed> context) {
        Set<Feed> effective = context;
        if (m.feed() != null) {
            if (m.feed().isEmpty()) c.add(path + ".feed", "must not be empty: leave it out to match every feed");
            Set<Feed> listed = EnumSet.noneOf(Feed.class);
            for (int j = 0; j < m.feed().size(); j++) {
                String v = m.feed().get(j);
                var feed = v == null ? java.util.Optional.<Feed>empty() : Feed.byId(v);
                if (feed.isPresent()) listed.add(feed.get());
                else c.add(path + ".feed[" + j + "]", "unknown feed '" + v + "': must be one of "
                        + String.join(", ", FeedVocabulary.feedIds()));
            }
            if (!listed.isEmpty()) {
                if (context == null) {
                    effective = listed;
                } else {
                    Set<Feed> both = EnumSet.copyOf(listed);
                    both.retainAll(context);
                    if (both.isEmpty()) {
                        c.add(path + ".feed", "can never match: the enclosing match only admits " + feedIds(context));
                        effective = listed;
                    } else {
                        effective = both;
                    }
                }
            }
        }
        if (m.category() != null) {
            if (m.category().isEmpty()) c.add(path + ".category", "must not be empty: leave it out to match every category");
            for (int j = 0; j < m.category().size(); j++) {
                String v = m.category().get(j);
                if (v != null && isAllowed(v, effective, true)) continue;
                c.add(path + ".category[" + j + "]", (v == null || !FeedVocabulary.allCategories().contains(v)
                        ? "unknown category '" + v + "'" : "'" + v + "' is not a category of " + feedIds(effective))
                        + ": must be one of " + vocabulary(effective, true));
            }
        }
        if (m.subcategory() != null) {
            if (m.subcategory().isEmpty()) c.add(path + ".subcategory", "must not be empty: leave it out to match every subcategory");
            boolean none = effective != null && effective.stream().allMatch(f -> FeedVocabulary.subcategories(f).isEmpty());
            if (none) {
                c.add(path + ".subcategory", feedIds(effective) + " records have no subcategory (only petition channels "
                        + "and labour record kinds do)");
            } else {
                for (int j = 0; j < m.subcategory().size(); j++) {
                    String v = m.subcategory().get(j);
                    if (v != null && isAllowed(v, effective, false)) continue;
                    c.add(path + ".subcategory[" + j + "]", (v == null || !FeedVocabulary.allSubcategories().contains(v)
                            ? "unknown subcategory '" + v + "'" : "'" + v + "' is not a subcategory of " + feedIds(effective))
                            + ": must be one of " + vocabulary(effective, false));
                }
            }
        }
        if (m.where() != null) {
            if (m.where().isEmpty()) c.add(path + ".where", "must not be empty: leave it out when there are no conditions");
            for (int j = 0; j < m.where().size(); j++) checkCondition(c, path + ".where[" + j + "]", m.where().get(j));
        }
        if (m.anyOf() != null) {
            if (m.anyOf().isEmpty()) c.add(path + ".anyOf", "must not be empty: give at least one alternative, or leave it out");
            for (int j = 0; j < m.anyOf().size(); j++) {
                Match alt = m.anyOf().get(j);
                if (alt == null) c.add(path + ".anyOf[" + j + "]", "empty alternative (write {} for every event)");
                else checkMatch(c, path + ".anyOf[" + j + "]", alt, effective);
            }
        }
    }

    private static void checkCondition(Ctx c, String p, FieldCondition fc) {
        if (fc == null) {
            c.add(p, "empty condition");
            return;
        }
        if (isBlank(fc.field())) {
            c.add(p + ".field", "required: one of " + String.join(", ", EventFields.paths()));
            return;
        }
        var found = EventFields.find(fc.field());
        if (found.isEmpty()) {
            c.add(p + ".field", "unknown field '" + fc.field() + "': must be one of " + String.join(", ", EventFields.paths()));
            return;
        }
        EventFields.Field f = found.get();
        boolean hasBounds = fc.gte() != null || fc.gt() != null || fc.lte() != null || fc.lt() != null;
        if (fc.in() == null && !hasBounds && fc.exists() == null) {
            c.add(p, "give at least one of in, gte, gt, lte, lt, exists");
            return;
        }
        if (Boolean.FALSE.equals(fc.exists()) && (fc.in() != null || hasBounds)) {
            c.add(p + ".exists", "exists: false cannot be combined with in or bounds (a missing field fails them)");
        }
        if (f.type() == EventFields.Type.NUMBER) {
            if (fc.in() != null) {
                c.add(p + ".in", "only for text fields: " + f.path() + " is a number, use gte, gt, lte or lt");
            }
            checkBounds(c, p, fc);
            return;
        }
        String use = switch (f.type()) {
            case BOOLEAN -> "is true/false: use in: [true] or in: [false]";
            case STRING_LIST -> "is a list of flags: use in";
            default -> "is text: use in";
        };
        String[] bounds = {"gte", "gt", "lte", "lt"};
        Double[] values = {fc.gte(), fc.gt(), fc.lte(), fc.lt()};
        for (int b = 0; b < bounds.length; b++) {
            if (values[b] != null) {
                c.add(p + "." + bounds[b], "only for number fields (" + String.join(", ", EventFields.numberPaths()) + "); "
                        + f.path() + " " + use);
            }
        }
        if (fc.in() == null) return;
        if (fc.in().isEmpty()) {
            c.add(p + ".in", "must not be empty");
            return;
        }
        for (int j = 0; j < fc.in().size(); j++) {
            String v = fc.in().get(j);
            String at = p + ".in[" + j + "]";
            if (v == null) {
                c.add(at, "empty value");
            } else if (f.type() == EventFields.Type.BOOLEAN) {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    c.add(at, f.path() + " is true or false, got '" + v + "'");
                }
            } else if (!f.knownValues().isEmpty() && !f.knownValues().contains(v)) {
                c.add(at, "unknown value '" + v + "' for " + f.path() + ": must be one of " + String.join(", ", f.knownValues()));
            } else if (f.valuePattern() != null && !f.valuePattern().matcher(v).matches()) {
                c.add(at, "'" + v + "' is not a " + f.path() + " code (" + f.valuePattern().pattern() + ")");
            }
        }
    }

    private static void checkBounds(Ctx c, String p, FieldCondition fc) {
        String[] names = {"gte", "gt", "lte", "lt"};
        Double[] values = {fc.gte(), fc.gt(), fc.lte(), fc.lt()};
        boolean finite = true;
        for (int b = 0; b < names.length; b++) {
            if (values[b] != null && !Double.isFinite(values[b])) {
                c.add(p + "." + names[b], "must be a finite number, got " + values[b]);
                finite = false;
            }
        }
        if (!finite) return;
        double low = Double.NEGATIVE_INFINITY, high = Double.POSITIVE_INFINITY;
        boolean lowStrict = false, highStrict = false;
        if (fc.gte() != null) low = fc.gte();
        if (fc.gt() != null && fc.gt() >= low) {
            low = fc.gt();
            lowStrict = true;
        }
        if (fc.lte() != null) high = fc.lte();
        if (fc.lt() != null && fc.lt() <= high) {
            high = fc.lt();
            highStrict = true;
        }
        if (low > high || (low == high && (lowStrict || highStrict))) {
            c.add(p, "no number satisfies these bounds (" + fmt(low) + (lowStrict ? " excluded" : "") + " to " + fmt(high)
                    + (highStrict ? " excluded" : "") + ")");
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static boolean isAllowed(String value, Set<Feed> feeds, boolean category) {
        if (feeds == null) {
            return (category ? FeedVocabulary.allCategories() : FeedVocabulary.allSubcategories()).contains(value);
        }
        for (Feed f : feeds) {
            if ((category ? FeedVocabulary.categories(f) : FeedVocabulary.subcategories(f)).contains(value)) return true;
        }
        return false;
    }

    /** {@code petition: [WAGE_ARREARS, …]; labor-inspection: [COMPLAINT, …]}, limited to {@code feeds} when given. */
    private static String vocabulary(Set<Feed> feeds, boolean category) {
        Collection<Feed> list = feeds == null ? Arrays.asList(Feed.values()) : feeds;
        return list.stream()
                .filter(f -> !(category ? FeedVocabulary.categories(f) : FeedVocabulary.subcategories(f)).isEmpty())
                .map(f -> f.id() + ": " + String.join(", ", category ? FeedVocabulary.categories(f) : FeedVocabulary.subcategories(f)))
                .collect(Collectors.joining("; "));
    }

    private static String feedIds(Set<Feed> feeds) {
        return feeds.stream().map(Feed::id).collect(Collectors.joining(", "));
    }

    private static void positive(Ctx c, String field, Double v) {
        if (!(Double.isFinite(v) && v > 0)) c.add(field, "must be a positive number, got " + fmt(v));
    }

    private static void positive(Ctx c, String field, Duration d) {
        if (d.isZero() || d.isNegative()) c.add(field, "must be longer than zero, got " + d);
    }

    private static void metres(Ctx c, String field, Double v) {
        if (!(Double.isFinite(v) && v > 0 && v <= MAX_METRES)) {
            c.add(field, "must be a distance in metres above 0 and at most " + fmt(MAX_METRES) + ", got " + fmt(v));
        }
    }

    private static boolean isWhole(Duration d, Duration unit) {
        return d.toMillis() % unit.toMillis() == 0 && d.toNanos() % 1_000_000 == 0;
    }

    private static String oneOf(List<String> allowed, String got) {
        return "must be one of " + String.join(", ", allowed) + ", got '" + got + "'";
    }

    private static String names(Object[] values) {
        return Arrays.stream(values).map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String names(Set<RuleKind> kinds) {
        return kinds.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    /** {@code -3} rather than {@code -3.0}. */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    private static boolean isBlank(String s) { return s == null || s.isBlank(); }

    private static final class Ctx {
        final String ruleId;
        final List<RuleProblem> problems = new ArrayList<>();

        Ctx(String ruleId) { this.ruleId = ruleId; }

        void add(String field, String reason) { problems.add(new RuleProblem(ruleId, field, reason)); }
    }
}

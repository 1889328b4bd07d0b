package org.fenghuo.core.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rules a job is running: an immutable, validated rule set with its version, and the logic of changing it at run
 * time through {@code control.rules} ({@link RuleUpdate}). Applying an update never changes this book: it returns a
 * {@link Result} holding either the new book or the reason for refusing, which the job sends back as a STATUS
 * message ({@link Result#status}).
 *
 * <ul>
 *   <li>the new version is the one the request asks for when it gives one (it must be above the running version,
 *       else the request is refused as stale), or the running version + 1;</li>
 *   <li>a rule that does not pass {@link RuleValidator} is refused and the running rules stay as they were;</li>
 *   <li>ENABLE, DISABLE and DELETE of an id that is not running are refused;</li>
 *   <li>STATUS messages (the job's own answers, read back from the topic) are ignored, not refused.</li>
 * </ul>
 */
public final class RuleBook {
    private final int version;
    private final List<Rule> rules;
    private final Map<String, Rule> byId;
    private final List<Rule> enabled;

    private RuleBook(int version, List<Rule> rules) {
        this.version = version;
        this.rules = List.copyOf(rules);
        Map<String, Rule> m = new LinkedHashMap<>();
        for (Rule r : this.rules) m.put(r.id(), r);
        this.byId = Collections.unmodifiableMap(m);
        this.enabled = this.rules.stream().filter(Rule::isEnabled).toList();
    }

    /**
     * The book of a rule set (its version, default 1).
     *
     * @throws RulesFileException when the set does not validate
     */
    public static RuleBook of(RuleSet set) {
        List<RuleProblem> problems = RuleValidator.validate(set);
        if (!problems.isEmpty()) throw new RulesFileException("rule set", problems);
        return new RuleBook(set.versionOrDefault(), set.rules());
    }

    /** The running version; increases with every applied update. */
    public int version() { return version; }

    /** Every rule, enabled or not, in file order. */
    public List<Rule> rules() { return rules; }

    /** The rules that run. */
    public List<Rule> enabled() { return enabled; }

    public Optional<Rule> find(String id) { return Optional.ofNullable(id == null ? null : byId.get(id)); }

    /** The ids of every rule, in order. */
    public List<String> ids() { return List.copyOf(byId.keySet()); }

    /** The same rules and version as a {@link RuleSet}, e.g. to write them out. */
    public RuleSet toRuleSet() { return new RuleSet(version, rules); }

    /** Applies a run-time change; this book is unchanged. */
    public Result apply(RuleUpdate update) {
        if (update == null) return refuse("empty update");
        if (update.type() == null) return refuse("type is required: one of UPSERT, ENABLE, DISABLE, DELETE, REPLACE_ALL");
        if (update.type() == RuleUpdate.Type.STATUS) {
            return new Result(Outcome.IGNORED, this, "STATUS messages are answers, not requests", List.of());
        }
        Integer requested = update.version();
        if (requested != null && requested <= version) {
            return refuse("stale version " + requested + ": the running rules are version " + version
                    + " (send a higher version, or none)");
        }
        int next = requested != null ? requested : version + 1;
        return switch (update.type()) {
            case UPSERT -> upsert(update, next);
            case ENABLE, DISABLE -> setEnabled(update, next, update.type() == RuleUpdate.Type.ENABLE);
            case DELETE -> delete(update, next);
            case REPLACE_ALL -> replaceAll(update, next);
            case STATUS -> throw new IllegalStateException("handled above");
        };
    }

    private Result upsert(RuleUpdate u, int next) {
        Rule rule = u.rule();
        if (rule == null) return refuse("UPSERT without rule");
        if (u.ruleId() != null && !u.ruleId().equals(rule.id())) {
            return refuse("ruleId '" + u.ruleId() + "' does not match rule.id '" + rule.id() + "'");
        }
        List<RuleProblem> problems = RuleValidator.validate(rule);
        if (!problems.isEmpty()) return refuse(problems);
        List<Rule> list = new ArrayList<>(rules);
        int at = indexOf(rule.id());
        if (at >= 0) list.set(at, rule);
        else list.add(rule);
        String what = (at >= 0 ? "replaced" : "added") + " rule '" + rule.id() + "'";
        return applied(new RuleBook(next, list), what);
    }

    private Result setEnabled(RuleUpdate u, int next, boolean value) {
        if (u.ruleId() == null || u.ruleId().isBlank()) return refuse(u.type() + " without ruleId");
        int at = indexOf(u.ruleId());
        if (at < 0) return refuse(unknown(u.ruleId()));
        List<Rule> list = new ArrayList<>(rules);
        list.set(at, list.get(at).withEnabled(value));
        return applied(new RuleBook(next, list), (value ? "enabled" : "disabled") + " rule '" + u.ruleId() + "'");
    }

    private Result delete(RuleUpdate u, int next) {
        if (u.ruleId() == null || u.ruleId().isBlank()) return refuse("DELETE without ruleId");
        int at = indexOf(u.ruleId());
        if (at < 0) return refuse(unknown(u.ruleId()));
        List<Rule> list = new ArrayList<>(rules);
        list.remove(at);
        return applied(new RuleBook(next, list), "deleted rule '" + u.ruleId() + "'");
    }

    private Result replaceAll(RuleUpdate u, int next) {
        if (u.rules() == null) return refuse("REPLACE_ALL without rules (send rules: [] to remove every rule)");
        List<RuleProblem> problems = RuleValidator.validateRules(null, u.rules(), Map.of());
        if (!problems.isEmpty()) return refuse(problems);
        return applied(new RuleBook(next, u.rules()), "replaced all rules (" + u.rules().size() + ")");
    }

    private int indexOf(String id) {
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).id().equals(id)) return i;
        return -1;
    }

    private String unknown(String id) {
        return "unknown rule '" + id + "': the running rules are " + (rules.isEmpty() ? "none" : String.join(", ", ids()));
    }

    private Result applied(RuleBook book, String what) {
        return new Result(Outcome.APPLIED, book, what + "; now version " + book.version, List.of());
    }

    private Result refuse(String reason) {
        return new Result(Outcome.REFUSED, this, reason, List.of());
    }

    private Result refuse(List<RuleProblem> problems) {
        String reason = "invalid rule: " + problems.stream().map(RuleProblem::describe).collect(Collectors.joining("; "));
        return new Result(Outcome.REFUSED, this, reason, problems);
    }

    @Override
    public String toString() {
        return "RuleBook{version=" + version + ", rules=" + ids() + ", enabled=" + enabled.size() + "}";
    }

    public enum Outcome {
        /** the update was applied: {@link Result#book()} is the new book */
        APPLIED,
        /** the update was refused: {@link Result#book()} is the unchanged book, {@link Result#reason()} says why */
        REFUSED,
        /** a STATUS message: nothing to do, and nothing to answer */
        IGNORED
    }

    /**
     * The outcome of {@link #apply}.
     *
     * @param book     the book to run from now on: the new one when applied, else the unchanged one
     * @param reason   what was done, or why it was refused
     * @param problems for an invalid rule, the validator's problems
     */
    public record Result(Outcome outcome, RuleBook book, String reason, List<RuleProblem> problems) {
        public Result {
            problems = problems == null ? List.of() : List.copyOf(problems);
        }

        public boolean applied() { return outcome == Outcome.APPLIED; }

        public boolean refused() { return outcome == Outcome.REFUSED; }

        public boolean ignored() { return outcome == Outcome.IGNORED; }

        /** The STATUS answer to {@code request} (null for an ignored message: STATUS is not answered). */
        public RuleUpdate status(RuleUpdate request, Instant at) {
            if (ignored()) return null;
            return RuleUpdate.status(request, applied(), reason, book.version(), book.ids(), at);
        }
    }
}

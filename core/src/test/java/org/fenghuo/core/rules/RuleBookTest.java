package org.fenghuo.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fenghuo.core.alert.AlertLevel;
import org.junit.jupiter.api.Test;

class RuleBookTest {
    private static final RuleBook DEFAULTS = RuleBook.of(RulesFile.defaults());
    private static final List<String> DEFAULT_IDS = List.of("labor.wage-arrears-escalation", "petition.collective",
            "petition.repeat", "grid.dispute-hotspot", "linkage.gathering-cluster", "region.baseline-surge", "entity.risk");

    private static Rule threshold(String id, double yellowAt) {
        return new Rule(id, RuleKind.THRESHOLD, null, "测试", null,
                new Match(List.of("grid-report"), List.of("DISPUTE"), null, null, null),
                List.of(new KeySpec(null, null, "COMMUNITY", null)), Duration.ofHours(24), null,
                List.of(new LevelSpec(AlertLevel.YELLOW, yellowAt, null, null, null)), null, null, null, null, null, null, null);
    }

    private static RuleUpdate request(RuleUpdate.Type type, Integer version, String ruleId, Rule rule, List<Rule> rules) {
        return new RuleUpdate(type, "req-1", version, ruleId, rule, rules, "tester", "test", null, null, null, null);
    }

    @Test
    void aBookOfTheDefaults() {
        assertThat(DEFAULTS.version()).isEqualTo(1);
        assertThat(DEFAULTS.ids()).isEqualTo(DEFAULT_IDS);
        assertThat(DEFAULTS.rules()).hasSize(7);
        assertThat(DEFAULTS.enabled()).hasSize(7);
        assertThat(DEFAULTS.find("petition.repeat")).isPresent();
        assertThat(DEFAULTS.find("nope")).isEmpty();
        assertThat(DEFAULTS.find(null)).isEmpty();
        assertThat(DEFAULTS.toRuleSet()).isEqualTo(new RuleSet(1, RulesFile.defaults().rules()));
    }

    @Test
    void anInvalidSetCannotBecomeABook() {
        assertThatThrownBy(() -> RuleBook.of(new RuleSet(1, List.of(threshold("a", 5), threshold("a", 6)))))
                .isInstanceOf(RulesFileException.class).hasMessageContaining("rule 'a': id: duplicate id");
        assertThatThrownBy(() -> RuleBook.of(new RuleSet(1, List.of(threshold("a", -1)))))
                .isInstanceOf(RulesFileException.class).hasMessageContaining("levels[0].atLeast: must be a positive number, got -1");
    }

    @Test
    void upsertAddsANewRuleAtTheEnd() {
        RuleBook.Result r = DEFAULTS.apply(request(RuleUpdate.Type.UPSERT, null, null, threshold("grid.new", 3), null));
        assertThat(r.outcome()).isEqualTo(RuleBook.Outcome.APPLIED);
        assertThat(r.applied()).isTrue();
        assertThat(r.book().version()).isEqualTo(2);
        assertThat(r.book().ids()).endsWith("grid.new").hasSize(8);
        assertThat(r.reason()).contains("added rule 'grid.new'", "version 2");
        assertThat(DEFAULTS.ids()).as("the old book is unchanged").hasSize(7);
        assertThat(DEFAULTS.version()).isEqualTo(1);
    }

    @Test
    void upsertReplacesARuleInPlace() {
        Rule changed = threshold("grid.dispute-hotspot", 8);
        RuleBook.Result r = DEFAULTS.apply(request(RuleUpdate.Type.UPSERT, null, "grid.dispute-hotspot", changed, null));
        assertThat(r.applied()).isTrue();
        assertThat(r.book().ids()).isEqualTo(DEFAULT_IDS);
        assertThat(r.book().find("grid.dispute-hotspot")).contains(changed);
        assertThat(r.reason()).contains("replaced rule 'grid.dispute-hotspot'");
    }

    @Test
    void anInvalidRuleIsRefusedAndTheOldRulesKept() {
        Rule broken = threshold("grid.dispute-hotspot", -3);
        RuleBook.Result r = DEFAULTS.apply(request(RuleUpdate.Type.UPSERT, null, null, broken, null));
        assertThat(r.outcome()).isEqualTo(RuleBook.Outcome.REFUSED);
        assertThat(r.refused()).isTrue();
        assertThat(r.book()).isSameAs(DEFAULTS);
        assertThat(r.book().find("grid.dispute-hotspot").orElseThrow().levels().get(0).atLeast()).isEqualTo(5.0);
        assertThat(r.problems()).containsExactly(new RuleProblem("grid.dispute-hotspot", "levels[0].atLeast", "must be a positive number, got -3"));
        assertThat(r.reason()).contains("invalid rule", "levels[0].atLeast: must be a positive number, got -3");

        assertThat(DEFAULTS.apply(request(RuleUpdate.Type.UPSERT, null, null, null, null)).reason()).isEqualTo("UPSERT without rule");
        RuleBook.Result mismatch = DEFAULTS.apply(request(RuleUpdate.Type.UPSERT, null, "other.id", threshold("grid.x", 3), null));
        assertThat(mismatch.refused()).isTrue();
        assertThat(mismatch.reason()).contains("does not match");
    }

    @Test
    void disableAndEnable() {
        RuleBook.Result off = DEFAULTS.apply(request(RuleUpdate.Type.DISABLE, null, "petition.repeat", null, null));
        assertThat(off.applied()).isTrue();
        RuleBook b = off.book();
        assertThat(b.version()).isEqualTo(2);
        assertThat(b.rules()).hasSize(7);
        assertThat(b.enabled()).extracting(Rule::id).doesNotContain("petition.repeat").hasSize(6);
        assertThat(b.find("petition.repeat").orElseThrow().isEnabled()).isFalse();

        RuleBook.Result on = b.apply(request(RuleUpdate.Type.ENABLE, null, "petition.repeat", null, null));
        assertThat(on.book().version()).isEqualTo(3);
        assertThat(on.book().enabled()).extracting(Rule::id).isEqualTo(DEFAULT_IDS);

        RuleBook.Result unknown = DEFAULTS.apply(request(RuleUpdate.Type.DISABLE, null, "petition.nope", null, null));
        assertThat(unknown.refused()).isTrue();
        assertThat(unknown.reason()).startsWith("unknown rule 'petition.nope'");
        assertThat(DEFAULTS.apply(request(RuleUpdate.Type.ENABLE, null, "x.y", null, null)).refused()).isTrue();
        assertThat(DEFAULTS.apply(request(RuleUpdate.Type.ENABLE, null, null, null, null)).reason()).isEqualTo("ENABLE without ruleId");
    }

    @Test
    void delete() {
        RuleBook.Result r = DEFAULTS.apply(request(RuleUpdate.Type.DELETE, null, "entity.risk", null, null));
        assertThat(r.applied()).isTrue();
        assertThat(r.book().ids()).isEqualTo(DEFAULT_IDS.subList(0, 6));
        assertThat(r.book().version()).isEqualTo(2);
        RuleBook.Result again = r.book().apply(request(RuleUpdate.Type.DELETE, null, "entity.risk", null, null));
        assertThat(again.refused()).isTrue();
        assertThat(again.book()).isSameAs(r.book());
    }

    @Test
    void replaceAll() {
        RuleBook.Result r = DEFAULTS.apply(request(RuleUpdate.Type.REPLACE_ALL, null, null, null,
                List.of(threshold("a.one", 3), threshold("a.two", 4))));
        assertThat(r.applied()).isTrue();
        assertThat(r.book().ids()).containsExactly("a.one", "a.two");
        assertThat(r.book().version()).isEqualTo(2);

        RuleBook.Result dup = DEFAULTS.apply(request(RuleUpdate.Type.REPLACE_ALL, null, null, null,
                List.of(threshold("a.one", 3), threshold("a.one", 4))));
        assertThat(dup.refused()).isTrue();
        assertThat(dup.book()).isSameAs(DEFAULTS);
        assertThat(dup.problems()).extracting(RuleProblem::reason).containsExactly("duplicate id: rules[0] and rules[1] have the same id");

        RuleBook.Result invalid = DEFAULTS.apply(request(RuleUpdate.Type.REPLACE_ALL, null, null, null,
                java.util.Arrays.asList(threshold("a.one", 3), null)));
        assertThat(invalid.refused()).isTrue();
        assertThat(invalid.problems()).containsExactly(new RuleProblem(null, "rules[1]", "empty rule"));

        assertThat(DEFAULTS.apply(request(RuleUpdate.Type.REPLACE_ALL, null, null, null, null)).refused()).isTrue();
        RuleBook.Result empty = DEFAULTS.apply(request(RuleUpdate.Type.REPLACE_ALL, null, null, null, List.of()));
        assertThat(empty.applied()).isTrue();
        assertThat(empty.book().rules()).isEmpty();
    }

    @Test
    void versions() {
        RuleBook.Result jump = DEFAULTS.apply(request(RuleUpdate.Type.DISABLE, 10, "entity.risk", null, null));
        assertThat(jump.applied()).isTrue();
        assertThat(jump.book().version()).isEqualTo(10);

        RuleBook.Result stale = jump.book().apply(request(RuleUpdate.Type.ENABLE, 9, "entity.risk", null, null));
        assertThat(stale.refused()).isTrue();
        assertThat(stale.reason()).startsWith("stale version 9: the running rules are version 10");
        assertThat(stale.book()).isSameAs(jump.book());
        assertThat(jump.book().apply(request(RuleUpdate.Type.ENABLE, 10, "entity.risk", null, null)).refused())
                .as("the same version again is stale too").isTrue();
        assertThat(jump.book().apply(request(RuleUpdate.Type.ENABLE, 11, "entity.risk", null, null)).book().version()).isEqualTo(11);
        assertThat(jump.book().apply(request(RuleUpdate.Type.ENABLE, null, "entity.risk", null, null)).book().version()).isEqualTo(11);
    }

    @Test
    void statusMessagesAreIgnoredNotRefused() {
        RuleUpdate status = RuleUpdate.status(request(RuleUpdate.Type.DISABLE, null, "entity.risk", null, null), true, "ok", 5,
                List.of("entity.risk"), Instant.parse("2026-03-05T01:00:00Z"));
        RuleBook.Result r = DEFAULTS.apply(status);
        assertThat(r.outcome()).isEqualTo(RuleBook.Outcome.IGNORED);
        assertThat(r.ignored()).isTrue();
        assertThat(r.applied()).isFalse();
        assertThat(r.refused()).isFalse();
        assertThat(r.book()).isSameAs(DEFAULTS);
        assertThat(r.status(status, Instant.now())).as("STATUS is not answered").isNull();
        assertThat(DEFAULTS.apply(null).refused()).isTrue();
        assertThat(DEFAULTS.apply(request(null, null, "x", null, null)).refused()).isTrue();
    }

    @Test
    void theAnswerToARequest() {
        Instant at = Instant.parse("2026-03-05T01:00:00Z");
        RuleUpdate req = request(RuleUpdate.Type.DELETE, null, "entity.risk", null, null);
        RuleUpdate ok = DEFAULTS.apply(req).status(req, at);
        assertThat(ok.type()).isEqualTo(RuleUpdate.Type.STATUS);
        assertThat(ok.requestId()).isEqualTo("req-1");
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.version()).isEqualTo(2);
        assertThat(ok.ruleIds()).isEqualTo(DEFAULT_IDS.subList(0, 6));
        assertThat(ok.at()).isEqualTo(at);

        RuleUpdate bad = request(RuleUpdate.Type.DELETE, null, "x.y", null, null);
        RuleUpdate no = DEFAULTS.apply(bad).status(bad, at);
        assertThat(no.accepted()).isFalse();
        assertThat(no.version()).as("still the running version").isEqualTo(1);
        assertThat(no.reason()).startsWith("unknown rule 'x.y'");
    }
}

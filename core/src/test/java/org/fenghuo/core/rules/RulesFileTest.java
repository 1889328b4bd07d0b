package org.fenghuo.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fenghuo.core.alert.AlertLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesFileTest {

    // ------------------------------------------------------------------------------------------- the default rules

    @Test
    void defaultsHoldTheSevenRulesOfTheDesignTable() {
        RuleSet d = RulesFile.defaults();
        assertThat(d.versionOrDefault()).isEqualTo(1);
        assertThat(d.rules()).extracting(Rule::id).containsExactly(
                "labor.wage-arrears-escalation", "petition.collective", "petition.repeat", "grid.dispute-hotspot",
                "linkage.gathering-cluster", "region.baseline-surge", "entity.risk");
        assertThat(d.rules()).allMatch(Rule::isEnabled);
        assertThat(d.rules()).allSatisfy(r -> assertThat(r.title()).isNotBlank());
        assertThat(RuleValidator.validate(d)).isEmpty();
    }

    @Test
    void wageArrearsEscalation() {
        Rule r = RulesFile.defaults().find("labor.wage-arrears-escalation").orElseThrow();
        assertThat(r.kind()).isEqualTo(RuleKind.CORRELATION);
        assertThat(r.title()).isEqualTo("欠薪事件升级");
        assertThat(r.key()).containsExactly(new KeySpec("ENTERPRISE", null, null, null));
        assertThat(r.window()).isEqualTo(Duration.ofHours(72));
        assertThat(r.cooldown()).isEqualTo(Duration.ofDays(7));
        assertThat(r.steps()).extracting(StepSpec::name).containsExactly("labour", "petition", "gathering");
        assertThat(r.steps()).extracting(StepSpec::label).containsExactly("劳动监察欠薪记录", "信访", "聚集");
        assertThat(r.steps().get(0).match()).isEqualTo(new Match(List.of("labor-inspection"), List.of("WAGE_ARREARS"), null, null, null));
        assertThat(r.steps().get(1).match()).isEqualTo(new Match(List.of("petition"), null, null, null, null));
        assertThat(r.steps().get(2).match().anyOf()).containsExactly(
                new Match(List.of("linkage-call"), List.of("GATHERING"), null, null, null),
                new Match(List.of("grid-report"), List.of("GATHERING"), null, null, null));
        assertThat(r.steps().get(2).near()).isEqualTo(new NearSpec(1000.0, true));
        assertThat(r.steps().get(0).near()).isNull();
        assertThat(r.levels()).containsExactly(
                new LevelSpec(AlertLevel.YELLOW, null, null, List.of("labour", "petition"), null),
                new LevelSpec(AlertLevel.RED, null, null, List.of("labour", "petition", "gathering"), null));
        assertThat(r.raise()).hasSize(1);
        Raise raise = r.raise().get(0);
        assertThat(raise.byOrDefault()).isEqualTo(1);
        assertThat(raise.reason()).contains("重特大劳资纠纷");
        assertThat(raise.when().anyOf()).containsExactly(
                new Match(null, null, null, List.of(new FieldCondition("details.workersAffected", null, 30.0, null, null, null, null)), null),
                new Match(null, null, null, List.of(new FieldCondition("details.amountOwedCny", null, 500000.0, null, null, null, null)), null));
    }

    @Test
    void petitionRules() {
        RuleSet d = RulesFile.defaults();
        Rule collective = d.find("petition.collective").orElseThrow();
        assertThat(collective.kind()).isEqualTo(RuleKind.THRESHOLD);
        assertThat(collective.title()).isEqualTo("集体访");
        assertThat(collective.match()).isEqualTo(new Match(List.of("petition"), null, null,
                List.of(new FieldCondition("details.petitionerCount", null, 5.0, null, null, null, null)), null));
        assertThat(collective.key()).containsExactly(new KeySpec("ENTERPRISE", null, null, null), new KeySpec(null, null, "COMMUNITY", null));
        assertThat(collective.window()).isEqualTo(Duration.ofHours(24));
        assertThat(collective.aggregate()).isEqualTo(new Aggregate(Aggregate.Function.MAX, "details.petitionerCount"));
        assertThat(collective.levels()).containsExactly(new LevelSpec(AlertLevel.ORANGE, 5.0, null, null, null),
                new LevelSpec(AlertLevel.RED, 50.0, null, null, null));
        assertThat(collective.cooldown()).isEqualTo(Duration.ofHours(24));

        Rule repeat = d.find("petition.repeat").orElseThrow();
        assertThat(repeat.title()).isEqualTo("重复信访");
        assertThat(repeat.match()).isEqualTo(new Match(List.of("petition"), null, null, null, null));
        assertThat(repeat.key()).containsExactly(new KeySpec("PERSON", List.of("PETITIONER"), null, null));
        assertThat(repeat.window()).isEqualTo(Duration.ofDays(30));
        assertThat(repeat.levels()).containsExactly(new LevelSpec(AlertLevel.YELLOW, 3.0, null, null, null),
                new LevelSpec(AlertLevel.ORANGE, 3.0, null, null, new Match(null, null, null,
                        List.of(new FieldCondition("details.receivingLevel", List.of("CITY", "PROVINCE", "NATIONAL"), null, null, null, null, null)), null)));
        assertThat(repeat.cooldown()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void gridAndLinkageRules() {
        RuleSet d = RulesFile.defaults();
        Rule hotspot = d.find("grid.dispute-hotspot").orElseThrow();
        assertThat(hotspot.title()).isEqualTo("矛盾纠纷高发");
        assertThat(hotspot.match()).isEqualTo(new Match(List.of("grid-report"), List.of("DISPUTE"), null, null, null));
        assertThat(hotspot.key()).containsExactly(new KeySpec(null, null, "COMMUNITY", null));
        assertThat(hotspot.window()).isEqualTo(Duration.ofHours(24));
        assertThat(hotspot.aggregate()).isNull();
        assertThat(hotspot.levels()).containsExactly(new LevelSpec(AlertLevel.YELLOW, 5.0, null, null, null),
                new LevelSpec(AlertLevel.ORANGE, 10.0, null, null, null));
        assertThat(hotspot.cooldownOrDefault()).isEqualTo(Duration.ofHours(24));

        Rule cluster = d.find("linkage.gathering-cluster").orElseThrow();
        assertThat(cluster.title()).isEqualTo("聚集警情集中");
        assertThat(cluster.match()).isEqualTo(new Match(List.of("linkage-call"), List.of("GATHERING"), null, null, null));
        assertThat(cluster.key()).containsExactly(new KeySpec(null, null, null, 1000.0));
        assertThat(cluster.window()).isEqualTo(Duration.ofHours(2));
        assertThat(cluster.levels()).containsExactly(new LevelSpec(AlertLevel.ORANGE, 3.0, null, null, null));
        assertThat(cluster.cooldown()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void baselineSurge() {
        Rule r = RulesFile.defaults().find("region.baseline-surge").orElseThrow();
        assertThat(r.kind()).isEqualTo(RuleKind.BASELINE);
        assertThat(r.title()).isEqualTo("区域事件异常增多");
        assertThat(r.match()).isEqualTo(new Match(null, null, null, null, null));
        assertThat(r.baseline()).isEqualTo(new BaselineSpec("DAY", "+08:00", Duration.ofDays(28), Duration.ofDays(2), 5, 0.01, null,
                Map.of("COMMUNITY", AlertLevel.YELLOW, "STREET", AlertLevel.ORANGE), true));
        assertThat(r.levels()).isNull();
        assertThat(r.key()).isNull();
        assertThat(r.cooldown()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void entityRisk() {
        Rule r = RulesFile.defaults().find("entity.risk").orElseThrow();
        assertThat(r.kind()).isEqualTo(RuleKind.RISK_SCORE);
        assertThat(r.title()).isEqualTo("实体风险积分");
        RiskSpec risk = r.risk();
        assertThat(risk.entities()).containsExactly("ENTERPRISE", "PERSON");
        assertThat(risk.halfLife()).isEqualTo(Duration.ofDays(7));
        assertThat(risk.sourceCap()).isEqualTo(70.0);
        assertThat(risk.floorOrDefault()).isEqualTo(0.5);
        assertThat(risk.points()).extracting(PointsSpec::points).containsExactly(10.0, 10.0, 10.0, 15.0, 5.0, 15.0, 3.0, 12.0);
        assertThat(risk.points().get(1).match()).isEqualTo(new Match(List.of("labor-inspection"), List.of("WAGE_ARREARS"), null, null, null));
        assertThat(risk.points().get(3).match().where())
                .containsExactly(new FieldCondition("details.petitionerCount", null, 5.0, null, null, null, null));
        assertThat(r.levels()).containsExactly(new LevelSpec(AlertLevel.YELLOW, 50.0, null, null, null),
                new LevelSpec(AlertLevel.ORANGE, 100.0, 2, null, null), new LevelSpec(AlertLevel.RED, 200.0, 3, null, null));
        assertThat(r.cooldown()).isEqualTo(Duration.ofDays(7));
        // one feed alone is capped below ORANGE: the cap is what keeps a noisy feed from raising an alert alone
        assertThat(risk.sourceCap()).isGreaterThanOrEqualTo(50.0).isLessThan(100.0);
    }

    @Test
    void defaultFileIsCommented() {
        String text = new String(RulesFile.defaultBytes(), StandardCharsets.UTF_8);
        assertThat(text).contains("# ", "DESIGN §6", "sourceCap 70", "defaults");
    }

    // ------------------------------------------------------------------------------------------- formats

    private static final String YAML = """
            version: 3
            rules:
              - id: grid.dispute-hotspot
                kind: THRESHOLD
                title: 矛盾纠纷高发
                match:
                  feed: grid-report          # a single value is a list of one
                  category: [DISPUTE]
                  where:
                    - {field: severity, gte: 2}
                    - {field: details.status, in: [REPORTED, IN_PROGRESS]}
                key: [{region: COMMUNITY}]
                window: PT24H
                levels:
                  - {level: YELLOW, atLeast: 5}
                  - {level: ORANGE, atLeast: 10, sources: 1}
                cooldown: P1D
                enabled: false
            """;

    private static final String JSON = """
            {"version": 3, "rules": [{
              "id": "grid.dispute-hotspot", "kind": "THRESHOLD", "title": "矛盾纠纷高发", "enabled": false,
              "match": {"feed": ["grid-report"], "category": ["DISPUTE"],
                        "where": [{"field": "severity", "gte": 2.0}, {"field": "details.status", "in": ["REPORTED", "IN_PROGRESS"]}]},
              "key": [{"region": "COMMUNITY"}], "window": "PT24H",
              "levels": [{"level": "YELLOW", "atLeast": 5}, {"level": "ORANGE", "atLeast": 10, "sources": 1}],
              "cooldown": "PT24H"
            }]}
            """;

    @Test
    void yamlAndJsonEquivalentsParseEqual() {
        RuleSet fromYaml = RulesFile.parse(YAML.getBytes(StandardCharsets.UTF_8), "rules.yaml");
        RuleSet fromJson = RulesFile.parse(JSON.getBytes(StandardCharsets.UTF_8), "rules.json");
        assertThat(fromYaml).isEqualTo(fromJson);
        assertThat(fromYaml.version()).isEqualTo(3);
        Rule r = fromYaml.rules().get(0);
        assertThat(r.isEnabled()).isFalse();
        assertThat(r.match().feed()).containsExactly("grid-report");
        // JSON content is recognised whatever the file is called
        assertThat(RulesFile.parse(JSON.getBytes(StandardCharsets.UTF_8), "rules.yaml")).isEqualTo(fromJson);
    }

    @Test
    void writtenRulesReadBackEqual() {
        RuleSet d = RulesFile.defaults();
        assertThat(RulesFile.parse(RulesFile.toJson(d), "rules.json")).isEqualTo(d);
        assertThat(RulesFile.parse(RulesFile.toYaml(d), "rules.yaml")).isEqualTo(d);
        // the project-wide mapper (used for control.rules messages) reads the same JSON
        assertThat(org.fenghuo.core.json.Json.fromBytes(RulesFile.toJson(d), RuleSet.class)).isEqualTo(d);
    }

    @Test
    void writtenRulesUseHumanDurationsAndLeaveDefaultsOut() {
        String yaml = new String(RulesFile.toYaml(RulesFile.defaults()), StandardCharsets.UTF_8);
        assertThat(yaml).contains("cooldown: P7D", "window: PT2H", "atLeast: 5\n", "window: P30D");
        assertThat(yaml).doesNotContain("PT168H", "atLeast: 5.0", "enabled:", "ordered:");
        String json = new String(org.fenghuo.core.json.Json.toBytes(RulesFile.defaults()), StandardCharsets.UTF_8);
        assertThat(json).as("Json.mapper() must not invent enabled/ordered from isEnabled()/isOrdered()")
                .doesNotContain("\"enabled\"", "\"ordered\"");
        Rule disabled = RulesFile.defaults().rules().get(0).withEnabled(false);
        assertThat(org.fenghuo.core.json.Json.fromBytes(org.fenghuo.core.json.Json.toBytes(disabled), Rule.class)).isEqualTo(disabled);
    }

    @Test
    void loadsFilesByPathAndNamesMissingOnes(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("my-rules.yml"), YAML);
        assertThat(RulesFile.load(yaml).rules()).hasSize(1);
        Path json = Files.writeString(dir.resolve("my-rules.json"), JSON);
        assertThat(RulesFile.load(json)).isEqualTo(RulesFile.load(yaml));
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> RulesFile.load(missing)).isInstanceOf(RulesFileException.class)
                .hasMessage(missing + ": cannot read: no such file");
    }

    // ------------------------------------------------------------------------------------------- problems

    /** A valid rule of each kind, to be broken one field at a time. */
    private static final String THRESHOLD = """
              - id: t.rule
                kind: THRESHOLD
                title: 测试阈值
                match: {feed: [grid-report], category: [DISPUTE]}
                key: [{region: COMMUNITY}]
                window: PT24H
                levels:
                  - {level: YELLOW, atLeast: 5}
                  - {level: ORANGE, atLeast: 10}
            """;

    private static final String BASELINE = """
              - id: b.rule
                kind: BASELINE
                title: 测试基线
                match: {}
                baseline:
                  period: DAY
                  zone: "+08:00"
                  history: P28D
                  guardBand: P2D
                  minCount: 5
                  pValue: 0.01
                  levelByRegion: {COMMUNITY: YELLOW}
            """;

    private static final String CORRELATION = """
              - id: c.rule
                kind: CORRELATION
                title: 测试关联
                key: [{entity: ENTERPRISE}]
                window: PT72H
                steps:
                  - {name: labour, match: {feed: [labor-inspection]}}
                  - {name: petition, match: {feed: [petition]}}
                  - {name: gathering, match: {category: [GATHERING]}, near: {metres: 1000}}
                levels:
                  - {level: YELLOW, steps: [labour, petition]}
                  - {level: RED, steps: [labour, petition, gathering]}
            """;

    private static final String RISK = """
              - id: r.rule
                kind: RISK_SCORE
                title: 测试积分
                risk:
                  entities: [ENTERPRISE]
                  halfLife: P7D
                  sourceCap: 70
                  points:
                    - {match: {feed: [petition]}, points: 15}
                levels:
                  - {level: YELLOW, atLeast: 50}
                  - {level: ORANGE, atLeast: 100, sources: 2}
            """;

    private static String file(String... rules) {
        return "version: 1\nrules:\n" + String.join("", rules);
    }

    private static String edit(String rule, String from, String to) {
        assertThat(rule).contains(from);
        return rule.replace(from, to);
    }

    private static RulesFileException failure(String content, String name) {
        RulesFileException e = catchThrowableOfType(() -> RulesFile.parse(content.getBytes(StandardCharsets.UTF_8), name),
                RulesFileException.class);
        assertThat(e).as("expected the rules to be refused").isNotNull();
        return e;
    }

    @Test
    void theValidTemplatesAreValid() {
        assertThat(RulesFile.parse(file(THRESHOLD, BASELINE, CORRELATION, RISK).getBytes(StandardCharsets.UTF_8), "rules.yaml")
                .rules()).hasSize(4);
    }

    @Test
    void messageNamesFileRuleFieldAndReason() {
        String broken = edit(THRESHOLD, "id: t.rule", "id: petition.repeat");
        broken = edit(broken, "{level: ORANGE, atLeast: 10}", "{level: ORANGE, atLeast: -3}");
        RulesFileException e = failure(file(broken), "rules.yaml");
        assertThat(e.getMessage()).isEqualTo("rules.yaml: rule 'petition.repeat': levels[1].atLeast: must be a positive number, got -3");
        assertThat(e.source()).isEqualTo("rules.yaml");
        assertThat(e.problems()).containsExactly(new RuleProblem("petition.repeat", "levels[1].atLeast", "must be a positive number, got -3"));
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                // reading: unknown fields, wrong types, bad durations and enum values, with the line
                Arguments.of("unknown field", file(edit(THRESHOLD, "window: PT24H", "windw: PT24H")),
                        "rule 't.rule': windw: unknown field 'windw'; allowed here: id, kind, enabled, title", "(line 8"),
                Arguments.of("unknown nested field", file(edit(THRESHOLD, "{level: YELLOW, atLeast: 5}", "{level: YELLOW, atleast: 5}")),
                        "rule 't.rule': levels[0].atleast: unknown field 'atleast'; allowed here: level, atLeast, sources, steps, anyEvidence", "(line 10"),
                Arguments.of("bad duration", file(edit(THRESHOLD, "window: PT24H", "window: PT2X")),
                        "rule 't.rule': window: must be an ISO-8601 duration such as PT30M, PT24H or P7D", "got 'PT2X' (line 8"),
                Arguments.of("duration as a bare number", file(edit(RISK, "halfLife: P7D", "halfLife: 7")),
                        "rule 'r.rule': risk.halfLife: must be an ISO-8601 duration", "got 7 (line"),
                Arguments.of("unknown enum value", file(edit(THRESHOLD, "level: ORANGE", "level: PURPLE")),
                        "rule 't.rule': levels[1].level: must be one of BLUE, YELLOW, ORANGE, RED, got 'PURPLE'", "(line 11"),
                Arguments.of("unknown kind, rule without id", file(edit(edit(THRESHOLD, "    kind: THRESHOLD\n", "    kind: THRESHHOLD\n"), "  - id: t.rule\n", "  - enabled: true\n")),
                        "rules[0].kind: must be one of THRESHOLD, BASELINE, CORRELATION, RISK_SCORE, got 'THRESHHOLD'", "(line 4"),
                Arguments.of("text for a number", file(edit(THRESHOLD, "atLeast: 5}", "atLeast: five}")),
                        "rule 't.rule': levels[0].atLeast: must be a number, got 'five'", "(line 10"),
                Arguments.of("fraction for a whole number", file(edit(BASELINE, "minCount: 5", "minCount: 5.5")),
                        "rule 'b.rule': baseline.minCount: must be a whole number, got '5.5'", "(line"),
                Arguments.of("unknown top-level field", "version: 1\nrulez: []\n",
                        "rulez: unknown field: a rules file has only 'version' and 'rules'", "(line 2"),
                Arguments.of("YAML syntax", file(edit(THRESHOLD, "    window: PT24H\n", "   window: [PT24H\n")),
                        "YAML syntax error", "(line "),
                Arguments.of("duplicate key in a rule", file(edit(THRESHOLD, "window: PT24H", "window: PT24H\n    window: PT2H")),
                        "Duplicate field 'window'", "(line 9"),
                // identity and kind
                Arguments.of("missing id", file(edit(THRESHOLD, "  - id: t.rule\n", "  - enabled: true\n")),
                        "rules[0].id: required", ""),
                Arguments.of("bad id", file(edit(THRESHOLD, "id: t.rule", "id: Petition_Repeat")),
                        "rule 'Petition_Repeat': id: must be lower-case letters and digits in words joined by '.' or '-'", "got 'Petition_Repeat'"),
                Arguments.of("id too long", file(edit(THRESHOLD, "id: t.rule", "id: " + "a".repeat(81))),
                        "id: must be at most 80 characters, got 81", ""),
                Arguments.of("missing title", file(edit(THRESHOLD, "    title: 测试阈值\n", "")),
                        "rule 't.rule': title: required", ""),
                Arguments.of("duplicate id", file(THRESHOLD, edit(RISK, "id: r.rule", "id: t.rule")),
                        "rule 't.rule': id: duplicate id: rules[0] and rules[1] have the same id", ""),
                // sections per kind
                Arguments.of("baseline in a THRESHOLD rule", file(THRESHOLD + "    baseline: {levelByRegion: {COMMUNITY: YELLOW}}\n"),
                        "rule 't.rule': baseline: not used by THRESHOLD rules (only by BASELINE); remove it", ""),
                Arguments.of("levels in a BASELINE rule", file(BASELINE + "    levels: [{level: YELLOW, atLeast: 5}]\n"),
                        "rule 'b.rule': levels: not used by BASELINE rules: levels come from baseline.levelByRegion", ""),
                Arguments.of("window in a RISK_SCORE rule", file(RISK + "    window: PT24H\n"),
                        "rule 'r.rule': window: not used by RISK_SCORE rules: points decay with risk.halfLife", ""),
                Arguments.of("steps in a THRESHOLD rule", file(THRESHOLD + "    steps: [{name: a, match: {}}, {name: b, match: {}}]\n"),
                        "rule 't.rule': steps: not used by THRESHOLD rules", ""),
                Arguments.of("aggregate in a CORRELATION rule", file(CORRELATION + "    aggregate: {function: COUNT}\n"),
                        "rule 'c.rule': aggregate: not used by CORRELATION rules", ""),
                Arguments.of("missing window", file(edit(THRESHOLD, "    window: PT24H\n", "")),
                        "rule 't.rule': window: required for a THRESHOLD rule", ""),
                Arguments.of("missing match", file(edit(THRESHOLD, "    match: {feed: [grid-report], category: [DISPUTE]}\n", "")),
                        "rule 't.rule': match: required for a THRESHOLD rule", "{} for every event"),
                Arguments.of("zero window", file(edit(THRESHOLD, "window: PT24H", "window: PT0S")),
                        "rule 't.rule': window: must be longer than zero, got PT0S", ""),
                Arguments.of("ordered in a THRESHOLD rule", file(THRESHOLD + "    ordered: true\n"),
                        "rule 't.rule': ordered: not used by THRESHOLD rules", ""),
                // filters
                Arguments.of("unknown category", file(edit(THRESHOLD, "category: [DISPUTE]", "category: [RIOT]")),
                        "rule 't.rule': match.category[0]: unknown category 'RIOT': must be one of grid-report: DISPUTE, SAFETY_HAZARD", ""),
                Arguments.of("category of another feed", file(edit(THRESHOLD, "category: [DISPUTE]", "category: [WAGE_ARREARS]")),
                        "match.category[0]: 'WAGE_ARREARS' is not a category of grid-report: must be one of grid-report: DISPUTE", ""),
                Arguments.of("unknown feed", file(edit(THRESHOLD, "feed: [grid-report]", "feed: [grid-reports]")),
                        "match.feed[0]: unknown feed 'grid-reports': must be one of grid-report, linkage-call, petition, labor-inspection", ""),
                Arguments.of("subcategory of a feed without", file(edit(THRESHOLD, "category: [DISPUTE]", "subcategory: [VISIT]")),
                        "match.subcategory: grid-report records have no subcategory", ""),
                Arguments.of("unknown subcategory", file(edit(THRESHOLD, "feed: [grid-report], category: [DISPUTE]", "feed: [petition], subcategory: [EMAIL]")),
                        "match.subcategory[0]: unknown subcategory 'EMAIL': must be one of petition: LETTER, VISIT, PHONE, ONLINE", ""),
                Arguments.of("unknown where field", file(edit(THRESHOLD, "category: [DISPUTE]", "where: [{field: details.workers, gte: 3}]")),
                        "match.where[0].field: unknown field 'details.workers': must be one of severity, peopleCount", ""),
                Arguments.of("in on a number", file(edit(THRESHOLD, "category: [DISPUTE]", "where: [{field: severity, in: ['3']}]")),
                        "match.where[0].in: only for text fields: severity is a number, use gte, gt, lte or lt", ""),
                Arguments.of("bound on text", file(edit(THRESHOLD, "category: [DISPUTE]", "where: [{field: details.receivingLevel, gte: 3}]")),
                        "match.where[0].gte: only for number fields", "details.receivingLevel is text: use in"),
                Arguments.of("condition without test", file(edit(THRESHOLD, "category: [DISPUTE]", "where: [{field: severity}]")),
                        "match.where[0]: give at least one of in, gte, gt, lte, lt, exists", ""),
                Arguments.of("unknown enum value in a condition", file(edit(THRESHOLD, "category: [DISPUTE]", "where: [{field: details.receivingLevel, in: [COUNTY]}]")),
                        "match.where[0].in[0]: unknown value 'COUNTY' for details.receivingLevel: must be one of STREET, DISTRICT, CITY, PROVINCE, NATIONAL", ""),
                Arguments.of("empty anyOf", file(edit(THRESHOLD, "category: [DISPUTE]", "anyOf: []")),
                        "match.anyOf: must not be empty", ""),
                Arguments.of("impossible bounds", file(edit(THRESHOLD, "category: [DISPUTE]", "where: [{field: severity, gte: 4, lt: 2}]")),
                        "match.where[0]: no number satisfies these bounds", ""),
                // keys
                Arguments.of("two kinds of key", file(edit(THRESHOLD, "{region: COMMUNITY}", "{region: COMMUNITY, entity: PERSON}")),
                        "rule 't.rule': key[0]: give only one of entity, region, place; got entity and region", ""),
                Arguments.of("roles without PERSON", file(edit(THRESHOLD, "{region: COMMUNITY}", "{entity: ENTERPRISE, roles: [PETITIONER]}")),
                        "key[0].roles: only with entity: PERSON", ""),
                Arguments.of("unknown role", file(edit(THRESHOLD, "{region: COMMUNITY}", "{entity: PERSON, roles: [VICTIM]}")),
                        "key[0].roles[0]: must be one of PETITIONER, CALLER, COMPLAINANT, SUBJECT, got 'VICTIM'", ""),
                Arguments.of("unknown region level", file(edit(THRESHOLD, "{region: COMMUNITY}", "{region: CITY}")),
                        "key[0].region: must be one of GRID, COMMUNITY, STREET, DISTRICT, got 'CITY'", ""),
                Arguments.of("place too far", file(edit(THRESHOLD, "{region: COMMUNITY}", "{place: 60000}")),
                        "key[0].place: must be a distance in metres above 0 and at most 50000, got 60000", ""),
                Arguments.of("place in a CORRELATION rule", file(edit(CORRELATION, "{entity: ENTERPRISE}", "{place: 500}")),
                        "rule 'c.rule': key[0].place: not used by CORRELATION rules", ""),
                // levels
                Arguments.of("levels out of order", file(edit(THRESHOLD, "level: ORANGE", "level: YELLOW")),
                        "levels[1].level: levels must be listed least severe first, each more severe than the ones before: YELLOW after YELLOW", ""),
                Arguments.of("sources above 4", file(edit(RISK, "sources: 2", "sources: 5")),
                        "rule 'r.rule': levels[1].sources: must be between 1 and 4 (the number of feeds), got 5", ""),
                Arguments.of("missing atLeast", file(edit(THRESHOLD, "{level: YELLOW, atLeast: 5}", "{level: YELLOW}")),
                        "levels[0].atLeast: required", ""),
                Arguments.of("raise by too much", file(THRESHOLD + "    raise: [{when: {feed: [petition]}, by: 5}]\n"),
                        "rule 't.rule': raise[0].by: must be between 1 and 3 levels, got 5", ""),
                Arguments.of("evidence cap", file(THRESHOLD + "    evidenceCap: 0\n"),
                        "rule 't.rule': evidenceCap: must be between 1 and 1000, got 0", ""),
                Arguments.of("negative cooldown", file(THRESHOLD + "    cooldown: -PT1H\n"),
                        "rule 't.rule': cooldown: must not be negative, got PT-1H", ""),
                Arguments.of("SUM without field", file(THRESHOLD + "    aggregate: {function: SUM}\n"),
                        "aggregate.field: required for SUM: a number field, one of severity, peopleCount", ""),
                Arguments.of("MAX of a text field", file(THRESHOLD + "    aggregate: {function: MAX, field: details.channel}\n"),
                        "aggregate.field: MAX needs a number field", "got 'details.channel'"),
                // correlation
                Arguments.of("unknown step in a level", file(edit(CORRELATION, "steps: [labour, petition, gathering]", "steps: [labour, petition, crowd]")),
                        "rule 'c.rule': levels[1].steps[2]: unknown step 'crowd': the rule's steps are labour, petition, gathering", ""),
                Arguments.of("one step", file(edit(edit(edit(CORRELATION,
                                "      - {name: petition, match: {feed: [petition]}}\n", ""),
                                "      - {name: gathering, match: {category: [GATHERING]}, near: {metres: 1000}}\n", ""),
                                "    levels:\n      - {level: YELLOW, steps: [labour, petition]}\n      - {level: RED, steps: [labour, petition, gathering]}\n",
                                "    levels:\n      - {level: YELLOW, steps: [labour]}\n")),
                        "rule 'c.rule': steps: a CORRELATION rule needs at least 2 steps, got 1", ""),
                Arguments.of("duplicate step name", file(edit(CORRELATION, "name: petition", "name: labour")),
                        "steps[1].name: duplicate step name 'labour' (also steps[0])", ""),
                Arguments.of("two near steps", file(edit(CORRELATION, "{name: petition, match: {feed: [petition]}}",
                                "{name: petition, match: {feed: [petition]}, near: {metres: 200}}")),
                        "steps[2].near: at most one step may have near; steps[1] has one already", ""),
                Arguments.of("step without match", file(edit(CORRELATION, "{name: petition, match: {feed: [petition]}}", "{name: petition}")),
                        "steps[1].match: required", ""),
                Arguments.of("near too far", file(edit(CORRELATION, "metres: 1000", "metres: 50001")),
                        "steps[2].near.metres: must be a distance in metres above 0 and at most 50000, got 50001", ""),
                Arguments.of("atLeast in a CORRELATION level", file(edit(CORRELATION, "{level: YELLOW, steps", "{level: YELLOW, atLeast: 2, steps")),
                        "levels[0].atLeast: not used by CORRELATION rules", ""),
                // baseline
                Arguments.of("short history", file(edit(BASELINE, "history: P28D", "history: P5D")),
                        "rule 'b.rule': baseline.history: must cover at least 7 periods (P7D for period DAY), got P5D", ""),
                Arguments.of("guard band not shorter than history", file(edit(BASELINE, "guardBand: P2D", "guardBand: P28D")),
                        "baseline.history: history (P28D) must be longer than guardBand (P28D)", ""),
                Arguments.of("p value", file(edit(BASELINE, "pValue: 0.01", "pValue: 1.5")),
                        "baseline.pValue: must be between 0 and 1 (both excluded), got 1.5", ""),
                Arguments.of("zone", file(edit(BASELINE, "zone: \"+08:00\"", "zone: Beijing")),
                        "baseline.zone: must be a UTC offset such as +08:00, got 'Beijing'", ""),
                Arguments.of("period", file(edit(BASELINE, "period: DAY", "period: WEEK")),
                        "baseline.period: must be one of DAY, HOUR, got 'WEEK'", ""),
                Arguments.of("region level of a baseline", file(edit(BASELINE, "{COMMUNITY: YELLOW}", "{CITY: YELLOW}")),
                        "baseline.levelByRegion.CITY: unknown region level 'CITY': must be one of GRID, COMMUNITY, STREET, DISTRICT", ""),
                Arguments.of("empty levelByRegion", file(edit(BASELINE, "{COMMUNITY: YELLOW}", "{}")),
                        "baseline.levelByRegion: required", ""),
                Arguments.of("min count", file(edit(BASELINE, "minCount: 5", "minCount: 0")),
                        "baseline.minCount: must be at least 1, got 0", ""),
                // risk
                Arguments.of("risk entity", file(edit(RISK, "entities: [ENTERPRISE]", "entities: [ENTERPRISE, VEHICLE]")),
                        "rule 'r.rule': risk.entities[1]: must be one of ENTERPRISE, PERSON, PLACE, got 'VEHICLE'", ""),
                Arguments.of("zero half-life", file(edit(RISK, "halfLife: P7D", "halfLife: PT0S")),
                        "risk.halfLife: must be longer than zero, got PT0S", ""),
                Arguments.of("zero points", file(edit(RISK, "points: 15}", "points: 0}")),
                        "risk.points[0].points: must be a positive number, got 0", ""),
                Arguments.of("negative source cap", file(edit(RISK, "sourceCap: 70", "sourceCap: -1")),
                        "risk.sourceCap: must be a positive number, got -1", ""),
                Arguments.of("no points", file(edit(RISK, "    points:\n        - {match: {feed: [petition]}, points: 15}\n", "    points: []\n")),
                        "risk.points: required", "")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void eachProblemIsNamedPrecisely(String what, String content, String expected, String alsoExpected) {
        RulesFileException e = failure(content, "rules.yaml");
        List<String> lines = e.getMessage().lines().toList();
        assertThat(lines).as(e.getMessage()).anySatisfy(line -> {
            assertThat(line).startsWith("rules.yaml: ").contains(expected).contains(alsoExpected);
        });
        assertThat(e.getMessage()).doesNotContain("Exception", "com.fasterxml", "org.fenghuo", "\tat ");
    }

    @Test
    void everyProblemIsListedNotOnlyTheFirst() {
        String content = file(
                edit(THRESHOLD, "window: PT24H", "window: PT2X"),                         // unreadable: reported once
                edit(edit(BASELINE, "pValue: 0.01", "pValue: 2"), "minCount: 5", "minCount: 0"),
                edit(RISK, "halfLife: P7D", "halfLife: PT0S"),
                edit(CORRELATION, "metres: 1000", "metres: 0"));
        RulesFileException e = failure(content, "many.yaml");
        assertThat(e.problems()).extracting(RuleProblem::ruleId, RuleProblem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple("t.rule", "window"),
                org.assertj.core.groups.Tuple.tuple("b.rule", "baseline.minCount"),
                org.assertj.core.groups.Tuple.tuple("b.rule", "baseline.pValue"),
                org.assertj.core.groups.Tuple.tuple("r.rule", "risk.halfLife"),
                org.assertj.core.groups.Tuple.tuple("c.rule", "steps[2].near.metres"));
        assertThat(e.getMessage().lines()).hasSize(5).allMatch(l -> l.startsWith("many.yaml: rule '"));
    }

    @Test
    void jsonFilesAreCheckedTheSameWay() {
        String json = """
                {"version": 1, "rules": [
                  {"id": "x.y", "kind": "THRESHOLD", "title": "测试", "match": {"feed": ["petition"]},
                   "key": [{"entity": "PERSON"}], "window": "P30D", "levels": [{"level": "YELLOW", "atLeast": 3}],
                   "cooldwon": "P30D"}
                ]}
                """;
        RulesFileException e = failure(json, "rules.json");
        assertThat(e.getMessage()).startsWith("rules.json: rule 'x.y': cooldwon: unknown field 'cooldwon'").contains("(line 4");
        assertThat(failure("{\"rules\": [", "rules.json").getMessage()).startsWith("rules.json: JSON syntax error");
        assertThat(failure("[]", "rules.json").getMessage()).isEqualTo("rules.json: must be an object with 'version' and 'rules', got a list");
        assertThat(failure("  \n", "rules.json").getMessage()).isEqualTo("rules.json: the file is empty");
        assertThat(failure("{\"version\": 0, \"rules\": []}", "rules.json").getMessage()).isEqualTo("rules.json: version: must be at least 1, got 0");
    }

    @Test
    void anEmptyMatchMeansEveryEventAndIsAllowed() {
        RuleSet s = RulesFile.parse(file(BASELINE).getBytes(StandardCharsets.UTF_8), "rules.yaml");
        assertThat(s.rules().get(0).match()).isEqualTo(new Match(null, null, null, null, null));
    }

    @Test
    void validatorWorksOnRulesBuiltInCode() {
        Rule bad = new Rule("a.b", RuleKind.THRESHOLD, null, "标题", null, new Match(null, null, null, null, null),
                List.of(new KeySpec(null, null, "COMMUNITY", null)), Duration.ofHours(1), null,
                List.of(new LevelSpec(AlertLevel.YELLOW, 0.0, null, null, null)), null, null, null, null, null, null, null);
        assertThat(RuleValidator.validate(bad)).containsExactly(new RuleProblem("a.b", "levels[0].atLeast", "must be a positive number, got 0"));
        assertThat(RuleValidator.validate(new RuleSet(1, List.of(bad, bad)))).extracting(RuleProblem::reason)
                .contains("duplicate id: rules[0] and rules[1] have the same id");
        assertThat(RuleValidator.validate((Rule) null)).isNotEmpty();
    }
}

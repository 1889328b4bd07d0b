package org.fenghuo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgsTest {
    @Test
    void parsesFlagsValuesAndPositionals() {
        Args a = Args.parse(List.of("--no-simulator", "--regions", "r.geojson", "--seed=7", "x"), Set.of("no-simulator"), Set.of("regions", "seed"));
        assertThat(a.flag("no-simulator")).isTrue();
        assertThat(a.value("regions", null)).isEqualTo("r.geojson");
        assertThat(a.longValue("seed", 1, 0, 100)).isEqualTo(7);
        assertThat(a.positionals()).containsExactly("x");
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> Args.parse(List.of("--bogus"), Set.of(), Set.of())).hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> Args.parse(List.of("--regions"), Set.of(), Set.of("regions"))).hasMessage("option --regions needs a value");
        assertThatThrownBy(() -> Args.parse(List.of("--no-simulator=yes"), Set.of("no-simulator"), Set.of())).hasMessage("option --no-simulator takes no value");
        Args a = Args.parse(List.of("--seed", "-3"), Set.of(), Set.of("seed"));
        assertThatThrownBy(() -> a.longValue("seed", 1, 0, 100)).hasMessage("option --seed: '-3' is not a whole number from 0 to 100");
        Args p = Args.parse(List.of("--probes", "0.5", "--rate", "NaN"), Set.of(), Set.of("probes", "rate"));
        assertThat(p.doubleValue("probes", 2, 0.1, 50)).isEqualTo(0.5);
        assertThat(p.doubleValue("missing", 2, 0.1, 50)).isEqualTo(2);
        assertThatThrownBy(() -> p.doubleValue("rate", 1, 0.1, 50)).hasMessage("option --rate: 'NaN' is not a number from 0.1 to 50.0");
    }

    @Test
    void demoOptionsAreValidated(@TempDir Path tmp) throws Exception {
        assertThat(DemoCommand.parseSpeed("60").factor()).isEqualTo(60);
        assertThatThrownBy(() -> DemoCommand.parseSpeed("fast")).isInstanceOf(UsageException.class).hasMessageContaining("--speed fast");
        assertThatThrownBy(() -> DemoCommand.validateRules(tmp.resolve("missing.yaml").toString()))
                .hasMessageContaining("does not exist");
        Path broken = Files.writeString(tmp.resolve("rules.json"), "{ not json");
        assertThatThrownBy(() -> DemoCommand.validateRules(broken.toString())).isInstanceOf(CommandException.class)
                .hasMessageContaining("--rules").hasMessageContaining("rules.json");
        Path badRule = Files.writeString(tmp.resolve("bad.yaml"), """
                rules:
                  - id: petition.repeat
                    kind: THRESHOLD
                    title: 重复信访
                    match: {feed: [petition]}
                    key: [{entity: PERSON}]
                    window: P30D
                    levels: [{level: YELLOW, atLeast: -3}]
                """);
        assertThatThrownBy(() -> DemoCommand.validateRules(badRule.toString()))
                .hasMessageContaining("bad.yaml").hasMessageContaining("petition.repeat").hasMessageContaining("levels[0].atLeast");
        Path regions = Files.writeString(tmp.resolve("regions.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"code\":\"339901001\",\"name\":\"x\",\"level\":\"STREET\",\"parent\":\"339901\"}}]}");
        assertThatThrownBy(() -> DemoCommand.loadRegions(regions)).isInstanceOf(CommandException.class)
                .hasMessageContaining("--regions").hasMessageContaining("339901");
    }

    @Test
    void replayTellsTheFeedFromTheFileName() {
        assertThat(ReplayCommand.feedOf(Path.of("feed.petitions.jsonl")).topic()).isEqualTo("feed.petitions");
        assertThat(ReplayCommand.feedOf(Path.of("/x/linkage-calls-2026-03.jsonl")).topic()).isEqualTo("feed.linkage-calls");
        assertThatThrownBy(() -> ReplayCommand.feedOf(Path.of("records.jsonl"))).hasMessageContaining("--topic");
    }

    @Test
    void unknownCommandAndMissingArgumentsExitWithUsage() {
        assertThat(Main.run(List.of("frobnicate"))).isEqualTo(2);
        assertThat(Main.run(List.of())).isEqualTo(2);
        assertThat(Main.run(List.of("replay"))).isEqualTo(2);
        assertThat(Main.run(List.of("city"))).isEqualTo(2);
        assertThat(Main.run(List.of("help"))).isZero();
    }
}

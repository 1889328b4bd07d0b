package org.fenghuo.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    static final Setting<Duration> WINDOW = Setting.duration("fenghuo.x.window", Duration.ofMinutes(5), Duration.ZERO, Duration.ofDays(1), "a window");
    static final Setting<Integer> PAR = Setting.integer("fenghuo.x.parallelism", 1, 1, 64, "parallelism");
    static final Setting<String> HOST = Setting.string("fenghuo.x.host", null, "the host");

    @Test
    void argumentsWinOverEnvironmentWhichWinsOverDefaults() {
        Settings s = Settings.fromArgs(new String[] {"--fenghuo.x.window=30s"}, Map.of("FENGHUO_X_WINDOW", "1h", "FENGHUO_X_PARALLELISM", "4"), List.of(WINDOW, PAR, HOST));
        assertThat(s.get(WINDOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.get(PAR)).isEqualTo(4);
        assertThat(Settings.of(Map.of()).get(WINDOW)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void badValuesNameTheSettingTheValueAndWhatIsExpected() {
        assertThatThrownBy(() -> Settings.of(Map.of("fenghuo.x.parallelism", "0")).get(PAR))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting fenghuo.x.parallelism (env FENGHUO_X_PARALLELISM): '0' is not a whole number from 1 to 64 — parallelism");
        assertThatThrownBy(() -> Settings.of(Map.of("fenghuo.x.window", "soon")).get(WINDOW)).hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> Settings.of(Map.of("fenghuo.x.window", "2d")).get(WINDOW)).hasMessageContaining("from 0 to 1d");
        assertThatThrownBy(() -> Settings.of(Map.of()).require(HOST)).hasMessage("setting fenghuo.x.host (env FENGHUO_X_HOST) is required — the host");
    }

    @Test
    void aSettingsFileIsReadFirstAndArgumentsBesideItWin(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = tmp.resolve("job.properties");
        java.nio.file.Files.writeString(file, "# the ingest job\nfenghuo.x.window = 1h\nfenghuo.x.host=kafka-1:9092\n");
        Settings s = Settings.fromArgs(new String[] {"--config=" + file, "--fenghuo.x.window=30s"},
                Map.of("FENGHUO_X_HOST", "from-env:9092", "FENGHUO_X_PARALLELISM", "4"), List.of(WINDOW, PAR, HOST));
        assertThat(s.get(WINDOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.get(HOST)).isEqualTo("kafka-1:9092");
        assertThat(s.get(PAR)).isEqualTo(4);

        java.nio.file.Files.writeString(file, "fenghuo.x.hots=kafka-1:9092\n");
        assertThatThrownBy(() -> Settings.fromArgs(new String[] {"--config=" + file}, Map.of(), List.of(WINDOW, HOST)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("unknown setting 'fenghuo.x.hots'");
        assertThatThrownBy(() -> Settings.fromArgs(new String[] {"--config=" + tmp.resolve("missing.properties")}, Map.of(), List.of(WINDOW)))
                .hasMessageContaining("missing.properties (--config) does not exist");
    }

    @Test
    void unknownOrMalformedArgumentsAreRefused() {
        assertThatThrownBy(() -> Settings.fromArgs(new String[] {"--fenghuo.x.windw=1s"}, Map.of(), List.of(WINDOW)))
                .hasMessageStartingWith("unknown setting 'fenghuo.x.windw'");
        assertThatThrownBy(() -> Settings.fromArgs(new String[] {"fenghuo.x.window"}, Map.of(), List.of(WINDOW)))
                .hasMessageContaining("is not of the form --name=value");
    }

    @Test
    void secretValuesAreNeverQuoted() {
        Setting<String> secret = Setting.string("fenghuo.x.secret", null, "a secret").requiring(v -> v.length() >= 16, "at least 16 characters").secret();
        assertThatThrownBy(() -> Settings.of(Map.of("fenghuo.x.secret", "hunter2")).get(secret))
                .hasMessage("setting fenghuo.x.secret (env FENGHUO_X_SECRET): the value is not at least 16 characters — a secret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void durationsInCommonUnits() {
        assertThat(Setting.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Setting.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Setting.parseDuration("PT2H")).isEqualTo(Duration.ofHours(2));
    }
}

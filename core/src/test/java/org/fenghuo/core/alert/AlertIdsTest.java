package org.fenghuo.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertIdsTest {

    @Test
    void anIdNamesItsRuleSubjectAndEpisodeStart() {
        Instant start = Instant.parse("2026-03-05T01:50:00Z");
        String id = AlertIds.alertId("petition.repeat", "PER:42b92f", start);
        assertThat(id).isEqualTo("petition.repeat:PER:42b92f:20260305T015000Z");
        assertThat(AlertIds.episodeKeyOf(id)).isEqualTo("petition.repeat:PER:42b92f");
        assertThat(AlertIds.ruleIdOf(id)).isEqualTo("petition.repeat");
        assertThat(AlertIds.episodeStartOf(id)).isEqualTo(start);
    }

    @Test
    void anIdOfAnotherFormIsRefusedWithTheFormExpected() {
        assertThatThrownBy(() -> AlertIds.episodeStartOf("petition.repeat:PER:42b92f"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<yyyyMMddTHHmmssZ>");
        assertThatThrownBy(() -> AlertIds.episodeKeyOf(null)).isInstanceOf(IllegalArgumentException.class);
    }
}

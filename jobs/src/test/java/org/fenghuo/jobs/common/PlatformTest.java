package org.fenghuo.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.fenghuo.core.config.ConfigException;
import org.fenghuo.core.config.Settings;
import org.junit.jupiter.api.Test;

class PlatformTest {
    @Test
    void exactlyOnceIsTheDefaultAndAtLeastOnceIsAChoice() {
        Platform p = Platform.from(Settings.of(Map.of()));
        assertThat(p.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(p.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.stateBackend()).as("unset: the cluster's own state backend").isNull();
        assertThat(Platform.from(Settings.of(Map.of("fenghuo.kafka.delivery", "AT-LEAST-ONCE"))).delivery()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(Platform.from(Settings.of(Map.of("fenghuo.state.backend", "RocksDB"))).stateBackend()).isEqualTo("rocksdb");
    }

    @Test
    void badValuesNameTheSettingAndTheChoices() {
        assertThatThrownBy(() -> Platform.from(Settings.of(Map.of("fenghuo.kafka.delivery", "exactly-twice"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fenghuo.kafka.delivery").hasMessageContaining("exactly-once or at-least-once");
        assertThatThrownBy(() -> Platform.from(Settings.of(Map.of("fenghuo.state.backend", "leveldb"))))
                .hasMessageContaining("fenghuo.state.backend").hasMessageContaining("hashmap or rocksdb");
        assertThatThrownBy(() -> Platform.from(Settings.of(Map.of("fenghuo.kafka.transaction-timeout", "2h"))))
                .hasMessageContaining("fenghuo.kafka.transaction-timeout");
    }

    @Test
    void elasticsearchCredentialsComeInPairsAndThePasswordIsNeverPrinted() {
        assertThatThrownBy(() -> Platform.from(Settings.of(Map.of("fenghuo.elasticsearch.username", "fenghuo_writer"))))
                .hasMessageContaining("fenghuo.elasticsearch.password is not");
        assertThatThrownBy(() -> Platform.from(Settings.of(Map.of("fenghuo.elasticsearch.password", "s3cret-pass"))))
                .hasMessageContaining("fenghuo.elasticsearch.username is not");
        Platform p = Platform.from(Settings.of(Map.of("fenghuo.elasticsearch.username", "fenghuo_writer",
                "fenghuo.elasticsearch.password", "s3cret-pass")));
        assertThat(p.elasticsearchUsername()).isEqualTo("fenghuo_writer");
        assertThat(p.toString()).contains("fenghuo_writer").doesNotContain("s3cret-pass");
    }
}

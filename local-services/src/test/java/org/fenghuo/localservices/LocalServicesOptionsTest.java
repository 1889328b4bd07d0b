package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalServicesOptionsTest {

    @Test
    void defaults() {
        LocalServicesOptions o = LocalServicesOptions.builder().build();
        assertThat(o.provider()).isEqualTo("local");
        assertThat(o.baseDirectory()).isEqualTo(Path.of("/var/tmp/fenghuo"));
        assertThat(o.distributionDirectory()).isEqualTo(Path.of("/var/tmp/fenghuo/dist"));
        assertThat(o.runsDirectory()).isEqualTo(Path.of("/var/tmp/fenghuo/runs"));
        assertThat(o.elasticsearchHeap()).isEqualTo("1g");
        assertThat(o.kafkaHeap()).isEqualTo("512m");
        assertThat(o.kafkaBrokers()).isEqualTo(1);
        assertThat(o.elasticsearchNodes()).isEqualTo(1);
        assertThat(o.elasticsearchUser()).isEqualTo("fenghuo-es");
        assertThat(o.services()).containsExactlyInAnyOrder(Service.KAFKA, Service.ELASTICSEARCH);
        assertThat(o.elasticsearchJavaHome()).isEqualTo(Path.of(System.getProperty("java.home")));
    }

    @Test
    void systemPropertyWinsOverEnvironment() {
        Map<String, String> props = Map.of("fenghuo.services.es-heap", "2g");
        Map<String, String> env = Map.of(
                "FENGHUO_SERVICES_ES_HEAP", "3g",
                "FENGHUO_SERVICES_KAFKA_HEAP", "256m",
                "FENGHUO_SERVICES_BASE_DIR", "/srv/fh",
                "FENGHUO_SERVICES_START", "kafka",
                "FENGHUO_SERVICES_START_TIMEOUT", "30",
                "FENGHUO_SERVICES_PROVIDER", "LOCAL");
        LocalServicesOptions.Builder b = LocalServicesOptions.fromSources(props::get, env::get);
        LocalServicesOptions o = b.build();
        assertThat(o.elasticsearchHeap()).isEqualTo("2g");
        assertThat(o.kafkaHeap()).isEqualTo("256m");
        assertThat(o.baseDirectory()).isEqualTo(Path.of("/srv/fh"));
        assertThat(o.distributionDirectory()).isEqualTo(Path.of("/srv/fh/dist"));
        assertThat(o.services()).containsExactly(Service.KAFKA);
        assertThat(o.startTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.provider()).isEqualTo("local");
        assertThat(b.isConfigured(LocalServicesOptions.BASE_DIR)).isTrue();
        assertThat(b.isConfigured(LocalServicesOptions.DIST_DIR)).isFalse();
    }

    @Test
    void badHeapNamesTheSetting() {
        assertThatThrownBy(() -> LocalServicesOptions.builder().elasticsearchHeap("lots").build())
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.es-heap")
                .hasMessageContaining("FENGHUO_SERVICES_ES_HEAP")
                .hasMessageContaining("lots")
                .satisfies(e -> assertThat(((ServicesConfigException) e).setting()).isEqualTo("fenghuo.services.es-heap"));
    }

    @Test
    void unknownProviderNamesTheSettingAndTheChoices() {
        Map<String, String> env = Map.of("FENGHUO_SERVICES_PROVIDER", "podman");
        assertThatThrownBy(() -> LocalServicesOptions.fromSources(k -> null, env::get).build())
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.provider")
                .hasMessageContaining("podman")
                .hasMessageContaining("local")
                .hasMessageContaining("testcontainers");
    }

    @Test
    void unknownServiceIsRejected() {
        assertThatThrownBy(() -> LocalServicesOptions.parseServices("kafka,zookeeper"))
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("zookeeper")
                .hasMessageContaining("fenghuo.services.start");
        assertThat(LocalServicesOptions.parseServices("es, kafka")).isEqualTo(EnumSet.allOf(Service.class));
    }

    @Test
    void emptyServiceSetIsRejected() {
        assertThatThrownBy(() -> LocalServicesOptions.builder().services(EnumSet.noneOf(Service.class)).build())
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.start");
    }

    @Test
    void clusterSizesFromPropertiesAndEnvironment() {
        Map<String, String> props = Map.of("fenghuo.services.kafka-brokers", "3");
        Map<String, String> env = Map.of(
                "FENGHUO_SERVICES_KAFKA_BROKERS", "5",
                "FENGHUO_SERVICES_ELASTICSEARCH_NODES", " 2 ");
        LocalServicesOptions.Builder b = LocalServicesOptions.fromSources(props::get, env::get);
        LocalServicesOptions o = b.build();
        assertThat(o.kafkaBrokers()).isEqualTo(3);
        assertThat(o.elasticsearchNodes()).isEqualTo(2);
        assertThat(b.isConfigured(LocalServicesOptions.KAFKA_BROKERS)).isTrue();
        assertThat(b.isConfigured(LocalServicesOptions.ES_NODES)).isTrue();
        assertThat(o.toBuilder().build()).isEqualTo(o);
    }

    @Test
    void builderTakesClusterSizes() {
        LocalServicesOptions o = LocalServicesOptions.builder().kafkaBrokers(5).elasticsearchNodes(3).build();
        assertThat(o.kafkaBrokers()).isEqualTo(5);
        assertThat(o.elasticsearchNodes()).isEqualTo(3);
        assertThat(LocalServicesOptions.builder().kafkaBrokers(1).elasticsearchNodes(1).build().kafkaBrokers()).isEqualTo(1);
    }

    @Test
    void twoBrokersAreRejectedWithTheReason() {
        assertThatThrownBy(() -> LocalServicesOptions.builder().kafkaBrokers(2).build())
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.kafka-brokers")
                .hasMessageContaining("FENGHUO_SERVICES_KAFKA_BROKERS")
                .hasMessageContaining("is 2")
                .hasMessageContaining("quorum")
                .hasMessageContaining("expected 1")
                .hasMessageContaining("3 to 5")
                .satisfies(e -> assertThat(((ServicesConfigException) e).setting())
                        .isEqualTo("fenghuo.services.kafka-brokers"));
    }

    @Test
    void brokerCountsOutOfRangeAreRejected() {
        for (int n : new int[] {0, -1, 6, 100}) {
            assertThatThrownBy(() -> LocalServicesOptions.builder().kafkaBrokers(n).build())
                    .as("%d brokers", n)
                    .isInstanceOf(ServicesConfigException.class)
                    .hasMessageContaining("fenghuo.services.kafka-brokers")
                    .hasMessageContaining("is " + n + ";")
                    .hasMessageContaining("3 to 5");
        }
        for (int n : new int[] {1, 3, 4, 5}) {
            assertThat(LocalServicesOptions.builder().kafkaBrokers(n).build().kafkaBrokers()).isEqualTo(n);
        }
    }

    @Test
    void elasticsearchNodeCountsOutOfRangeAreRejected() {
        for (int n : new int[] {0, -2, 4}) {
            assertThatThrownBy(() -> LocalServicesOptions.builder().elasticsearchNodes(n).build())
                    .as("%d nodes", n)
                    .isInstanceOf(ServicesConfigException.class)
                    .hasMessageContaining("fenghuo.services.elasticsearch-nodes")
                    .hasMessageContaining("FENGHUO_SERVICES_ELASTICSEARCH_NODES")
                    .hasMessageContaining("is " + n + ";")
                    .hasMessageContaining("expected 1")
                    .hasMessageContaining("to 3")
                    .satisfies(e -> assertThat(((ServicesConfigException) e).setting())
                            .isEqualTo("fenghuo.services.elasticsearch-nodes"));
        }
        for (int n = 1; n <= 3; n++) {
            assertThat(LocalServicesOptions.builder().elasticsearchNodes(n).build().elasticsearchNodes()).isEqualTo(n);
        }
    }

    @Test
    void clusterSizesThatAreNotNumbersNameTheSetting() {
        Map<String, String> env = Map.of("FENGHUO_SERVICES_KAFKA_BROKERS", "three");
        assertThatThrownBy(() -> LocalServicesOptions.fromSources(k -> null, env::get))
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.kafka-brokers")
                .hasMessageContaining("'three'")
                .hasMessageContaining("whole number");
        Map<String, String> props = Map.of("fenghuo.services.elasticsearch-nodes", "2.5");
        assertThatThrownBy(() -> LocalServicesOptions.fromSources(props::get, k -> null))
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.elasticsearch-nodes")
                .hasMessageContaining("'2.5'");
    }

    @Test
    void environmentNames() {
        assertThat(LocalServicesOptions.environmentName("fenghuo.services.base-dir")).isEqualTo("FENGHUO_SERVICES_BASE_DIR");
        assertThat(LocalServicesOptions.environmentName(LocalServicesOptions.ES_NODES))
                .isEqualTo("FENGHUO_SERVICES_ELASTICSEARCH_NODES");
    }
}

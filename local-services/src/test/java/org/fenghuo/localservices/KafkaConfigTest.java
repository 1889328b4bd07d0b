package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConfigTest {

    @Test
    void singleNodeKraftOnLoopbackWithDynamicQuorum() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(LocalKafka.serverProperties(9092, 9093, Path.of("/tmp/x/data"))));
        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(p.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:9093");
        assertThat(p).doesNotContainKey("controller.quorum.voters");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/tmp/x/data");
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
        assertThat(p.getProperty("share.coordinator.state.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
    }

    @Test
    void singleNodeKeepsReplicationFactorOneEverywhere() throws Exception {
        Properties p = load(LocalKafka.serverProperties(1, new int[] {9092}, new int[] {9093}, Path.of("/tmp/x/data")));
        assertThat(p.getProperty("default.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("min.insync.replicas")).isEqualTo("1");
        assertThat(p.getProperty("share.coordinator.state.topic.min.isr")).isEqualTo("1");
        assertThat(LocalKafka.serverProperties(1, new int[] {9092}, new int[] {9093}, Path.of("/tmp/x/data")))
                .isEqualTo(LocalKafka.serverProperties(9092, 9093, Path.of("/tmp/x/data")));
    }

    @Test
    void threeNodeClusterHasAStaticQuorumAndReplicationFactorThree() throws Exception {
        int[] brokers = {9092, 9094, 9096};
        int[] controllers = {9093, 9095, 9097};
        Properties p = load(LocalKafka.serverProperties(2, brokers, controllers, Path.of("/tmp/x/broker-2/data")));
        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("node.id")).isEqualTo("2");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095");
        assertThat(p.getProperty("advertised.listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095");
        assertThat(p.getProperty("controller.quorum.voters"))
                .isEqualTo("1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097");
        assertThat(p).doesNotContainKey("controller.quorum.bootstrap.servers");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/tmp/x/broker-2/data");
        assertThat(p.getProperty("default.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("min.insync.replicas")).isEqualTo("2");
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("2");
        assertThat(p.getProperty("share.coordinator.state.topic.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("share.coordinator.state.topic.min.isr")).isEqualTo("2");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
    }

    @Test
    void fiveNodeClusterStillReplicatesThreeTimes() throws Exception {
        int[] brokers = {1, 2, 3, 4, 5};
        int[] controllers = {11, 12, 13, 14, 15};
        Properties p = load(LocalKafka.serverProperties(5, brokers, controllers, Path.of("/d")));
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo(
                "1@127.0.0.1:11,2@127.0.0.1:12,3@127.0.0.1:13,4@127.0.0.1:14,5@127.0.0.1:15");
        assertThat(p.getProperty("default.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("min.insync.replicas")).isEqualTo("2");
    }

    @Test
    void topicsGetReplicationFactorMinThreeAndMinIsrTwoOnAReplicatedCluster() {
        assertThat(KafkaTopics.replicationFactor(1)).isEqualTo((short) 1);
        assertThat(KafkaTopics.topicConfigs(1)).isEmpty();
        assertThat(KafkaTopics.replicationFactor(3)).isEqualTo((short) 3);
        assertThat(KafkaTopics.replicationFactor(5)).isEqualTo((short) 3);
        assertThat(KafkaTopics.topicConfigs(3)).containsExactly(Map.entry("min.insync.replicas", "2"));
        assertThat(KafkaTopics.topicConfigs(5)).containsExactly(Map.entry("min.insync.replicas", "2"));
    }

    @Test
    void brokerControlsCheckTheIndexAndTheState(@TempDir Path tmp) {
        LocalServicesOptions options = LocalServicesOptions.builder().kafkaBrokers(3).baseDirectory(tmp).build();
        LocalKafka kafka = new LocalKafka(options, tmp.resolve("kafka"));
        assertThat(kafka.brokerCount()).isEqualTo(3);
        assertThat(kafka.brokerDirectory(0)).isEqualTo(tmp.resolve("kafka/broker-1"));
        assertThat(kafka.port()).isEqualTo(-1);
        assertThatThrownBy(() -> kafka.killBroker(3))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 3")
                .hasMessageContaining("0 to 2")
                .hasMessageContaining("fenghuo.services.kafka-brokers");
        assertThatThrownBy(() -> kafka.startBroker(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> kafka.killBroker(1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class);

        LocalKafka single = new LocalKafka(LocalServicesOptions.builder().baseDirectory(tmp).build(), tmp.resolve("k1"));
        assertThat(single.brokerDirectory(0)).isEqualTo(tmp.resolve("k1"));
        assertThatThrownBy(() -> single.killBroker(1))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("1 broker (index 0)");
    }

    private static Properties load(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    @Test
    void buildWroteABrokerClasspathWithALoggingProvider() {
        List<String> cp = LocalKafka.classpath();
        assertThat(cp).anyMatch(e -> e.contains("kafka_2.13-"));
        assertThat(cp).anyMatch(e -> e.contains("kafka-clients-"));
        assertThat(cp).anyMatch(e -> e.contains("slf4j-api-"));
        assertThat(cp).anyMatch(e -> e.contains("log4j-slf4j2-impl-"));
        assertThat(cp).noneMatch(e -> e.endsWith(".zip"));
        assertThat(cp).noneMatch(e -> e.contains("junit"));
    }

    @Test
    void buildWroteTheElasticsearchZipPath() {
        assertThat(ElasticsearchDistribution.locateZip().getFileName().toString()).matches("elasticsearch-8\\..*\\.zip");
    }
}

package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

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

package org.fenghuo.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fenghuo.core.feed.Feed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedSinksTest {

    @Test
    void jsonLinesOneFilePerFeedOneRecordPerLine(@TempDir Path dir) throws Exception {
        InMemoryFeedSink memory = new InMemoryFeedSink();
        try (JsonLinesFeedSink files = new JsonLinesFeedSink(dir)) {
            Simulator sim = new Simulator(TestCity.get(), SimulatorConfig.builder().malformedRate(0.05).build());
            sim.generate(memory, 4000);
            for (var r : memory.records()) files.send(r.feed(), r.key(), r.value(), r.eventTimeMillis());
        }
        for (Feed f : Feed.values()) {
            Path file = JsonLinesFeedSink.fileOf(dir, f);
            assertThat(file.getFileName().toString()).isEqualTo(f.topic() + ".jsonl");
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertThat(lines).containsExactlyElementsOf(memory.records(f).stream().map(InMemoryFeedSink.SentRecord::text).toList());
        }
    }

    @Test
    void jsonLinesRefusesALineBreakInsideARecord(@TempDir Path dir) {
        try (JsonLinesFeedSink files = new JsonLinesFeedSink(dir)) {
            assertThatThrownBy(() -> files.send(Feed.PETITION, "x", "{\n}".getBytes(StandardCharsets.UTF_8), 0))
                    .hasMessageContaining("line break");
        }
    }

    @Test
    void kafkaSinkKeysByIdAndLeavesTheTimestampToTheTimeOfSending() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        long now = System.currentTimeMillis();
        try (KafkaFeedSink sink = new KafkaFeedSink(producer)) {
            sink.send(Feed.GRID_REPORT, "GR-1", "{}".getBytes(StandardCharsets.UTF_8), now - 60_000);
            sink.send(Feed.PETITION, "XF-1", "{}".getBytes(StandardCharsets.UTF_8), now + Duration.ofDays(30).toMillis());
            sink.flush();
        }
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).topic()).isEqualTo("feed.grid-reports");
        assertThat(new String(sent.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("GR-1");
        // no event time as Kafka timestamp: retention would delete history at once, and the broker refuses future times
        assertThat(sent).allSatisfy(r -> assertThat(r.timestamp()).isNull());
        assertThat(sent.get(1).topic()).isEqualTo("feed.petitions");
    }

    @Test
    void kafkaProducerSettings() {
        var p = KafkaFeedSink.properties("localhost:9092", java.util.Map.of("client.id", "x"));
        assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", 5).containsEntry("client.id", "x");
    }
}

package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.fenghuo.localservices.LocalServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./fenghuo simulate} then {@code ./fenghuo replay} into a real broker: every line lands on its feed topic. */
@ExtendWith(LocalServicesExtension.class)
class ReplayIT {
    @Test
    void simulatedFilesReplayIntoTheMatchingTopics(LocalServices services, @TempDir Path tmp) throws Exception {
        Map<String, Integer> topics = new HashMap<>();
        for (String t : org.fenghuo.core.feed.Topics.all()) topics.put(t, 2);
        services.createTopics(topics);
        Map<String, Long> before = endOffsets(services);

        assertThat(org.fenghuo.cli.Main.run(List.of("simulate", "--out", tmp.toString(), "--records", "2000", "--seed", "11"))).isZero();
        List<Path> files;
        try (var s = Files.list(tmp)) {
            files = s.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertThat(files).hasSize(4);
        Map<String, Long> lines = new HashMap<>();
        for (Path f : files) {
            try (var l = Files.lines(f)) {
                lines.put(f.getFileName().toString().replace(".jsonl", ""), l.filter(x -> !x.isBlank()).count());
            }
        }
        assertThat(lines.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2000);

        List<String> argv = new java.util.ArrayList<>(List.of("replay", "--kafka", services.kafkaBootstrapServers(), "--quiet"));
        files.forEach(f -> argv.add(f.toString()));
        assertThat(org.fenghuo.cli.Main.run(argv)).isZero();

        Map<String, Long> after = endOffsets(services);
        lines.forEach((topic, count) -> assertThat(after.get(topic) - before.getOrDefault(topic, 0L)).as(topic).isEqualTo(count));
    }

    private static Map<String, Long> endOffsets(LocalServices services) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        Map<String, Long> sum = new HashMap<>();
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String t : org.fenghuo.core.feed.Topics.feedTopics()) {
                int n = admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions().size();
                for (int i = 0; i < n; i++) request.put(new TopicPartition(t, i), OffsetSpec.latest());
            }
            admin.listOffsets(request).all().get().forEach((tp, info) -> sum.merge(tp.topic(), info.offset(), Long::sum));
        }
        return sum;
    }
}

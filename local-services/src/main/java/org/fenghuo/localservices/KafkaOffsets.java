package org.fenghuo.localservices;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Topic ends and consumer-group offsets, as the benchmarks and the pipeline tests use them to mark where a run's
 * input and output begin and to start a job's group at a chosen place.
 */
public final class KafkaOffsets {
    private KafkaOffsets() {
    }

    public static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** The last stable offsets of every partition of {@code topic}: everything before them is committed or aborted. */
    public static Map<TopicPartition, Long> committedEnds(String bootstrap, String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrap)) {
            int n = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int i = 0; i < n; i++) request.put(new TopicPartition(topic, i), OffsetSpec.latest());
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    /** Sets a consumer group's offsets, as an operator resets a group before a job starts. */
    public static void commit(String bootstrap, String group, Map<TopicPartition, Long> offsets) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> o = new HashMap<>();
        offsets.forEach((tp, off) -> o.put(tp, new OffsetAndMetadata(off)));
        try (Admin admin = admin(bootstrap)) {
            admin.alterConsumerGroupOffsets(group, o).all().get();
        }
    }

    /** A consumer group's committed offsets on one topic. */
    public static Map<TopicPartition, Long> groupOffsets(String bootstrap, String group, String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (Admin admin = admin(bootstrap)) {
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> {
                if (tp.topic().equals(topic) && o != null) out.put(tp, o.offset());
            });
        }
        return out;
    }
}

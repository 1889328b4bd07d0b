package org.fenghuo.jobs.common;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.fenghuo.core.feed.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The partitions of the four feed topics, as {@code topic/partition}: the sources whose event time the correlation follows. */
public final class FeedPartitions {
    private static final Logger LOG = LoggerFactory.getLogger(FeedPartitions.class);

    private FeedPartitions() {
    }

    /**
     * Looks the partitions up in Kafka. When that fails (a feed topic not created yet, Kafka slow to answer) the job
     * still starts, only without waiting for the feeds that are late to deliver: the reason is logged.
     */
    public static Set<String> lookUp(String bootstrap, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.feedTopics()).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> out = new TreeSet<>();
            topics.forEach((name, d) -> d.partitions().forEach(p -> out.add(name + "/" + p.partition())));
            return out;
        } catch (Exception e) {
            LOG.warn("could not look up the feed topics' partitions at {} ({}); event time will not wait for feeds that start late",
                    bootstrap, e.getMessage());
            return Set.of();
        }
    }
}

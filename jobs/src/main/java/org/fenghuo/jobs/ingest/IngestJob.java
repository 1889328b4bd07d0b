package org.fenghuo.jobs.ingest;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.fenghuo.core.config.ConfigException;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.jobs.common.ElasticsearchSinks;
import org.fenghuo.jobs.common.JobEnvironment;
import org.fenghuo.jobs.common.KafkaSchemas;
import org.fenghuo.jobs.common.KafkaSinks;

/** The ingest job, wired to Kafka and Elasticsearch. The topology itself is {@link IngestTopology}. */
public final class IngestJob {
    public static final String NAME = "fenghuo-ingest";

    private IngestJob() {}

    public static void main(String[] args) throws Exception {
        IngestSettings settings;
        try {
            settings = IngestSettings.from(Settings.fromArgs(args, System.getenv(), IngestSettings.ALL));
        } catch (ConfigException e) {
            System.err.println("fenghuo-ingest: " + e.getMessage());
            // no System.exit: on a cluster this main runs inside the JobManager (REST submission), which it would stop
            throw new IllegalArgumentException("fenghuo-ingest: " + e.getMessage(), e);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        wire(env, settings);
        JobExecutionResult ignored = env.execute(NAME);
    }

    /** Adds the ingest job to {@code env}; used by {@link #main} and by the demo's MiniCluster alike. */
    public static void wire(StreamExecutionEnvironment env, IngestSettings s) {
        JobEnvironment.configure(env, s.checkpointInterval(), s.checkpointDir(), s.parallelism(), s.platform());
        KafkaSource<RawFeedRecord> source = KafkaSource.<RawFeedRecord>builder()
                .setBootstrapServers(s.kafkaBootstrap())
                .setTopics(Topics.feedTopics())
                .setGroupId(s.groupId())
                // resume from the group's committed offsets; a new group starts at the beginning so nothing is skipped
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawFeedRecordDeserializer())
                .setProperty("partition.discovery.interval.ms", "30000")
                .setProperty("commit.offsets.on.checkpoint", "true")
                // a feed producer may write in transactions: never take in a record it aborted
                .setProperty("isolation.level", "read_committed")
                .build();
        DataStream<RawFeedRecord> feeds = env
                .fromSource(source, IngestTopology.watermarks(s.outOfOrderness(), s.idleTimeout()), "Kafka feed.*")
                .uid("feed-source");
        KafkaSink<NormalizedEvent> eventTopic = KafkaSinks.of(s.platform(), s.kafkaBootstrap(), KafkaSchemas.eventsNormalized(),
                s.groupId() + "-events");
        KafkaSink<DeadLetter> deadLetterTopic = KafkaSinks.of(s.platform(), s.kafkaBootstrap(), KafkaSchemas.deadLetters(),
                s.groupId() + "-dead-letters");
        IngestTopology.build(feeds, s.regionFile(), s.personKeySecret(), s.dedupeRetention(),
                new IngestTopology.Sinks(eventTopic, ElasticsearchSinks.events(s.elasticsearchHosts(), s.platform()),
                        deadLetterTopic, ElasticsearchSinks.deadLetters(s.elasticsearchHosts(), s.platform())));
    }
}

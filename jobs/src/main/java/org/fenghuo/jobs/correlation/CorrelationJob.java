package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.fenghuo.connectors.notify.WebhookNotifierSink;
import org.fenghuo.core.alert.Alert;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.config.ConfigException;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.rules.RuleSet;
import org.fenghuo.core.rules.RuleUpdate;
import org.fenghuo.core.rules.RulesFile;
import org.fenghuo.core.rules.RulesFileException;
import org.fenghuo.jobs.common.ElasticsearchSinks;
import org.fenghuo.jobs.common.FeedPartitions;
import org.fenghuo.jobs.common.JobEnvironment;
import org.fenghuo.jobs.common.JsonRecordDeserializer;
import org.fenghuo.jobs.common.KafkaSchemas;
import org.fenghuo.jobs.common.KafkaSinks;

import java.nio.file.Path;
import java.time.Duration;

/** The correlation job, wired to Kafka and Elasticsearch. The topology itself is {@link CorrelationTopology}. */
public final class CorrelationJob {
    public static final String NAME = "fenghuo-correlation";

    private CorrelationJob() {}

    public static void main(String[] args) throws Exception {
        CorrelationSettings settings;
        RuleSet rules;
        try {
            settings = CorrelationSettings.from(Settings.fromArgs(args, System.getenv(), CorrelationSettings.ALL));
            rules = rules(settings);
        } catch (ConfigException | RulesFileException e) {
            System.err.println(NAME + ": " + e.getMessage());
            // no System.exit: on a cluster this main runs inside the JobManager (REST submission), which it would stop
            throw new IllegalArgumentException(NAME + ": " + e.getMessage(), e);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        wire(env, settings, rules);
        JobExecutionResult ignored = env.execute(NAME);
    }

    /** The rules the job starts with: the configured file, or the built-in defaults. */
    public static RuleSet rules(CorrelationSettings s) {
        return s.rulesFile() == null ? RulesFile.defaults() : RulesFile.load(Path.of(s.rulesFile()));
    }

    /** Adds the correlation job to {@code env}; used by {@link #main} and by the demo's MiniCluster alike. */
    public static void wire(StreamExecutionEnvironment env, CorrelationSettings s, RuleSet rules) {
        JobEnvironment.configure(env, s.checkpointInterval(), s.checkpointDir(), s.parallelism(), s.platform());
        DataStream<NormalizedEvent> events = env.fromSource(
                source(s, Topics.EVENTS_NORMALIZED, new JsonRecordDeserializer<>(NormalizedEvent.class), s.groupId(), null),
                CorrelationTopology.eventWatermarks(s.outOfOrderness(), s.idleTimeout(),
                        FeedPartitions.lookUp(s.kafkaBootstrap(), Duration.ofSeconds(15))), "Kafka events.normalized")
                .uid("events-source");
        // a start without a checkpoint re-reads every rule change ever pushed, so the running rules are the pushed
        // ones and not just the file's; a restore takes the offsets from the checkpoint instead
        DataStream<RuleUpdate> updates = env.fromSource(
                source(s, Topics.CONTROL_RULES, new JsonRecordDeserializer<>(RuleUpdate.class, RouteEventsToRules.RULE_UPDATE_TYPE),
                        s.groupId() + "-rules", OffsetsInitializer.earliest()),
                CorrelationTopology.<RuleUpdate>controlWatermarks(), "Kafka control.rules")
                .uid("rules-source").setParallelism(1);
        DataStream<AlertAction> actions = env.fromSource(
                source(s, Topics.ALERT_ACTIONS, new JsonRecordDeserializer<>(AlertAction.class), s.groupId() + "-actions", null),
                CorrelationTopology.<AlertAction>controlWatermarks(), "Kafka alert.actions")
                .uid("actions-source");
        KafkaSink<Alert> alertTopic = KafkaSinks.of(s.platform(), s.kafkaBootstrap(), KafkaSchemas.alerts(), s.groupId() + "-alerts");
        KafkaSink<RuleUpdate> ruleStatus = KafkaSinks.atLeastOnce(s.kafkaBootstrap(), KafkaSchemas.ruleStatus());
        WebhookNotifierSink notifier = s.webhooks().isBlank() ? null : WebhookNotifierSink.builder().targets(s.webhooks()).build();
        CorrelationTopology.build(events, updates, actions, rules, s.options(),
                new CorrelationTopology.Sinks(alertTopic, ElasticsearchSinks.alerts(s.elasticsearchHosts(), s.platform()),
                        ElasticsearchSinks.signals(s.elasticsearchHosts(), s.platform()),
                        ElasticsearchSinks.alertActions(s.elasticsearchHosts(), s.platform()),
                        ruleStatus, notifier));
    }

    private static <T> KafkaSource<T> source(CorrelationSettings s, String topic, JsonRecordDeserializer<T> deserializer, String groupId,
                                             OffsetsInitializer start) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(s.kafkaBootstrap())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(start != null ? start : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                .setProperty("partition.discovery.interval.ms", "30000")
                .setProperty("commit.offsets.on.checkpoint", "true")
                // events.normalized is written in transactions (exactly-once): an aborted write must never count
                .setProperty("isolation.level", "read_committed")
                .build();
    }
}

package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.fenghuo.core.alert.Alert;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertNotification;
import org.fenghuo.core.alert.Signal;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.rules.RuleSet;
import org.fenghuo.core.rules.RuleUpdate;
import org.fenghuo.jobs.common.GuardedClock;

import java.time.Duration;
import java.util.Set;
import java.util.Map;

/**
 * The correlation job's topology as a function of its inputs and sinks (DESIGN §5, §6):
 *
 * <pre>
 * events.normalized ─▶ route to rules ─┬─▶ threshold (entity / region) ─┐
 * control.rules ──(broadcast)──▶       ├─▶ place clusters ──────────────┤
 *                     │ running rules  ├─▶ baseline ────────────────────┼─▶ alert episodes ─▶ alerts, fenghuo-alerts
 *                     ▼ (broadcast)    ├─▶ near matcher ─▶ correlation ─┤        ▲  │ audit ─▶ fenghuo-alert-actions
 *                 every detector       └─▶ risk score ──────────────────┘        │  └ notifications ─▶ webhooks
 *                 rule STATUS ─▶ control.rules       signals ─▶ fenghuo-signals  alert.actions
 * </pre>
 */
public final class CorrelationTopology {
    private CorrelationTopology() {}

    /** Where the correlation job writes; {@code notifier} may be null (no webhooks configured). */
    public record Sinks(Sink<Alert> alertTopic, Sink<Alert> alertIndex, Sink<Signal> signalIndex,
                        Sink<AlertAction> actionIndex, Sink<RuleUpdate> ruleStatus, Sink<AlertNotification> notifier) {}

    /** Parameters of the job that are not rules. */
    public record Options(String regionFile, Duration allowedLateness, Map<AlertLevel, Duration> escalationLimits,
                          Duration historicalAge, Duration alertRetention) {
        public static Options defaults(String regionFile) {
            return new Options(regionFile, Duration.ofDays(1), AlertEpisodes.defaultEscalationLimits(),
                    Duration.ofHours(24), Duration.ofDays(30));
        }
    }

    /** The outputs, for tests and for wiring. */
    public record Outputs(DataStream<Alert> alerts, DataStream<Signal> signals, DataStream<AlertAction> audit,
                          DataStream<AlertNotification> notifications, DataStream<RuleUpdate> ruleStatus) {}

    /**
     * Event time of {@code events.normalized}: the event's occurrence, with bounded out-of-orderness, followed per feed
     * within each partition and guarded against single wild timestamps ({@link FeedWatermarks}). A feed silent for
     * {@code idleTimeout} stops holding event time back, and so does a silent partition.
     */
    public static WatermarkStrategy<NormalizedEvent> eventWatermarks(Duration outOfOrderness, Duration idleTimeout) {
        return eventWatermarks(outOfOrderness, idleTimeout, Set.of());
    }

    /**
     * As {@link #eventWatermarks(Duration, Duration)}, waiting at the start for each of {@code feedPartitions}
     * ({@code topic/partition}) to deliver, or for {@code idleTimeout}, before event time moves.
     */
    public static WatermarkStrategy<NormalizedEvent> eventWatermarks(Duration outOfOrderness, Duration idleTimeout, Set<String> feedPartitions) {
        Set<String> expected = Set.copyOf(feedPartitions);
        return WatermarkStrategy.<NormalizedEvent>forGenerator(ctx -> new FeedWatermarks(outOfOrderness, idleTimeout,
                        GuardedClock.WILD_JUMP, GuardedClock.WILD_CONFIRMATIONS, System::currentTimeMillis, expected))
                .withTimestampAssigner((e, ts) -> e.occurredAtMillis())
                .withIdleness(idleTimeout);
    }

    /**
     * Control inputs (rules, actions) must never hold back event time: they are quiet for days. They are idle for
     * good, so every operator they meet takes its event time from the events alone.
     *
     * <p>Not a watermark at the end of time: while the events input is idle too (the ingest stalled longer than the
     * idle timeout, say while Elasticsearch was away), an operator's event time is the minimum over its active inputs
     * only, which would then be that end of time. Every timer would fire at once and every later event would be too
     * late, for the rest of the job's life (seen in {@code PipelineFaultsIT}: 24 of 51 alerts after a 94 s outage).
     */
    public static <T> WatermarkStrategy<T> controlWatermarks() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }

    public static Outputs build(DataStream<NormalizedEvent> events, DataStream<RuleUpdate> ruleUpdates,
                                DataStream<AlertAction> actions, RuleSet rules, Options o, Sinks sinks) {
        Outputs out = build(events, ruleUpdates, actions, rules, o);
        out.alerts().sinkTo(sinks.alertTopic()).uid("alerts-topic-sink").name("Kafka alerts");
        out.alerts().sinkTo(sinks.alertIndex()).uid("alerts-index-sink").name("Elasticsearch fenghuo-alerts");
        out.signals().sinkTo(sinks.signalIndex()).uid("signals-index-sink").name("Elasticsearch fenghuo-signals");
        out.audit().sinkTo(sinks.actionIndex()).uid("alert-actions-index-sink").name("Elasticsearch fenghuo-alert-actions");
        out.ruleStatus().sinkTo(sinks.ruleStatus()).uid("rule-status-sink").name("Kafka control.rules (status)");
        if (sinks.notifier() != null) {
            out.notifications().sinkTo(sinks.notifier()).uid("notifier-sink").name("Webhook notifier");
        }
        return out;
    }

    public static Outputs build(DataStream<NormalizedEvent> events, DataStream<RuleUpdate> ruleUpdates,
                                DataStream<AlertAction> actions, RuleSet rules, Options o) {
        BroadcastStream<RuleUpdate> updates = ruleUpdates.broadcast(RuleBroadcast.DESCRIPTOR);
        SingleOutputStreamOperator<RuleInput> routed = events.connect(updates)
                .process(new RouteEventsToRules(rules, o.regionFile()))
                .uid("route-events-to-rules").name("Route events to rules");
        BroadcastStream<String> running = routed.getSideOutput(RouteEventsToRules.RULES).broadcast(RuleBroadcast.DESCRIPTOR);
        Duration late = o.allowedLateness();

        SingleOutputStreamOperator<Detection> thresholds = routed
                .keyBy(RuleInput::partitionKey).connect(running)
                .process(new ThresholdDetector(rules, o.regionFile(), late))
                .uid("threshold-detector").name("Threshold: counts per entity or region");
        SingleOutputStreamOperator<Detection> places = routed.getSideOutput(RouteEventsToRules.PLACES)
                .keyBy(RuleInput::partitionKey).connect(running)
                .process(new PlaceClusterDetector(rules, o.regionFile(), late, o.historicalAge()))
                .uid("place-cluster-detector").name("Threshold: clusters by distance");
        SingleOutputStreamOperator<Detection> baseline = routed.getSideOutput(RouteEventsToRules.BASELINE)
                .keyBy(RuleInput::partitionKey).connect(running)
                .process(new BaselineDetector(rules, o.regionFile(), late))
                .uid("baseline-detector").name("Baseline: region against its own history");
        SingleOutputStreamOperator<RuleInput> nearby = routed.getSideOutput(RouteEventsToRules.NEARBY)
                .keyBy(RuleInput::partitionKey).connect(running)
                .process(new NearbySubjectMatcher(rules, late))
                .uid("nearby-subject-matcher").name("Correlation: match nearby events to subjects");
        SingleOutputStreamOperator<Detection> correlations = routed.getSideOutput(RouteEventsToRules.CORRELATION)
                .union(nearby)
                .keyBy(RuleInput::partitionKey).connect(running)
                .process(new CorrelationDetector(rules, o.regionFile(), late))
                .uid("correlation-detector").name("Correlation: steps across feeds");
        SingleOutputStreamOperator<Detection> risk = routed.getSideOutput(RouteEventsToRules.RISK)
                .keyBy(RuleInput::partitionKey).connect(running)
                .process(new RiskScoreAccumulator(rules, o.regionFile(), late))
                .uid("risk-score-accumulator").name("Risk score per entity");

        DataStream<Detection> detections = thresholds.union(places, baseline, correlations, risk);
        DataStream<Signal> signals = baseline.getSideOutput(RuleDetector.SIGNALS).union(risk.getSideOutput(RuleDetector.SIGNALS));

        SingleOutputStreamOperator<Alert> alerts = detections.keyBy(Detection::episodeKey)
                .connect(actions.keyBy(AlertEpisodes::keyOf))
                .process(new AlertEpisodes(o.escalationLimits(), o.historicalAge(), o.alertRetention()))
                .uid("alert-episodes").name("Alert episodes, actions and escalation");
        return new Outputs(alerts, signals, alerts.getSideOutput(AlertEpisodes.AUDIT),
                alerts.getSideOutput(AlertEpisodes.NOTIFICATIONS), routed.getSideOutput(RouteEventsToRules.STATUS));
    }
}

package org.fenghuo.jobs.correlation;

import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.config.ConfigException;
import org.fenghuo.core.config.Setting;
import org.fenghuo.core.config.Settings;
import org.fenghuo.jobs.ingest.IngestSettings;

import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The correlation job's configuration, parsed and validated once. */
public record CorrelationSettings(
        String kafkaBootstrap,
        List<String> elasticsearchHosts,
        String regionFile,
        String rulesFile,
        String groupId,
        Duration outOfOrderness,
        Duration idleTimeout,
        Duration allowedLateness,
        Map<AlertLevel, Duration> escalationLimits,
        Duration historicalAge,
        Duration alertRetention,
        String webhooks,
        Duration checkpointInterval,
        String checkpointDir,
        int parallelism,
        org.fenghuo.jobs.common.Platform platform) implements Serializable {

    public static final Setting<String> RULES_FILE = Setting.string("fenghuo.rules.file", null,
            "rules file (YAML or JSON, docs/rules.md); unset: the built-in default rules");
    public static final Setting<String> GROUP_ID = Setting.string("fenghuo.correlation.group-id", "fenghuo-correlation",
            "Kafka consumer group of the correlation job");
    public static final Setting<Duration> OUT_OF_ORDERNESS = Setting.duration("fenghuo.correlation.out-of-orderness",
            Duration.ofHours(4), Duration.ZERO, Duration.ofDays(1), "how late (in event time) a record may arrive and still be"
                    + " in order: event time trails the newest record by this much. Live situations are raised at once whatever"
                    + " it is; it decides whether a replay reproduces the live alert ids exactly when feeds enter records late");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("fenghuo.correlation.idle-timeout",
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1), "a silent partition no longer holds back event time after this");
    public static final Setting<Duration> ALLOWED_LATENESS = Setting.duration("fenghuo.correlation.allowed-lateness",
            Duration.ofDays(1), Duration.ZERO, Duration.ofDays(30), "how late (behind the watermark, beyond a rule's window) an event still counts");
    public static final Setting<Duration> ESCALATE_RED = Setting.duration("fenghuo.escalation.red", Duration.ofMinutes(15),
            Duration.ofSeconds(1), Duration.ofDays(7), "a RED alert not acknowledged this long is escalated one level");
    public static final Setting<Duration> ESCALATE_ORANGE = Setting.duration("fenghuo.escalation.orange", Duration.ofMinutes(30),
            Duration.ofSeconds(1), Duration.ofDays(7), "the same for ORANGE");
    public static final Setting<Duration> ESCALATE_YELLOW = Setting.duration("fenghuo.escalation.yellow", Duration.ofHours(2),
            Duration.ofSeconds(1), Duration.ofDays(7), "the same for YELLOW (BLUE is never escalated)");
    public static final Setting<Duration> HISTORICAL_AGE = Setting.duration("fenghuo.escalation.historical-age", Duration.ofHours(24),
            Duration.ofMinutes(1), Duration.ofDays(365), "situations older than this (replays) wait for event time and are neither notified nor escalated; newer ones"
                    + " are raised the moment they are detected");
    public static final Setting<Duration> ALERT_RETENTION = Setting.duration("fenghuo.alerts.state-retention", Duration.ofDays(30),
            Duration.ofHours(1), Duration.ofDays(365), "how long (event time) after its situation ended an alert still takes actions");
    public static final Setting<String> WEBHOOKS = Setting.string("fenghuo.notify.webhooks", "",
            "webhooks for new, raised and escalated alerts: 'URL;minLevel=ORANGE;regions=339901,339902' separated by '|'");
    public static final Setting<Integer> PARALLELISM = Setting.integer("fenghuo.correlation.parallelism", 1, 1, 1024,
            "parallelism of the correlation job");

    public static final List<Setting<?>> ALL = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            IngestSettings.KAFKA_BOOTSTRAP, IngestSettings.ES_HOSTS, IngestSettings.REGIONS, RULES_FILE, GROUP_ID,
            OUT_OF_ORDERNESS, IDLE_TIMEOUT, ALLOWED_LATENESS, ESCALATE_RED, ESCALATE_ORANGE, ESCALATE_YELLOW, HISTORICAL_AGE,
            ALERT_RETENTION, WEBHOOKS, IngestSettings.CHECKPOINT_INTERVAL, IngestSettings.CHECKPOINT_DIR, PARALLELISM),
            org.fenghuo.jobs.common.Platform.ALL.stream()).toList();

    public static CorrelationSettings from(Settings s) {
        String regions = IngestSettings.readableFile(s, IngestSettings.REGIONS);
        String rules = s.get(RULES_FILE);
        if (rules != null && !rules.isBlank()) rules = IngestSettings.readableFile(s, RULES_FILE);
        List<String> hosts = IngestSettings.elasticsearchHosts(s);
        String webhooks = s.get(WEBHOOKS);
        if (webhooks != null && !webhooks.isBlank()) {
            try {
                org.fenghuo.connectors.notify.WebhookTarget.parseList(webhooks);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("setting " + WEBHOOKS.name() + ": " + e.getMessage());
            }
        }
        Map<AlertLevel, Duration> limits = new EnumMap<>(AlertLevel.class);
        limits.put(AlertLevel.RED, s.get(ESCALATE_RED));
        limits.put(AlertLevel.ORANGE, s.get(ESCALATE_ORANGE));
        limits.put(AlertLevel.YELLOW, s.get(ESCALATE_YELLOW));
        return new CorrelationSettings(s.require(IngestSettings.KAFKA_BOOTSTRAP), hosts, regions,
                rules == null || rules.isBlank() ? null : rules, s.get(GROUP_ID), s.get(OUT_OF_ORDERNESS),
                s.get(IDLE_TIMEOUT), s.get(ALLOWED_LATENESS), limits, s.get(HISTORICAL_AGE), s.get(ALERT_RETENTION),
                webhooks == null ? "" : webhooks.strip(), s.get(IngestSettings.CHECKPOINT_INTERVAL),
                s.get(IngestSettings.CHECKPOINT_DIR), s.get(PARALLELISM), org.fenghuo.jobs.common.Platform.from(s));
    }

    public CorrelationTopology.Options options() {
        return new CorrelationTopology.Options(regionFile, allowedLateness, escalationLimits, historicalAge, alertRetention);
    }
}

package org.fenghuo.jobs.common;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.NormalizedEvent;

/** Each topic the jobs write, with its key and value serialisation, defined in one place. */
public final class KafkaSchemas {
    private KafkaSchemas() {}

    /**
     * {@code events.normalized}: key = event id (so one event's versions stay in one partition), value = event JSON.
     * The Kafka timestamp is the time of writing, not the event time: a replay of last month must not be deleted by
     * time-based retention as it is written; consumers read event time from the value.
     */
    public static KafkaRecordSerializationSchema<NormalizedEvent> eventsNormalized() {
        return (event, context, timestamp) -> new ProducerRecord<>(Topics.EVENTS_NORMALIZED, null,
                null, event.eventId().getBytes(StandardCharsets.UTF_8), Json.toBytes(event));
    }

    /** {@code feed.dead-letter}: key = the source coordinates, value = reason, metadata and the original bytes. */
    public static KafkaRecordSerializationSchema<DeadLetter> deadLetters() {
        return (dl, context, timestamp) -> new ProducerRecord<>(Topics.DEAD_LETTER, null, null,
                dl.deadLetterId().getBytes(StandardCharsets.UTF_8), Json.toBytes(dl.toKafkaValue()));
    }

    /** {@code alerts}: key = alert id (every version of one alert in one partition, in order), value = the alert JSON. */
    public static KafkaRecordSerializationSchema<org.fenghuo.core.alert.Alert> alerts() {
        return (alert, context, timestamp) -> new ProducerRecord<>(Topics.ALERTS, null, null,
                alert.alertId().getBytes(StandardCharsets.UTF_8), Json.toBytes(alert));
    }

    /** {@code control.rules}: the job's STATUS answers, keyed by the request id they answer. */
    public static KafkaRecordSerializationSchema<org.fenghuo.core.rules.RuleUpdate> ruleStatus() {
        return (status, context, timestamp) -> new ProducerRecord<>(Topics.CONTROL_RULES, null, null,
                status.requestId() == null ? null : status.requestId().getBytes(StandardCharsets.UTF_8), Json.toBytes(status));
    }

    /** {@code alert.actions}: key = alert id, so one alert's actions stay in order. */
    public static KafkaRecordSerializationSchema<org.fenghuo.core.alert.AlertAction> alertActions() {
        return (action, context, timestamp) -> new ProducerRecord<>(Topics.ALERT_ACTIONS, null, null,
                action.alertId() == null ? null : action.alertId().getBytes(StandardCharsets.UTF_8), Json.toBytes(action));
    }
}

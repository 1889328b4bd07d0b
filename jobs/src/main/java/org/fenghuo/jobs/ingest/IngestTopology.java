package org.fenghuo.jobs.ingest;


import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.jobs.common.GuardedWatermarks;

/**
 * The ingest job's topology as a function of its input and sinks: production passes Kafka and Elasticsearch,
 * tests pass in-memory data and collecting sinks.
 *
 * <pre>
 * raw feed records ─▶ normalise ─┬─▶ dedupe by event id ─▶ events.normalized, fenghuo-events
 *                                └─ dead letters ───────▶ feed.dead-letter, fenghuo-deadletters
 * </pre>
 */
public final class IngestTopology {
    private IngestTopology() {}

    /** Where the ingest job writes. */
    public record Sinks(Sink<NormalizedEvent> eventTopic, Sink<NormalizedEvent> eventIndex,
                        Sink<DeadLetter> deadLetterTopic, Sink<DeadLetter> deadLetterIndex) {}

    /** The per-partition event-time watermarks of the feed source, guarded against single wild timestamps. */
    public static WatermarkStrategy<RawFeedRecord> watermarks(Duration outOfOrderness, Duration idleTimeout) {
        return GuardedWatermarks.<RawFeedRecord>strategy(outOfOrderness)
                .withTimestampAssigner(new FeedEventTime())
                .withIdleness(idleTimeout);
    }

    public static void build(DataStream<RawFeedRecord> feeds, String regionFile, byte[] personKeySecret,
                             Duration dedupeRetention, Sinks sinks) {
        SingleOutputStreamOperator<NormalizedEvent> normalized = feeds
                .process(new NormalizeFeedRecords(regionFile, personKeySecret))
                .uid("normalize-feed-records").name("Validate, mask and normalise");

        DataStream<NormalizedEvent> events = normalized
                .keyBy(NormalizedEvent::eventId)
                .process(new DeduplicateEvents(dedupeRetention))
                .uid("deduplicate-events").name("Drop redelivered records");
        events.sinkTo(sinks.eventTopic()).uid("events-topic-sink").name("Kafka events.normalized");
        events.sinkTo(sinks.eventIndex()).uid("events-index-sink").name("Elasticsearch fenghuo-events");

        DataStream<DeadLetter> deadLetters = normalized.getSideOutput(NormalizeFeedRecords.DEAD_LETTERS);
        deadLetters.sinkTo(sinks.deadLetterTopic()).uid("dead-letter-topic-sink").name("Kafka feed.dead-letter");
        deadLetters.sinkTo(sinks.deadLetterIndex()).uid("dead-letter-index-sink").name("Elasticsearch fenghuo-deadletters");
    }
}

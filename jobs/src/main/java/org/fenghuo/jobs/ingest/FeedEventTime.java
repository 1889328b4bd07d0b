package org.fenghuo.jobs.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.time.OffsetDateTime;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.core.normalize.FeedNormalizer;

/**
 * Event time of a raw record, read at the source so that watermarks are tracked per Kafka partition (an idle or
 * lagging feed then cannot hold back or skip ahead of the others). It scans only the top-level time field with a
 * streaming parser; a record without a readable or plausible time falls back to its Kafka timestamp, never later than
 * now (it will be rejected anyway).
 */
public final class FeedEventTime implements SerializableTimestampAssigner<RawFeedRecord> {
    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public long extractTimestamp(RawFeedRecord record, long kafkaTimestamp) {
        long now = System.currentTimeMillis();
        Long t = eventTime(record);
        // a record dated beyond the future limit is rejected downstream; letting its time through would drag the
        // partition's watermark months ahead and fire every pending timer at once
        if (t != null && t <= now + FeedNormalizer.MAX_FUTURE.toMillis()) return t;
        long fallback = kafkaTimestamp > 0 ? kafkaTimestamp : record.kafkaTimestamp();
        return fallback > 0 ? Math.min(fallback, now) : now;
    }

    /** The record's event time in epoch ms, or null. For grid reports {@code occurredAt} wins over {@code reportedAt}. */
    public static Long eventTime(RawFeedRecord record) {
        Feed feed = Feed.byTopic(record.topic()).orElse(null);
        if (feed == null || record.value() == null || record.value().length == 0) return null;
        String primary = feed == Feed.GRID_REPORT ? "occurredAt" : feed.timeField();
        String fallback = feed.timeField();
        String primaryValue = null, fallbackValue = null;
        try (JsonParser p = FACTORY.createParser(record.value())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && (name.equals(primary) || name.equals(fallback))) {
                    if (name.equals(primary)) primaryValue = p.getText();
                    else fallbackValue = p.getText();
                    if (primaryValue != null) break;
                } else {
                    p.skipChildren();
                }
            }
        } catch (Exception e) {
            return null;
        }
        for (String v : new String[] {primaryValue, fallbackValue}) {
            if (v == null) continue;
            try {
                return OffsetDateTime.parse(v).toInstant().toEpochMilli();
            } catch (RuntimeException ignored) {
                // unreadable: the normaliser rejects it with the reason
            }
        }
        return null;
    }
}

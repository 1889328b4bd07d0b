package org.fenghuo.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.fenghuo.core.model.RawFeedRecord;
import org.junit.jupiter.api.Test;

class FeedEventTimeTest {
    private static RawFeedRecord raw(String topic, String json) {
        return new RawFeedRecord(topic, 0, 0, null, json.getBytes(StandardCharsets.UTF_8), 42L);
    }

    private static long ms(String iso) {
        return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
    }

    @Test
    void readsEachFeedsTimeField() {
        assertThat(new FeedEventTime().extractTimestamp(raw("feed.petitions",
                "{\"petitionId\":\"P\",\"nested\":{\"receivedAt\":\"x\"},\"receivedAt\":\"2026-03-05T11:00:00+08:00\"}"), 1))
                .isEqualTo(ms("2026-03-05T11:00:00+08:00"));
        assertThat(new FeedEventTime().extractTimestamp(raw("feed.labor-inspections",
                "{\"recordedAt\":\"2026-03-04T15:00:00+08:00\"}"), 1)).isEqualTo(ms("2026-03-04T15:00:00+08:00"));
    }

    @Test
    void gridReportPrefersOccurredAt() {
        assertThat(FeedEventTime.eventTime(raw("feed.grid-reports",
                "{\"reportedAt\":\"2026-03-05T09:30:00+08:00\",\"occurredAt\":\"2026-03-05T08:00:00+08:00\"}")))
                .isEqualTo(ms("2026-03-05T08:00:00+08:00"));
        assertThat(FeedEventTime.eventTime(raw("feed.grid-reports", "{\"reportedAt\":\"2026-03-05T09:30:00+08:00\"}")))
                .isEqualTo(ms("2026-03-05T09:30:00+08:00"));
    }

    @Test
    void unreadableRecordsFallBackToTheKafkaTimestamp() {
        assertThat(new FeedEventTime().extractTimestamp(raw("feed.petitions", "not json"), 7)).isEqualTo(7);
        assertThat(new FeedEventTime().extractTimestamp(raw("feed.petitions", "{\"receivedAt\":\"yesterday\"}"), 7)).isEqualTo(7);
        assertThat(new FeedEventTime().extractTimestamp(raw("feed.petitions", "[1]"), -1)).isEqualTo(42);
    }

    @Test
    void aRecordFarInTheFutureDoesNotDragTheWatermarkAhead() {
        long before = System.currentTimeMillis();
        long t = new FeedEventTime().extractTimestamp(raw("feed.petitions", "{\"receivedAt\":\"2099-01-01T00:00:00+08:00\"}"), Long.MAX_VALUE / 2);
        assertThat(t).isBetween(before, System.currentTimeMillis());
    }
}

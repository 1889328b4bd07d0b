package org.fenghuo.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fenghuo.core.feed.Feed;

/** Keeps every record sent, in order; for tests. Thread-safe. */
public final class InMemoryFeedSink implements FeedSink {

    /** One record as sent. */
    public record SentRecord(Feed feed, String key, byte[] value, long eventTimeMillis) {
        public String text() { return new String(value, StandardCharsets.UTF_8); }
    }

    private final List<SentRecord> records = new ArrayList<>();

    @Override
    public synchronized void send(Feed feed, String key, byte[] value, long eventTimeMillis) {
        records.add(new SentRecord(feed, key, value.clone(), eventTimeMillis));
    }

    public synchronized List<SentRecord> records() { return List.copyOf(records); }

    public synchronized List<SentRecord> records(Feed feed) {
        return records.stream().filter(r -> r.feed() == feed).toList();
    }

    public synchronized int size() { return records.size(); }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}

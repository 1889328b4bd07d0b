package org.fenghuo.simulator;

import org.fenghuo.core.feed.Feed;

/** Where simulated feed records go: Kafka, JSON-lines files, or memory. */
public interface FeedSink extends AutoCloseable {
    /**
     * @param key             the record id (the Kafka key of DESIGN §2)
     * @param value           the record's bytes as the feed delivers them, malformed or not
     * @param eventTimeMillis the record's event time, the Kafka record timestamp
     */
    void send(Feed feed, String key, byte[] value, long eventTimeMillis) throws Exception;

    void flush();

    @Override
    void close();
}

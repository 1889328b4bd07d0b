package org.fenghuo.cli;

import org.fenghuo.core.feed.Feed;
import org.fenghuo.simulator.FeedSink;

/** Passes records on and advances a progress bar. */
final class CountingSink implements FeedSink {
    private final FeedSink next;
    private final Progress progress;

    CountingSink(FeedSink next, Progress progress) {
        this.next = next;
        this.progress = progress;
    }

    @Override
    public void send(Feed feed, String key, byte[] value, long eventTimeMillis) throws Exception {
        next.send(feed, key, value, eventTimeMillis);
        progress.advance(1);
    }

    @Override
    public void flush() {
        next.flush();
    }

    @Override
    public void close() {
        next.close();
    }
}

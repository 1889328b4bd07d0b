package org.fenghuo.connectors.notify;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;

/**
 * The notifier writer's numbers. Every count is per delivery (one notification to one webhook), so a notification
 * routed to two webhooks counts twice. The same objects are registered as the writer's Flink metrics; they are
 * thread-safe because HTTP responses arrive on the HTTP client's threads.
 */
public final class NotifierStats {
    private final AtomicCounter sent = new AtomicCounter();
    private final AtomicCounter failed = new AtomicCounter();
    private final AtomicCounter retried = new AtomicCounter();
    private final AtomicCounter dropped = new AtomicCounter();
    private final AtomicCounter abandoned = new AtomicCounter();
    private final AtomicLong queued = new AtomicLong();

    NotifierStats() {}

    /** Deliveries the webhook answered with 2xx ({@code notificationsSent}). */
    public long sent() { return sent.getCount(); }

    /** Deliveries given up: non-retryable answer, or retryable until maxAttempts ({@code notificationsFailed}). */
    public long failed() { return failed.getCount(); }

    /** Retries scheduled ({@code notificationsRetried}); a delivery that needed 3 attempts counts 2. */
    public long retried() { return retried.getCount(); }

    /** Deliveries dropped because the queue was full ({@code notificationsDropped}). */
    public long dropped() { return dropped.getCount(); }

    /** Deliveries still outstanding when {@code close()} stopped waiting ({@code notificationsAbandoned}). */
    public long abandoned() { return abandoned.getCount(); }

    /** Deliveries accepted and not finished: waiting, backing off or in flight ({@code notificationsQueued}). */
    public long queued() { return queued.get(); }

    Counter sentCounter() { return sent; }

    Counter failedCounter() { return failed; }

    Counter retriedCounter() { return retried; }

    Counter droppedCounter() { return dropped; }

    Counter abandonedCounter() { return abandoned; }

    void setQueued(long n) { queued.set(n); }

    @Override
    public String toString() {
        return "NotifierStats[sent=" + sent() + ", failed=" + failed() + ", retried=" + retried() + ", dropped="
                + dropped() + ", abandoned=" + abandoned() + ", queued=" + queued() + "]";
    }

    /** A Flink counter that may be incremented from any thread. */
    static final class AtomicCounter implements Counter {
        private final AtomicLong count = new AtomicLong();

        @Override
        public void inc() { count.incrementAndGet(); }

        @Override
        public void inc(long n) { count.addAndGet(n); }

        @Override
        public void dec() { count.decrementAndGet(); }

        @Override
        public void dec(long n) { count.addAndGet(-n); }

        @Override
        public long getCount() { return count.get(); }
    }
}

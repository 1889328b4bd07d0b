package org.fenghuo.connectors.elasticsearch;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * A stand-in for a Flink task's mailbox in unit tests: mails are queued from any thread and run only by
 * whoever calls {@link #yield()} / {@link #runUntil}, which plays the task thread, as in Flink.
 */
final class TaskThreadMailbox implements MailboxExecutor {
    private final LinkedBlockingQueue<ThrowingRunnable<? extends Exception>> mails = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    @Override
    public void execute(MailOptions options, ThrowingRunnable<? extends Exception> command, String description,
                        Object... args) {
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("mailbox closed");
        }
        mails.add(command);
    }

    /** Like Flink's: blocks for the next mail and runs it; a mail's exception comes out of yield(). */
    @Override
    public void yield() throws InterruptedException {
        ThrowingRunnable<? extends Exception> mail = mails.poll(30, TimeUnit.SECONDS);
        if (mail == null) {
            throw new AssertionError("yield() waited 30 s without a mail: the writer would hang");
        }
        run(mail);
    }

    @Override
    public boolean tryYield() {
        ThrowingRunnable<? extends Exception> mail = mails.poll();
        if (mail == null) {
            return false;
        }
        run(mail);
        return true;
    }

    @Override
    public boolean shouldInterrupt() {
        return false;
    }

    /** Runs mails as they arrive until the condition holds; fails after the timeout. */
    void runUntil(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("condition not reached within " + timeoutMillis + " ms");
            }
            ThrowingRunnable<? extends Exception> mail = mails.poll(Math.min(left, 20), TimeUnit.MILLISECONDS);
            if (mail != null) {
                run(mail);
            }
        }
    }

    /** Runs whatever mails arrive during the given time. */
    void runFor(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long left;
        while ((left = deadline - System.currentTimeMillis()) > 0) {
            ThrowingRunnable<? extends Exception> mail = mails.poll(left, TimeUnit.MILLISECONDS);
            if (mail != null) {
                run(mail);
            }
        }
    }

    void close() {
        closed = true;
    }

    private static void run(ThrowingRunnable<? extends Exception> mail) {
        try {
            mail.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new FlinkRuntimeException(e);
        }
    }
}

package dev.blockdeck.engine.guest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A workload's counters, updated from the drives' context threads and read by queries on the main loop. Every
 * completed request counts once in {@code ops}: as a read or a write when it succeeded, as an error when it failed.
 */
final class WorkloadStats {
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong verifyFailures = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong offContext = new AtomicLong();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();

    /** Numbers at one moment (each counter read once; they may be a request apart). */
    record Snapshot(long ops, long reads, long writes, long errors, long verifyFailures, long bytesRead,
                    long bytesWritten, String firstProblem) {
    }

    void readDone(int bytes) {
        reads.incrementAndGet();
        bytesRead.addAndGet(bytes);
    }

    void writeDone(int bytes) {
        writes.incrementAndGet();
        bytesWritten.addAndGet(bytes);
    }

    void error(String why) {
        errors.incrementAndGet();
        problem(why);
    }

    void verifyFailure(String why) {
        verifyFailures.incrementAndGet();
        problem(why);
    }

    /** A request issued or completed off its drive's context thread: a bug in the engine, so it is loud. */
    void offContext(String why) {
        offContext.incrementAndGet();
        problem(why);
    }

    /** Remembers the first thing that went wrong (what the query shows as {@code error}). */
    void problem(String why) {
        firstProblem.compareAndSet(null, why);
    }

    long offContextEvents() {
        return offContext.get();
    }

    Snapshot snapshot() {
        long r = reads.get();
        long w = writes.get();
        long e = errors.get();
        return new Snapshot(r + w + e, r, w, e, verifyFailures.get(), bytesRead.get(), bytesWritten.get(),
                firstProblem.get());
    }
}

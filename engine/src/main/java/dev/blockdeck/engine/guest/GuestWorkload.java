package dev.blockdeck.engine.guest;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockTimers;

/**
 * One running workload: its streams of requests (free-running slots, or dependent writer chains), the verified
 * read and stamped write they are made of, pacing, and the stop handshake.
 *
 * <p>Every request is issued and completed on its drive's context thread; the next request of a stream is queued
 * to the context of its drive at that moment, so a drive moving to another IOThread simply carries on there.
 * Stop: {@link #requestStop} and then wait, on the main loop, until {@link #inFlight} is zero. A stream step counts
 * itself in flight before it looks at the stop flag, so no request can start after that wait ends.
 */
final class GuestWorkload {
    private static final long RETRY_NS = 1_000_000;

    private final WorkloadConfig config;
    private final List<GuestDrive> drives;
    private final BlockTimers timers;
    private final Runnable kick;
    private final WorkloadStats stats = new WorkloadStats();
    private final RateLimiter limiter;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private volatile boolean stopped;
    private final java.util.function.BiConsumer<String, com.fasterxml.jackson.databind.node.ObjectNode> events;

    /**
     * {@code kick} wakes a main-loop wait when the in-flight count drops (the graph's kickWaiters); {@code events}
     * sends an event (the graph's emitEvent).
     */
    GuestWorkload(WorkloadConfig config, List<GuestDrive> drives, BlockTimers timers, Runnable kick,
                  java.util.function.BiConsumer<String, com.fasterxml.jackson.databind.node.ObjectNode> events) {
        this.events = events;
        this.config = config;
        this.drives = List.copyOf(drives);
        this.timers = timers;
        this.kick = kick;
        this.limiter = new RateLimiter(config.rate());
    }

    WorkloadConfig config() {
        return config;
    }

    List<GuestDrive> drives() {
        return drives;
    }

    WorkloadStats stats() {
        return stats;
    }

    /** Starts every stream (each on its drive's context thread). */
    void start() {
        if (config.dependent()) {
            streams.set(config.writers());
            for (int w = 0; w < config.writers(); w++) {
                new DependentWriter(this, w).start();
            }
        } else {
            streams.set(drives.size() * config.queueDepth());
            for (GuestDrive d : drives) {
                for (int slot = 0; slot < config.queueDepth(); slot++) {
                    new FreeRunningSlot(this, d, slot).start();
                }
            }
        }
    }

    /** Running: not stopped, and some stream still going (a dependent workload ends when a drive is full). */
    boolean running() {
        return !stopped && streams.get() > 0;
    }

    void requestStop() {
        stopped = true;
    }

    int inFlight() {
        return inFlight.get();
    }

    // ---- for the streams -----------------------------------------------------------------------------------------

    /** A step begins: counts itself in flight; false (and uncounted) once the workload is stopping. */
    boolean begin() {
        inFlight.incrementAndGet();
        if (stopped) {
            end();
            return false;
        }
        return true;
    }

    /** A step ends (after it queued its successor, if any). */
    void end() {
        inFlight.decrementAndGet();
        kick.run();
    }

    /** A stream is done for good (stopped, drive full, or a dependent write failed). */
    void streamEnded() {
        streams.decrementAndGet();
    }

    boolean stopping() {
        return stopped;
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    /** Queues {@code step} on {@code d}'s context, after the rate limit allows another request. */
    void pace(GuestDrive d, Runnable step) {
        long delay;
        synchronized (limiter) {
            delay = limiter.delayNs(System.nanoTime());
        }
        if (delay <= 0) {
            d.execute(step);
            return;
        }
        try {
            // the wait only says when to ask again: the slot is taken then
            timers.schedule(d.context(), delay, () -> pace(d, step));
        } catch (RejectedExecutionException shutDown) {
            streamEnded();
        }
    }

    /** Issues what {@code p} says; {@code then} gets whether the request succeeded. */
    void issue(GuestDrive d, GuestDrive.Pick p, long sequence, int writer, Consumer<Boolean> then) {
        if (p.read()) {
            read(d, p.lba(), p.value(), then);
        } else {
            write(d, p.lba(), p.value(), sequence, writer, then);
        }
    }

    /** Runs {@code step} on {@code d}'s context after a short pause (nothing to do now, or after a failure). */
    void retryLater(GuestDrive d, Runnable step) {
        try {
            timers.schedule(d.context(), RETRY_NS, () -> d.run(step));
        } catch (RejectedExecutionException shutDown) {
            streamEnded();
        }
    }

    /** Reads block {@code lba} of {@code d} and verifies it against what was complete at issue. */
    private void read(GuestDrive d, int lba, long completedAtIssue, Consumer<Boolean> then) {
        int bs = d.blockSize;
        ByteBuffer buf = ByteBuffer.allocate(bs);
        AioContext issuedIn = d.context();
        Thread issuer = Thread.currentThread();
        d.disk.read((long) lba * bs, buf.duplicate()).whenComplete((v, e) -> {
            checkThread(d, issuedIn, issuer, "read");
            d.run(() -> {
                if (e != null) {
                    stats.error("drive '" + d.name + "': read of block " + lba + " failed: " + e.getMessage());
                } else {
                    stats.readDone(bs);
                    String why = d.verify(lba, BlockStamp.read(buf, lba), completedAtIssue);
                    if (why != null) {
                        stats.verifyFailure("drive '" + d.name + "': " + why);
                        events.accept(GuestCommands.VERIFY_FAILED, com.fasterxml.jackson.databind.node.JsonNodeFactory
                                .instance.objectNode().put("id", config.id()).put("drive", d.name).put("block", lba)
                                .put("reason", why));
                    }
                }
                then.accept(e == null);
            });
        });
    }

    /** Writes block {@code lba} of {@code d} with a stamp (its generation already marked in flight). */
    private void write(GuestDrive d, int lba, long generation, long sequence, int writer, Consumer<Boolean> then) {
        int bs = d.blockSize;
        ByteBuffer buf = ByteBuffer.allocate(bs);
        BlockStamp.write(buf, new BlockStamp.Stamp(lba, generation, sequence, writer));
        AioContext issuedIn = d.context();
        Thread issuer = Thread.currentThread();
        d.disk.write((long) lba * bs, buf).whenComplete((v, e) -> {
            checkThread(d, issuedIn, issuer, "write");
            d.run(() -> {
                d.finishWrite(lba, generation, e == null);
                if (e != null) {
                    stats.error("drive '" + d.name + "': write of block " + lba + " failed: " + e.getMessage());
                } else {
                    stats.writeDone(bs);
                }
                then.accept(e == null);
            });
        });
    }

    /**
     * A completion must run on its drive's context thread: the one it was issued in or, when the drive moved
     * meanwhile (its queued requests restart there), the current one. A request that was already done when its
     * callback was attached runs the callback on the issuing thread (a step that started in the drive's old context
     * just before a move); that is not a completion off its context.
     */
    private void checkThread(GuestDrive d, AioContext issuedIn, Thread issuer, String what) {
        AioContext now = d.context();
        if (Thread.currentThread() != issuer && !now.inThread() && !issuedIn.inThread()) {
            stats.offContext("drive '" + d.name + "': " + what + " completed on thread "
                    + Thread.currentThread().getName() + ", outside its AioContext " + now.name());
        }
    }
}

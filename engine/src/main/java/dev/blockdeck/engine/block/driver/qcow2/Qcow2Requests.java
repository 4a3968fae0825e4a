package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockIOException.Errno;

/**
 * The guest requests of one qcow2 node, run as QEMU's qcow2 runs them: the metadata is touched only by the holder
 * of the node's {@link MetadataLock}; the data moves without it, many requests at once.
 *
 * <ul>
 * <li>A read, or a write into clusters that are allocated and owned (nothing to change in the tables), takes the
 * lock on the context thread just long enough to map itself from the cached tables ({@link CachedMapping}), then
 * sends its data I/O through the {@link DataPath} and lets the next request in: any number of them are in flight
 * together.</li>
 * <li>Everything else (an L2 slice to load, an allocation with its copy-on-write, zeroing, discard, flush, a
 * compressed cluster) is a job for the blocking {@link Qcow2Image} on the node's worker; the job holds the lock
 * from its turn until its completion is back on the context thread, so allocations are serialised per node and a
 * request behind one sees its result, never a half-done state.</li>
 * <li>A job that changes how clusters map (allocate, copy-on-write, zero, discard) first waits until the
 * lock-free data I/O on those guest clusters ({@link InFlightClusters}) has finished.</li>
 * </ul>
 * Flush is a job like the others: it runs after every job that came before it, and writes back what they cached.
 */
final class Qcow2Requests {
    /** Work for the blocking image, on the worker, lock held. */
    interface Job {
        void run(Qcow2Image img) throws IOException;
    }

    private final Qcow2Image img;
    private final DataPath io;
    private final Consumer<Runnable> inContext;
    private final Executor worker;
    private final MetadataLock lock = new MetadataLock();
    private final InFlightClusters inFlight = new InFlightClusters();

    /**
     * @param inContext runs a task on the node's context thread (at once when already there)
     * @param worker    runs blocking jobs off the context thread
     */
    Qcow2Requests(Qcow2Image img, DataPath io, Consumer<Runnable> inContext, Executor worker) {
        this.img = img;
        this.io = io;
        this.inContext = inContext;
        this.worker = worker;
    }

    CompletableFuture<Void> read(long offset, ByteBuffer buf) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int len = buf.remaining();
        lock.acquire(() -> {
            List<CachedMapping.Segment> plan = plan(() -> CachedMapping.read(img, offset, len));
            if (plan == null) {
                job(offset, len, false, i -> i.read(offset, buf), done);
            } else {
                lock.release();
                send(plan, offset, len, buf, false, done);
            }
        });
        return done;
    }

    CompletableFuture<Void> write(long offset, ByteBuffer buf) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int len = buf.remaining();
        lock.acquire(() -> {
            List<CachedMapping.Segment> plan = plan(() -> CachedMapping.overwrite(img, offset, len));
            if (plan == null) {
                job(offset, len, true, i -> i.write(offset, buf), done);
            } else {
                lock.release();
                send(plan, offset, len, buf, true, done);
            }
        });
        return done;
    }

    /** A mapping from the cache, or null (the locked path) if it fails: the lock must never be left held. */
    private static List<CachedMapping.Segment> plan(Supplier<List<CachedMapping.Segment>> p) {
        try {
            return p.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    CompletableFuture<Void> writeZeroes(long offset, long bytes, boolean mayUnmap) {
        return locked(offset, bytes, true, i -> i.writeZeroes(offset, bytes, mayUnmap));
    }

    CompletableFuture<Void> discard(long offset, long bytes) {
        return locked(offset, bytes, true, i -> i.discard(offset, bytes));
    }

    /** Writes back the cached tables and flushes the file, after every job queued before it. */
    CompletableFuture<Void> flush() {
        return locked(0, 0, false, Qcow2Image::flush);
    }

    private CompletableFuture<Void> locked(long offset, long bytes, boolean remaps, Job w) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.acquire(() -> job(offset, bytes, remaps, w, done));
        return done;
    }

    /**
     * Runs {@code w} on the worker; the caller holds the lock, which passes on once the job's completion is back on
     * the context thread. {@code remaps}: wait for lock-free I/O on the request's clusters first.
     */
    private void job(long offset, long bytes, boolean remaps, Job w, CompletableFuture<Void> done) {
        Runnable start = () -> {
            try {
                worker.execute(() -> {
                    Throwable err = null;
                    try {
                        w.run(img);
                    } catch (IOException | RuntimeException e) {
                        err = asBlockError(e);
                    }
                    Throwable failure = err;
                    inContext.accept(() -> {
                        lock.release();
                        finish(done, failure);
                    });
                });
            } catch (RuntimeException e) {
                lock.release(); // no worker (shutting down): the lock must not stay taken
                finish(done, e);
            }
        };
        if (remaps && bytes > 0) {
            inFlight.whenIdle(offset >>> img.clusterBits, (offset + bytes - 1) >>> img.clusterBits, start);
        } else {
            start.run();
        }
    }

    /** Sends the data I/O of a mapped request, its clusters marked in flight until all of it is done. */
    private void send(List<CachedMapping.Segment> plan, long offset, int len, ByteBuffer buf, boolean write,
            CompletableFuture<Void> done) {
        InFlightClusters.Span span = inFlight.add(offset >>> img.clusterBits,
                (offset + Math.max(len, 1) - 1) >>> img.clusterBits);
        List<CompletableFuture<Void>> parts = new ArrayList<>(plan.size());
        int base = buf.position();
        for (CachedMapping.Segment s : plan) {
            CompletableFuture<Void> p;
            try {
                ByteBuffer part = buf.slice(base + s.bufOffset(), s.length());
                p = switch (s.kind()) {
                    case DATA -> write ? io.writeFile(s.at(), part) : io.readFile(s.at(), part);
                    case BACKING -> io.readBacking(s.at(), part);
                    case ZERO -> zero(part);
                };
            } catch (RuntimeException e) {
                p = CompletableFuture.failedFuture(e); // the span must still be released below
            }
            parts.add(p);
        }
        CompletableFuture<Void> all = parts.size() == 1 ? parts.get(0)
                : CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
        all.whenComplete((v, e) -> inContext.accept(() -> {
            inFlight.remove(span);
            if (e == null) {
                buf.position(buf.limit());
            }
            finish(done, e);
        }));
    }

    private static CompletableFuture<Void> zero(ByteBuffer b) {
        for (int i = 0; i < b.limit(); i++) {
            b.put(i, (byte) 0);
        }
        return CompletableFuture.completedFuture(null);
    }

    private static void finish(CompletableFuture<Void> done, Throwable e) {
        if (e == null) {
            done.complete(null);
            return;
        }
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        done.completeExceptionally(asBlockError(cause));
    }

    /**
     * The errno a failure of the core stands for (QEMU returns -errno from the driver); the message is the errno's
     * text, as the guest and QEMU's tools see it, the details stay in the cause.
     */
    static BlockIOException asBlockError(Throwable e) {
        if (e instanceof BlockIOException b) {
            return b;
        }
        if (e instanceof Qcow2Exception q) {
            Errno n = switch (q.kind()) {
                case NO_SPACE -> Errno.ENOSPC;
                case UNSUPPORTED -> Errno.ENOTSUP;
                case ACCESS -> Errno.EPERM;
                default -> Errno.EIO;
            };
            return new BlockIOException(n, null, q);
        }
        return new BlockIOException(Errno.EIO, null, e);
    }

    /** For tests: whether the lock is held, and how many lock-free requests are in flight. */
    boolean lockHeld() {
        return lock.isHeld();
    }

    int inFlight() {
        return inFlight.size();
    }
}

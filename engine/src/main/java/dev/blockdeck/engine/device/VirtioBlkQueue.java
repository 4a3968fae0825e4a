package dev.blockdeck.engine.device;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockIOException;

/**
 * A virtio-blk request queue: the guest puts requests on it from any thread and kicks it (the ioeventfd); the
 * device's handler takes them off in the device's AioContext and issues them on its BlockBackend, whose completions
 * come back on that thread.
 *
 * <p>A drained section pauses the handler (requests stay on the queue, as QEMU detaches the ioeventfd handler) and
 * counts a handler that is mid-dispatch as the device's own request, so the drain waits for it. A context move
 * happens while drained: {@link #moveTo} only points the handler at the new thread, and the end of the section kicks
 * it there. A handler run queued to the old thread hops to the new one.
 */
final class VirtioBlkQueue {
    /** One guest request. */
    private record Request(Kind kind, long offset, ByteBuffer buf, CompletableFuture<Void> done) {
    }

    private enum Kind { READ, WRITE, FLUSH }

    private final BlockBackend blk;
    private final Runnable kickWaiters;
    private final ConcurrentLinkedQueue<Request> ring = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger dispatching = new AtomicInteger();
    private volatile AioContext ctx;
    private volatile boolean paused;
    private volatile boolean stopped;

    /** {@code kickWaiters} wakes a main-loop drain waiting for {@link #busy} (the graph's kickWaiters). */
    VirtioBlkQueue(BlockBackend blk, Runnable kickWaiters) {
        this.blk = blk;
        this.kickWaiters = kickWaiters;
        this.ctx = blk.aioContext();
    }

    AioContext context() {
        return ctx;
    }

    CompletableFuture<Void> read(long offset, ByteBuffer buf) {
        return submit(new Request(Kind.READ, offset, buf, new CompletableFuture<>()));
    }

    CompletableFuture<Void> write(long offset, ByteBuffer buf) {
        return submit(new Request(Kind.WRITE, offset, buf, new CompletableFuture<>()));
    }

    CompletableFuture<Void> flush() {
        return submit(new Request(Kind.FLUSH, 0, null, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> submit(Request r) {
        if (stopped) {
            r.done.completeExceptionally(new BlockIOException(BlockIOException.Errno.ENOMEDIUM));
            return r.done;
        }
        ring.add(r);
        kick();
        return r.done;
    }

    /** The guest notified the device: run the handler in the device's context (once, however many kicks). */
    private void kick() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                ctx.execute(this::handle);
            } catch (IllegalStateException engineStopped) {
                scheduled.set(false);
                failAll();
            }
        }
    }

    private void handle() {
        AioContext c = ctx;
        if (!c.inThread()) {
            c.execute(this::handle); // the device moved after this run was queued
            return;
        }
        scheduled.set(false);
        // counted before the pause flag is read: a drain beginning now either sees us busy or we see it paused
        dispatching.incrementAndGet();
        try {
            while (!paused && !stopped) {
                Request r = ring.poll();
                if (r == null) {
                    break;
                }
                issue(r);
            }
        } finally {
            dispatching.decrementAndGet();
            kickWaiters.run();
        }
        if (stopped) {
            failAll();
        }
    }

    private void issue(Request r) {
        CompletableFuture<Void> f = switch (r.kind) {
            case READ -> blk.pread(r.offset, r.buf);
            case WRITE -> blk.pwrite(r.offset, r.buf, 0);
            case FLUSH -> blk.flush();
        };
        f.whenComplete((v, e) -> {
            if (e == null) {
                r.done.complete(null);
            } else {
                r.done.completeExceptionally(e);
            }
        });
    }

    /** Drained section begins (main loop): take nothing more off the queue. */
    void pause() {
        paused = true;
    }

    /** Drained section ends: take requests again, in the context of the moment. */
    void resume() {
        paused = false;
        if (!ring.isEmpty()) {
            kick();
        }
    }

    /** Whether the handler is issuing requests right now (a drain must wait for it). */
    boolean busy() {
        return dispatching.get() > 0;
    }

    /** Commit phase of a move (drained): the handler runs in {@code c} from now on. */
    void moveTo(AioContext c) {
        ctx = c;
    }

    /** Unplug: requests still on the queue fail as on a vanished disk; later ones fail at once. */
    void stop() {
        stopped = true;
        failAll();
    }

    private void failAll() {
        for (Request r = ring.poll(); r != null; r = ring.poll()) {
            r.done.completeExceptionally(new BlockIOException(BlockIOException.Errno.ENOMEDIUM));
        }
    }
}

package dev.blockdeck.engine.block;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockAcctStats.Type;
import dev.blockdeck.engine.block.BlockIOException.Errno;

/**
 * A BlockBackend: where guest devices, {@code -drive} and jobs attach to the graph. It has an optional name
 * (from {@code -drive id=}), at most one root node, the permissions it takes on that root, an optional device, an
 * AioContext and I/O accounting.
 *
 * <p>Requests may be issued from any thread; they run on the backend's AioContext thread and their futures
 * complete there. While the backend is drained (its root or anything below is in a drained section), new requests
 * are queued instead of issued and restart, in order, when the section ends.
 */
public final class BlockBackend implements BlockParent {
    private final BlockGraph graph;
    private String name;
    private volatile BdrvChild root;
    private int perm;
    private int sharedPerm;
    private volatile AioContext ctx;
    private volatile boolean allowBeyondEof;
    private BlockDevice device;
    private boolean allowContextChange;
    private volatile boolean writeCache = true;
    private String onReadError = "report";
    private String onWriteError = "enospc";
    private final BlockAcctStats stats = new BlockAcctStats();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int quiesceCounter;
    private final ConcurrentLinkedDeque<Request> queued = new ConcurrentLinkedDeque<>();
    private boolean deleted;

    private record Request(Type type, long offset, ByteBuffer buf, long bytes, int flags,
                           CompletableFuture<Void> done) {
    }

    BlockBackend(BlockGraph graph, AioContext ctx, int perm, int sharedPerm) {
        this.graph = graph;
        this.ctx = ctx;
        this.perm = perm;
        this.sharedPerm = sharedPerm;
    }

    // ---- identity ----------------------------------------------------------------------------------------------

    /** The name ({@code -drive id=}), or null for an anonymous backend. */
    public String name() {
        return name;
    }

    void setName(String n) {
        name = n;
    }

    /** The root edge, or null when the backend has no medium. */
    public BdrvChild rootEdge() {
        return root;
    }

    void setRootEdge(BdrvChild r) {
        root = r;
    }

    /** The root node, or null. */
    public BlockNode root() {
        BdrvChild r = root;
        return r == null ? null : r.node();
    }

    public int perm() {
        return perm;
    }

    public int sharedPerm() {
        return sharedPerm;
    }

    void setPermFields(int p, int s) {
        perm = p;
        sharedPerm = s;
    }

    public BlockDevice device() {
        return device;
    }

    void setDevice(BlockDevice d) {
        device = d;
    }

    /** The device's id or QOM path, or "" (QEMU's blk_get_attached_dev_id). */
    public String attachedDeviceId() {
        return device == null ? "" : device.attachedDeviceId();
    }

    /** Jobs' internal backends may follow their nodes into another context (blk_set_allow_aio_context_change). */
    public void setAllowContextChange(boolean allow) {
        allowContextChange = allow;
    }

    public boolean writeCacheEnabled() {
        return writeCache;
    }

    /** With the write cache off every write is FUA (QEMU's cache=writethrough). */
    public void setWriteCache(boolean on) {
        writeCache = on;
    }

    /** BlockdevOnError for reads ({@code -drive rerror=}, default report): what a device does on a failure. */
    public String onReadError() {
        return onReadError;
    }

    /** BlockdevOnError for writes ({@code -drive werror=}, default enospc). */
    public String onWriteError() {
        return onWriteError;
    }

    public void setOnError(String read, String write) {
        onReadError = read;
        onWriteError = write;
    }

    public BlockAcctStats stats() {
        return stats;
    }

    @Override
    public AioContext aioContext() {
        return ctx;
    }

    /**
     * Runs tasks on the backend's current context thread (inline when already there). A callback attached to a
     * request's future from another thread may run on that thread if the request is already done; attach it with
     * {@code whenCompleteAsync(cb, blk.contextExecutor())} to have it run in the context.
     */
    public java.util.concurrent.Executor contextExecutor() {
        return r -> ctx.run(r);
    }

    void setAioContext(AioContext c) {
        ctx = c;
        if (device != null) {
            device.contextChanged(c);
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int quiesceCounter() {
        return quiesceCounter;
    }

    /** Requests waiting for the end of a drained section. */
    public int queuedRequests() {
        return queued.size();
    }

    boolean isDeleted() {
        return deleted;
    }

    void markDeleted() {
        deleted = true;
    }

    // ---- BlockParent -----------------------------------------------------------------------------------------

    @Override
    public String parentDescription() {
        if (name != null) {
            return "block device '" + name + "'";
        }
        String dev = attachedDeviceId();
        return dev.isEmpty() ? "an unnamed block device" : "block device '" + dev + "'";
    }

    @Override
    public boolean changeContext(BdrvChild via, AioContext target, ContextChange change) {
        if (!allowContextChange && (name == null || device != null)) {
            if (device == null || !device.allowsContextChange(target)) {
                return change.refuse("Cannot change iothread of active block backend");
            }
        }
        change.addBackend(this);
        return true;
    }

    @Override
    public void childDrainedBegin(BdrvChild via) {
        if (++quiesceCounter == 1 && device != null) {
            device.drainedBegin();
        }
    }

    @Override
    public void childDrainedEnd(BdrvChild via) {
        if (--quiesceCounter == 0) {
            if (device != null) {
                device.drainedEnd();
            }
            AioContext c = ctx;
            try {
                c.execute(this::resumeQueued);
            } catch (IllegalStateException stopped) {
                // shutting down: nothing will run queued requests any more
            }
        }
    }

    @Override
    public boolean childDrainedPoll(BdrvChild via) {
        return (device != null && device.drainedPoll()) || inFlight.get() > 0;
    }

    // ---- I/O: callable from any thread; completes on the backend's context thread ---------------------------

    /** Reads {@code buf.remaining()} bytes at {@code offset} into {@code buf}. */
    public CompletableFuture<Void> pread(long offset, ByteBuffer buf) {
        return submit(new Request(Type.READ, offset, buf, buf.remaining(), 0, new CompletableFuture<>()));
    }

    /** Writes {@code buf.remaining()} bytes at {@code offset}. Needs the write permission. */
    public CompletableFuture<Void> pwrite(long offset, ByteBuffer buf, int flags) {
        return submit(new Request(Type.WRITE, offset, buf, buf.remaining(), flags, new CompletableFuture<>()));
    }

    /** Writes zeroes (accounted as a write, as QEMU does). */
    public CompletableFuture<Void> pwriteZeroes(long offset, long bytes, int flags) {
        return submit(new Request(Type.WRITE, offset, null, bytes, flags | BlockRequest.ZERO_WRITE,
                new CompletableFuture<>()));
    }

    public CompletableFuture<Void> pdiscard(long offset, long bytes) {
        return submit(new Request(Type.UNMAP, offset, null, bytes, 0, new CompletableFuture<>()));
    }

    /** Sets the root node's length (needs the resize permission). */
    public CompletableFuture<Void> truncate(long size) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            ctx.run(() -> {
                BlockNode r = root();
                if (r == null) {
                    f.completeExceptionally(new BlockIOException(Errno.ENOMEDIUM));
                } else {
                    r.truncate(size).whenComplete((v, e) -> {
                        if (e != null) {
                            f.completeExceptionally(e);
                        } else {
                            f.complete(null);
                        }
                    });
                }
            });
        } catch (IllegalStateException stopped) {
            f.completeExceptionally(new BlockIOException(Errno.EIO, "engine stopped", stopped));
        }
        return f;
    }

    public CompletableFuture<Void> flush() {
        return submit(new Request(Type.FLUSH, 0, null, 0, 0, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> submit(Request r) {
        AioContext c = ctx;
        try {
            c.run(() -> start(r));
        } catch (IllegalStateException stopped) {
            r.done.completeExceptionally(new BlockIOException(Errno.EIO, "engine stopped", stopped));
        }
        return r.done;
    }

    /** On some context thread: hop to the current one, then issue or queue. */
    private void start(Request r) {
        AioContext c = ctx;
        if (!c.inThread()) {
            c.execute(() -> start(r));
            return;
        }
        if (quiesceCounter > 0 || !queued.isEmpty()) {
            queued.addLast(r);
            if (quiesceCounter == 0) {
                c.execute(this::resumeQueued);
            }
            return;
        }
        // count first, then look at the drain flag: a drain that begins now either sees us in flight or we see it
        inFlight.incrementAndGet();
        if (quiesceCounter > 0) {
            inFlight.decrementAndGet();
            graph.kickWaiters();
            queued.addLast(r);
            return;
        }
        dispatch(r);
    }

    private void resumeQueued() {
        AioContext c = ctx;
        if (!c.inThread()) {
            c.execute(this::resumeQueued);
            return;
        }
        while (quiesceCounter == 0) {
            Request r = queued.pollFirst();
            if (r == null) {
                return;
            }
            inFlight.incrementAndGet();
            if (quiesceCounter > 0) {
                inFlight.decrementAndGet();
                graph.kickWaiters();
                queued.addFirst(r);
                return;
            }
            dispatch(r);
        }
    }

    private void dispatch(Request r) {
        long startNs = BlockAcctStats.start();
        CompletableFuture<Void> f;
        BdrvChild edge = root;
        if (edge == null) {
            f = CompletableFuture.failedFuture(new BlockIOException(Errno.ENOMEDIUM));
        } else if (r.type != Type.FLUSH && !inRange(edge.node(), r.offset, r.bytes, allowBeyondEof)) {
            stats.invalid(r.type);
            finish(r, CompletableFuture.failedFuture(new BlockIOException(Errno.EIO)), startNs, false);
            return;
        } else {
            int flags = r.flags;
            if (!writeCache && r.type == Type.WRITE) {
                flags |= BlockRequest.FUA;
            }
            f = issue(edge, r, flags);
        }
        finish(r, f, startNs, true);
    }

    private static CompletableFuture<Void> issue(BdrvChild edge, Request r, int flags) {
        try {
            return switch (r.type) {
                case READ -> edge.preadv(r.offset, r.buf, 0);
                case WRITE -> (flags & BlockRequest.ZERO_WRITE) != 0
                        ? edge.pwriteZeroes(r.offset, r.bytes, flags)
                        : edge.pwritev(r.offset, r.buf, flags);
                case UNMAP -> edge.pdiscard(r.offset, r.bytes);
                case FLUSH -> edge.node().flush();
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new BlockIOException(Errno.EIO, e.toString(), e));
        }
    }

    private void finish(Request r, CompletableFuture<Void> f, long startNs, boolean account) {
        f.whenComplete((v, e) -> {
            if (account) {
                if (e == null) {
                    stats.done(r.type, r.bytes, startNs);
                } else {
                    stats.failed(r.type, startNs);
                }
            }
            // the caller's callback runs while the request still counts as in flight (as QEMU's blk_aio_complete):
            // a drain, and so a context move, waits for it instead of racing with it
            try {
                if (e == null) {
                    r.done.complete(null);
                } else {
                    r.done.completeExceptionally(e instanceof java.util.concurrent.CompletionException ce
                            && ce.getCause() != null ? ce.getCause() : e);
                }
            } finally {
                inFlight.decrementAndGet();
                graph.kickWaiters();
            }
        });
    }

    /** QEMU's blk_set_allow_write_beyond_eof: image formatting writes past the current end of the file. */
    public void setAllowWriteBeyondEof(boolean allow) {
        allowBeyondEof = allow;
    }

    private static boolean inRange(BlockNode bs, long offset, long bytes, boolean beyondEof) {
        if (beyondEof) {
            return offset >= 0 && bytes >= 0;
        }
        long len = bs.length();
        return offset >= 0 && bytes >= 0 && offset <= len && len - offset >= bytes;
    }

    @Override
    public String toString() {
        return "BlockBackend[" + (name == null ? "<anonymous>" : name) + "]";
    }
}

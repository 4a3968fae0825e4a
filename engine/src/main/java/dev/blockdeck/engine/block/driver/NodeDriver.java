package dev.blockdeck.engine.block.driver;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BdrvChild;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.Perms;

/**
 * The per-node state of a driver (QEMU's {@code bs->opaque} plus the driver's callbacks).
 *
 * <p>Threading: the request methods ({@link #preadv}, {@link #pwritev}, ...) are called on the node's AioContext
 * thread and must complete their future on that same thread (blocking work goes to the worker pool, whose
 * completion hops back with {@link #complete}). Everything else (open, permissions, context attach/detach,
 * queries, close) runs on the main loop while the node is quiescent where it matters: a context move and close
 * happen inside a drained section, so no request is in flight then.
 */
public abstract class NodeDriver {
    protected final BlockNode node;

    protected NodeDriver(BlockNode node) {
        this.node = node;
    }

    public BlockNode node() {
        return node;
    }

    /**
     * Opens the node: reads (and removes) the driver's own options from {@code options}, opens children through
     * {@code ctx}. Runs on the main loop; throws {@code BlockException} with QEMU's message on failure, after
     * which {@link #close} is still called and must cope with a half-open state.
     */
    public abstract void open(dev.blockdeck.engine.block.NodeOptions options, int openFlags, OpenContext ctx);

    /** The node's length in bytes (not rounded; the node rounds it up to whole sectors). */
    public abstract long length() throws BlockIOException;

    // ---- requests: on the node's context thread, futures completed on it ------------------------------------

    /** Fills {@code buf} (position to limit) from {@code offset}. */
    public abstract CompletableFuture<Void> preadv(long offset, ByteBuffer buf, int flags);

    /** Writes {@code buf} (position to limit) at {@code offset}. */
    public abstract CompletableFuture<Void> pwritev(long offset, ByteBuffer buf, int flags);

    /**
     * The alignment requests to this driver need, in bytes (QEMU's {@code bl.request_alignment}): 1 for drivers
     * with a byte interface; direct I/O on a file needs its block size.
     */
    public int requestAlignment() {
        return 1;
    }

    /** Whether {@link #pwriteZeroes} is cheaper than writing a zero buffer (QEMU: driver has write_zeroes). */
    public boolean supportsWriteZeroes() {
        return false;
    }

    /** Writes zeroes; the default writes a zero buffer in chunks. */
    public CompletableFuture<Void> pwriteZeroes(long offset, long bytes, int flags) {
        return zeroByWriting(offset, bytes, flags & ~(dev.blockdeck.engine.block.BlockRequest.ZERO_WRITE
                | dev.blockdeck.engine.block.BlockRequest.MAY_UNMAP));
    }

    protected final CompletableFuture<Void> zeroByWriting(long offset, long bytes, int flags) {
        final int chunk = (int) Math.min(bytes, 1 << 20);
        CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
        long done = 0;
        while (done < bytes) {
            long at = offset + done;
            int len = (int) Math.min(chunk, bytes - done);
            f = f.thenCompose(v -> pwritev(at, ByteBuffer.allocate(len), flags));
            done += len;
        }
        return f;
    }

    /** Whether the driver implements discard; without it a discard is a no-op that marks no dirty bitmap. */
    public boolean supportsDiscard() {
        return false;
    }

    /** Discards a range; by default discards are not supported and quietly do nothing (QEMU: ENOTSUP → 0). */
    public CompletableFuture<Void> pdiscard(long offset, long bytes) {
        return CompletableFuture.completedFuture(null);
    }

    /** Sets the node's length (QEMU's bdrv_co_truncate, PREALLOC_MODE_OFF); not supported by default. */
    public CompletableFuture<Void> truncate(long size) {
        return CompletableFuture.failedFuture(new BlockIOException(BlockIOException.Errno.ENOTSUP));
    }

    /** Makes completed writes durable (QEMU's flush_to_disk); children are flushed by the node. */
    public CompletableFuture<Void> flushToDisk() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * A debug event on this node ({@link dev.blockdeck.engine.block.DebugEvents}): the I/O path is at that step
     * now. On the node's context thread (or the main loop while opening). Only blkdebug acts on events.
     */
    public void debugEvent(String event) {
    }

    /** Completes {@code f} on the node's context thread (for completions coming from worker threads). */
    protected final <T> void complete(AioContext ctx, CompletableFuture<T> f, T value, Throwable error) {
        Runnable r = () -> {
            if (error != null) {
                f.completeExceptionally(error);
            } else {
                f.complete(value);
            }
        };
        try {
            ctx.execute(r);
        } catch (IllegalStateException stopped) {
            r.run(); // the context is gone (engine shutdown): complete here rather than never
        }
    }

    // ---- permissions (main loop) ----------------------------------------------------------------------------

    /**
     * The permissions this node needs on child {@code c} given what its parents need of it ({@code perm},
     * {@code shared}). {@code out[0]} = perm, {@code out[1]} = shared. Default: QEMU's {@code bdrv_default_perms}.
     */
    public void childPerm(BdrvChild c, int role, int perm, int shared, int[] out) {
        Perms.defaultPerms(node, role, perm, shared, out);
    }

    /** Prepare phase of a permission change (file locking takes its bytes here); throws to refuse. */
    public void checkPerm(int perm, int shared) {
    }

    /** Commit phase of a permission change. */
    public void setPerm(int perm, int shared) {
    }

    /** Abort phase: undo what {@link #checkPerm} prepared. */
    public void abortPerm() {
    }

    // ---- AioContext (main loop, node drained) ---------------------------------------------------------------

    /** Stops using the old context: cancel timers, drop per-context resources. */
    public void detachAioContext(AioContext old) {
    }

    /** Starts using the new context: re-arm timers. */
    public void attachAioContext(AioContext ctx) {
    }

    // ---- information (main loop) ----------------------------------------------------------------------------

    /**
     * Bytes the image occupies on its storage (query's {@code actual-size}); empty means unknown (QEMU's
     * -ENOTSUP, which hides the member). The default follows QEMU: protocols don't know, filters report their
     * child, formats the sum of their data and metadata children.
     */
    public Optional<Long> allocatedFileSize() {
        return node.defaultAllocatedFileSize();
    }

    /** QEMU's bdrv_get_info; empty when the driver has none (then queries omit {@code dirty-flag}). */
    public Optional<DriverInfo> info() {
        return Optional.empty();
    }

    /**
     * The driver's own exact filename (QEMU's {@code bdrv_refresh_filename} callback), given the node's
     * full open options; return null to leave the generic rules in charge, "" for "no exact filename".
     */
    public String refreshFilename(ObjectNode fullOpenOptions) {
        return null;
    }

    /** {@code driver-specific} of query-blockstats, or null. */
    public ObjectNode specificStats() {
        return null;
    }

    /** {@code format-specific} of ImageInfo, or null. */
    public ObjectNode specificInfo() {
        return null;
    }

    /** Closes the node's resources (files released, locks dropped). Main loop, node drained. */
    public void close() {
    }
}

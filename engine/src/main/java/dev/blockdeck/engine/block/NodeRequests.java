package dev.blockdeck.engine.block;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockIOException.Errno;

/**
 * The requests of one node (QEMU's block/io.c around the driver callbacks), on the node's AioContext thread:
 * checks (inserted, in range, permitted), detect-zeroes, in-flight counting for drained sections, the write
 * generation that lets a flush skip the driver, the highest written offset, the cached length (which writes
 * past the end grow) and dirty bitmap marking.
 */
final class NodeRequests {
    private final BlockNode node;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong wrHighestOffset = new AtomicLong();
    /** QEMU's write_gen / flushed_gen: a flush reaches the driver only if something was written since the last. */
    private final AtomicInteger writeGen = new AtomicInteger();
    private final AtomicInteger flushedGen = new AtomicInteger();
    private volatile BlockNode.RequestObserver observer;
    /** The cached length (QEMU's total_sectors, in bytes): a write past the end grows it, a truncate sets it. */
    private volatile long totalBytes;

    NodeRequests(BlockNode node) {
        this.node = node;
    }

    long length() {
        return totalBytes;
    }

    long refreshLength() throws BlockIOException {
        long len = node.driverState().length();
        if (len > BlockNode.MAX_LENGTH) {
            throw new BlockIOException(Errno.EFBIG);
        }
        totalBytes = roundUpSectors(len);
        return totalBytes;
    }

    private static long roundUpSectors(long len) {
        return (len + BlockNode.SECTOR - 1) / BlockNode.SECTOR * BlockNode.SECTOR;
    }

    int inFlight() {
        return inFlight.get();
    }

    long wrHighestOffset() {
        return wrHighestOffset.get();
    }

    void setObserver(BlockNode.RequestObserver o) {
        observer = o;
    }

    private void checkThread() {
        AioContext ctx = node.aioContext();
        if (!ctx.inThread()) {
            throw new IllegalStateException("request on node '" + node.name() + "' outside its AioContext " + ctx);
        }
    }

    private String begin(String op, long offset, long bytes) {
        inFlight.incrementAndGet();
        BlockNode.RequestObserver o = observer;
        if (o != null) {
            o.request(node, op, offset, bytes);
        }
        return op;
    }

    private <T> CompletableFuture<T> end(String op, CompletableFuture<T> f) {
        return f.whenComplete((v, e) -> {
            BlockNode.RequestObserver o = observer;
            if (o != null) {
                o.completed(node, op);
            }
            inFlight.decrementAndGet();
            node.graph().kickWaiters();
        });
    }

    private static <T> CompletableFuture<T> failed(Errno e) {
        return CompletableFuture.failedFuture(new BlockIOException(e));
    }

    private static <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new BlockIOException(Errno.EIO, e.toString(), e));
        }
    }

    CompletableFuture<Void> preadv(BdrvChild via, long offset, ByteBuffer buf, int flags) {
        checkThread();
        if (!node.isInserted()) {
            return failed(Errno.ENOMEDIUM);
        }
        int len = buf.remaining();
        if (offset < 0) {
            return failed(Errno.EIO);
        }
        String op = begin("read", offset, len);
        long total = totalBytes;
        CompletableFuture<Void> f;
        if (offset >= total) {
            zero(buf, len);
            f = CompletableFuture.completedFuture(null);
        } else if (offset + len > total) {
            int inside = (int) (total - offset);
            ByteBuffer head = buf.duplicate();
            head.limit(head.position() + inside);
            ByteBuffer tail = buf.duplicate();
            tail.position(tail.position() + inside);
            zero(tail, len - inside);
            f = guard(() -> node.driverState().preadv(offset, head, flags));
        } else {
            f = guard(() -> node.driverState().preadv(offset, buf, flags));
        }
        return end(op, f);
    }

    private static void zero(ByteBuffer b, int len) {
        int p = b.position();
        for (int i = 0; i < len; i++) {
            b.put(p + i, (byte) 0);
        }
    }

    private boolean mayWrite(BdrvChild via, int flags) {
        if (via == null) {
            return true;
        }
        int need = (flags & BlockRequest.WRITE_UNCHANGED) != 0
                ? BlockPerm.WRITE.bit() | BlockPerm.WRITE_UNCHANGED.bit() : BlockPerm.WRITE.bit();
        return (via.perm() & need) != 0;
    }

    CompletableFuture<Void> pwritev(BdrvChild via, long offset, ByteBuffer buf, int flags) {
        checkThread();
        if (!node.isInserted()) {
            return failed(Errno.ENOMEDIUM);
        }
        long len = buf.remaining();
        if (offset < 0) {
            return failed(Errno.EIO);
        }
        if (!mayWrite(via, flags) || !node.isWritable() || node.dirtyBitmaps().hasReadonly()) {
            return failed(Errno.EPERM);
        }
        if (node.detectZeroes() != DetectZeroes.OFF && node.driverState().supportsWriteZeroes() && isZero(buf)) {
            int zf = flags | BlockRequest.ZERO_WRITE;
            if (node.detectZeroes() == DetectZeroes.UNMAP && (node.openFlags() & BlockNode.O_UNMAP) != 0) {
                zf |= BlockRequest.MAY_UNMAP;
            }
            return pwriteZeroes(via, offset, len, zf);
        }
        String op = begin("write", offset, len);
        node.debugEvent(DebugEvents.PWRITEV);
        return end(op, writeFinished(guard(() -> node.driverState().pwritev(offset, buf, flags)), true)
                .whenComplete((v, e) -> written(offset, len, e)));
    }

    CompletableFuture<Void> pwriteZeroes(BdrvChild via, long offset, long bytes, int flags) {
        checkThread();
        if (!node.isInserted()) {
            return failed(Errno.ENOMEDIUM);
        }
        if (offset < 0 || bytes < 0) {
            return failed(Errno.EIO);
        }
        if (!mayWrite(via, flags) || !node.isWritable() || node.dirtyBitmaps().hasReadonly()) {
            return failed(Errno.EPERM);
        }
        int f = flags | BlockRequest.ZERO_WRITE;
        if ((node.openFlags() & BlockNode.O_UNMAP) == 0) {
            f &= ~BlockRequest.MAY_UNMAP;
        }
        int zf = f;
        String op = begin("write-zeroes", offset, bytes);
        node.debugEvent(DebugEvents.PWRITEV_ZERO);
        return end(op, writeFinished(guard(() -> node.driverState().pwriteZeroes(offset, bytes, zf)), true)
                .whenComplete((v, e) -> written(offset, bytes, e)));
    }

    /** QEMU's bdrv_co_write_req_finish: a successful write may grow the node; dirty bits are set either way. */
    private void written(long offset, long len, Throwable failure) {
        if (failure == null) {
            long endOffset = offset + len;
            wrHighestOffset.accumulateAndGet(endOffset, Math::max);
            long rounded = roundUpSectors(endOffset);
            if (rounded > totalBytes) {
                totalBytes = rounded;
                node.dirtyBitmaps().truncate(rounded);
            }
        }
        node.dirtyBitmaps().markDirty(offset, len);
    }

    CompletableFuture<Void> pdiscard(BdrvChild via, long offset, long bytes) {
        checkThread();
        if (!node.isInserted()) {
            return failed(Errno.ENOMEDIUM);
        }
        if (offset < 0 || bytes < 0) {
            return failed(Errno.EIO);
        }
        if (!mayWrite(via, 0) || !node.isWritable() || node.dirtyBitmaps().hasReadonly()) {
            return failed(Errno.EPERM);
        }
        if ((node.openFlags() & BlockNode.O_UNMAP) == 0) {
            return CompletableFuture.completedFuture(null);
        }
        String op = begin("discard", offset, bytes);
        boolean marks = node.driverState().supportsDiscard();
        return end(op, writeFinished(guard(() -> node.driverState().pdiscard(offset, bytes)), false)
                .whenComplete((v, e) -> {
                    if (marks) {
                        node.dirtyBitmaps().markDirty(offset, bytes);
                    }
                }));
    }

    /** Sets the length (the caller holds the resize permission); the cached length follows. */
    CompletableFuture<Void> truncate(long size) {
        checkThread();
        if (node.isEjected()) {
            return failed(Errno.ENOMEDIUM);
        }
        if (!node.isWritable()) {
            return failed(Errno.EACCES);
        }
        String op = begin("truncate", size, 0);
        return end(op, guard(() -> node.driverState().truncate(size)).thenRun(() -> {
            writeGen.incrementAndGet();
            totalBytes = roundUpSectors(size);
            node.dirtyBitmaps().truncate(totalBytes);
        }));
    }

    /**
     * QEMU's bdrv_co_flush: nothing for a read-only node; else the driver's flush_to_disk (unless cache.no-flush,
     * or nothing was written since the last successful flush), then, if that worked, every child this node may
     * write to, one after the other.
     */
    CompletableFuture<Void> flush() {
        checkThread();
        String op = begin("flush", 0, 0);
        if (node.isReadOnly() || !node.isInserted()) {
            return end(op, CompletableFuture.completedFuture(null));
        }
        int gen = writeGen.get();
        BdrvChild primary = node.primaryChild();
        debugEvent(primary, DebugEvents.FLUSH_TO_OS);
        CompletableFuture<Void> own;
        if ((node.openFlags() & BlockNode.O_NO_FLUSH) != 0 || flushedGen.get() == gen) {
            own = CompletableFuture.completedFuture(null);
        } else {
            debugEvent(primary, DebugEvents.FLUSH_TO_DISK);
            own = guard(node.driverState()::flushToDisk);
        }
        CompletableFuture<Void> all = own.thenCompose(v -> flushChildren())
                .thenRun(() -> flushedGen.accumulateAndGet(gen, Math::max));
        return end(op, all);
    }

    private CompletableFuture<Void> flushChildren() {
        CompletableFuture<Throwable> chain = CompletableFuture.completedFuture(null);
        for (BdrvChild c : List.copyOf(node.childEdges())) {
            if ((c.perm() & (BlockPerm.WRITE.bit() | BlockPerm.WRITE_UNCHANGED.bit())) != 0) {
                chain = chain.thenCompose(first -> c.node().flush().handle((v, e) -> first != null ? first : e));
            }
        }
        return chain.thenCompose(err -> err == null ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(err));
    }

    private static void debugEvent(BdrvChild c, String event) {
        if (c != null) {
            c.debugEvent(event);
        }
    }

    /** A write, zero write or discard finished, successfully or not: pwritev_done (for writes), write_gen + 1. */
    private CompletableFuture<Void> writeFinished(CompletableFuture<Void> f, boolean doneEvent) {
        return f.whenComplete((v, e) -> {
            if (doneEvent) {
                node.debugEvent(DebugEvents.PWRITEV_DONE);
            }
            writeGen.incrementAndGet();
        });
    }

    private static boolean isZero(ByteBuffer b) {
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}

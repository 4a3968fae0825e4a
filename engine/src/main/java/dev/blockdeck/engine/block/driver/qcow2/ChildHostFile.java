package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.blockdeck.engine.block.BdrvChild;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockIOException;

/**
 * The qcow2 core's host file as the node's {@code file} child: every access is a request through the edge, so
 * permissions, accounting, drains and fault injection below apply to qcow2's metadata I/O as in QEMU. The core is
 * blocking; it runs on the main loop (open, close, queries) or on the node's {@code SerialWorker}, and each access
 * here becomes a request on the child's context thread that the caller waits for.
 */
final class ChildHostFile implements HostFile {
    private final BlockGraph graph;
    private final Supplier<BdrvChild> child;

    ChildHostFile(BlockGraph graph, Supplier<BdrvChild> child) {
        this.graph = graph;
        this.child = child;
    }

    private BdrvChild edge() throws IOException {
        BdrvChild c = child.get();
        if (c == null) {
            throw new BlockIOException(BlockIOException.Errno.ENOMEDIUM);
        }
        return c;
    }

    /** Runs {@code op} on the child's context thread and waits for it, from the main loop or a worker. */
    static <T> T await(BlockGraph graph, BdrvChild c, Supplier<CompletableFuture<T>> op) throws IOException {
        var ctx = c.node().aioContext();
        if (graph.mainContext().inThread()) {
            return graph.callInContext(ctx, op);
        }
        if (ctx.inThread()) {
            throw new IllegalStateException("qcow2 core called on its node's own context thread");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        ctx.execute(() -> {
            try {
                op.get().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlockIOException(BlockIOException.Errno.EIO, "interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null) {
                cause = ce.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new BlockIOException(BlockIOException.Errno.EIO, String.valueOf(cause), cause);
        }
    }

    @Override
    public void read(long pos, ByteBuffer dst) throws IOException {
        BdrvChild c = edge();
        await(graph, c, () -> c.preadv(pos, dst, 0));
        dst.position(dst.limit());
    }

    @Override
    public void write(long pos, ByteBuffer src) throws IOException {
        BdrvChild c = edge();
        await(graph, c, () -> c.pwritev(pos, src, 0));
        src.position(src.limit());
    }

    @Override
    public void flush() throws IOException {
        BdrvChild c = edge();
        await(graph, c, c::flush);
    }

    @Override
    public long length() throws IOException {
        return edge().node().refreshLength();
    }

    @Override
    public void truncate(long size) throws IOException {
        throw new BlockIOException(BlockIOException.Errno.ENOTSUP);
    }

    @Override
    public void discard(long pos, long len) throws IOException {
        BdrvChild c = edge();
        await(graph, c, () -> c.pdiscard(pos, len));
    }

    @Override
    public long allocatedSize() {
        try {
            return edge().node().driverState().allocatedFileSize().orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        // the edge belongs to the node; the graph detaches it after the driver closed
    }
}

package dev.blockdeck.engine.block.driver.nullco;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.driver.OpenContext;

/**
 * A null-co node. Requests complete at once, or after {@code latency-ns} through a timer that fires in the
 * node's AioContext (so the completion runs on its thread, like QEMU's coroutine sleep).
 */
final class NullCoNode extends NodeDriver {
    private long length;
    private long latencyNs;
    private boolean readZeroes;

    NullCoNode(BlockNode node) {
        super(node);
    }

    @Override
    public void open(NodeOptions options, int openFlags, OpenContext ctx) {
        // QEMU aborts on a negative size here (its options parser runs with error_abort); we refuse instead
        length = options.takeSize("size", 1L << 30);
        latencyNs = options.takeNumber("latency-ns", 0);
        if (latencyNs < 0) {
            throw new BlockException("latency-ns is invalid");
        }
        readZeroes = options.takeBool("read-zeroes", false);
    }

    @Override
    public long length() {
        return length;
    }

    private CompletableFuture<Void> common() {
        if (latencyNs == 0) {
            return CompletableFuture.completedFuture(null);
        }
        AioContext ctx = node.aioContext();
        CompletableFuture<Void> f = new CompletableFuture<>();
        node.graph().timers().schedule(ctx, latencyNs, () -> f.complete(null));
        return f;
    }

    @Override
    public CompletableFuture<Void> preadv(long offset, ByteBuffer buf, int flags) {
        if (readZeroes) {
            for (int i = buf.position(); i < buf.limit(); i++) {
                buf.put(i, (byte) 0);
            }
        }
        return common();
    }

    @Override
    public CompletableFuture<Void> pwritev(long offset, ByteBuffer buf, int flags) {
        return common();
    }

    @Override
    public CompletableFuture<Void> pwriteZeroes(long offset, long bytes, int flags) {
        return common();
    }

    @Override
    public CompletableFuture<Void> flushToDisk() {
        return common();
    }

    @Override
    public Optional<Long> allocatedFileSize() {
        return Optional.of(0L);
    }

    @Override
    public String refreshFilename(ObjectNode fullOpenOptions) {
        var it = fullOpenOptions.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!k.equals("filename") && !k.equals("driver") && !k.equals("latency-ns")) {
                return "";
            }
        }
        return "null-co://";
    }
}

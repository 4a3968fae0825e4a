package dev.blockdeck.engine.block.driver.blkdebug;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BdrvChild;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockIOException.Errno;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockRequest;
import dev.blockdeck.engine.block.ChildRole;
import dev.blockdeck.engine.block.DebugEvents;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.Perms;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.driver.OpenContext;
import dev.blockdeck.engine.block.driver.blkdebug.Chunks.Chunk;
import dev.blockdeck.qmp.json.QdictOrder;

/**
 * A blkdebug node: passes requests to {@code image}, except those an armed rule covers, which fail with the
 * rule's errno. Requests are cut into driver calls under the node's limits first, as QEMU's block layer does,
 * and each call is checked on its own.
 */
final class BlkdebugNode extends NodeDriver {
    private static final List<String> RUNTIME_SIZES = List.of("align", "max-transfer", "opt-write-zero",
            "max-write-zero", "opt-discard", "max-discard");

    private final RuleSet rules = new RuleSet();
    private BdrvChild image;
    private String configFile;
    private Limits limits = new Limits(0, 0, 0, 0, 0, 0);
    private int takeChildPerms;
    private int unshareChildPerms;
    /** The last widened (read-modify-write) request; only touched on the node's context thread. */
    private CompletableFuture<Void> rmwQueue = CompletableFuture.completedFuture(null);

    BlkdebugNode(BlockNode node) {
        super(node);
    }

    @Override
    public void open(NodeOptions options, int openFlags, OpenContext ctx) {
        String xImage = null;
        long[] sizes = new long[RUNTIME_SIZES.size()];
        // QemuOpts takes its options in QEMU's dictionary order, so that order decides which bad value is named
        Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries(options.toFlatJson());
        while (it.hasNext()) {
            String key = it.next().getKey();
            int i = RUNTIME_SIZES.indexOf(key);
            if (i >= 0) {
                sizes[i] = options.takeSize(key, 0);
            } else if (key.equals("config")) {
                configFile = options.takeString(key);
            } else if (key.equals("x-image")) {
                xImage = options.takeString(key);
            }
        }
        RuleConfig.read(configFile, options, rules);
        takeChildPerms = PermList.take(options, "take-child-perms");
        unshareChildPerms = PermList.take(options, "unshare-child-perms");
        image = ctx.openChild(xImage, "image", ChildRole.FILTERED | ChildRole.PRIMARY, false);
        limits = new Limits(sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5]);
        limits.check(image.node().driverState().requestAlignment());
        rules.event(DebugEvents.NONE);
    }

    @Override
    public long length() throws BlockIOException {
        return image.node().refreshLength();
    }

    @Override
    public int requestAlignment() {
        return limits.requestAlignment();
    }

    @Override
    public void debugEvent(String event) {
        rules.event(event);
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    /** The outcome of a rule for one driver call: null to pass it on, else its (possibly deferred) failure. */
    private CompletableFuture<Void> injected(long offset, long bytes, IoType type) {
        RuleSet.Injection inj = rules.check(offset, bytes, type);
        if (inj == null) {
            return null;
        }
        if (inj.errno() < 0) {
            // QEMU returns -errno, a positive number, which callers take for success: the call does nothing
            return CompletableFuture.completedFuture(null);
        }
        Errno errno = Errno.ofNumber(inj.errno());
        BlockIOException error = new BlockIOException(errno != null ? errno : Errno.EIO);
        if (inj.immediately()) {
            return CompletableFuture.failedFuture(error);
        }
        // QEMU first lets the event loop run once, then fails the request
        CompletableFuture<Void> f = new CompletableFuture<>();
        complete(node.aioContext(), f, null, error);
        return f;
    }

    /** Runs {@code call} for each chunk in turn, stopping at the first failure. */
    private static CompletableFuture<Void> sequence(List<Chunk> chunks,
                                                    Function<Chunk, CompletableFuture<Void>> call) {
        CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
        for (Chunk c : chunks) {
            f = f.thenCompose(v -> call.apply(c));
        }
        return f;
    }

    private List<Chunk> transferChunks(long offset, long bytes) {
        return Chunks.transfer(offset, bytes, limits.maxTransfer(), requestAlignment());
    }

    @Override
    public CompletableFuture<Void> preadv(long offset, ByteBuffer buf, int flags) {
        Padding pad = Padding.of(offset, buf.remaining(), requestAlignment());
        if (pad == null) {
            return readAligned(offset, buf, flags);
        }
        // the driver sees the widened request, as under QEMU's padding; the caller gets its part
        ByteBuffer bounce = ByteBuffer.allocate((int) pad.alignedBytes());
        return readAligned(pad.alignedOffset(), bounce, flags).thenRun(() ->
                buf.duplicate().put(bounce.duplicate().position((int) pad.head()).limit((int) (pad.head()
                        + pad.bytes()))));
    }

    private CompletableFuture<Void> readAligned(long offset, ByteBuffer buf, int flags) {
        int base = buf.position();
        return sequence(transferChunks(offset, buf.remaining()), c -> {
            CompletableFuture<Void> fail = injected(c.offset(), c.bytes(), IoType.READ);
            return fail != null ? fail : image.preadv(c.offset(), slice(buf, base, offset, c), flags);
        });
    }

    @Override
    public CompletableFuture<Void> pwritev(long offset, ByteBuffer buf, int flags) {
        Padding pad = Padding.of(offset, buf.remaining(), requestAlignment());
        if (pad == null) {
            return writeAligned(offset, buf, flags);
        }
        return serialised(() -> readModify(pad, false).thenCompose(block -> {
            block.duplicate().position((int) pad.head()).put(buf.duplicate());
            return writeAligned(pad.alignedOffset(), block, flags);
        }));
    }

    private CompletableFuture<Void> writeAligned(long offset, ByteBuffer buf, int flags) {
        int base = buf.position();
        return sequence(transferChunks(offset, buf.remaining()), c -> writeChunk(c, slice(buf, base, offset, c),
                flags));
    }

    private CompletableFuture<Void> writeChunk(Chunk c, ByteBuffer data, int flags) {
        CompletableFuture<Void> fail = injected(c.offset(), c.bytes(), IoType.WRITE);
        return fail != null ? fail : image.pwritev(c.offset(), data, flags);
    }

    /**
     * QEMU's read half of a read-modify-write (bdrv_padding_rmw_read): the partial blocks at the ends are read
     * through this node (so read rules apply), between the rmw debug events. Returns the widened buffer with
     * the old bytes in the padding (and zeroes in the middle for a zero write). QEMU 7.2 ignores a failure of
     * these reads: it stops reading and writes the block with whatever its buffer holds (here: zeroes).
     */
    private CompletableFuture<ByteBuffer> readModify(Padding pad, boolean zeroMiddle) {
        ByteBuffer block = ByteBuffer.allocate((int) pad.alignedBytes());
        CompletableFuture<Boolean> ok = CompletableFuture.completedFuture(true);
        if (pad.head() != 0 || pad.mergeReads()) {
            long len = pad.mergeReads() ? pad.bufLen() : pad.align();
            boolean tailToo = pad.mergeReads() && pad.tail() != 0;
            ok = ok.thenCompose(v -> {
                if (pad.head() != 0) {
                    node.debugEvent(DebugEvents.PWRITEV_RMW_HEAD);
                }
                if (tailToo) {
                    node.debugEvent(DebugEvents.PWRITEV_RMW_TAIL);
                }
                return succeeded(readAligned(pad.alignedOffset(), block.duplicate().limit((int) len), 0));
            }).thenApply(read -> {
                if (read && pad.head() != 0) {
                    node.debugEvent(DebugEvents.PWRITEV_RMW_AFTER_HEAD);
                }
                if (read && tailToo) {
                    node.debugEvent(DebugEvents.PWRITEV_RMW_AFTER_TAIL);
                }
                return read;
            });
        }
        if (pad.tail() != 0 && !pad.mergeReads()) {
            int at = (int) (pad.alignedBytes() - pad.align());
            ok = ok.thenCompose(go -> {
                if (!go) {
                    return CompletableFuture.completedFuture(false);
                }
                node.debugEvent(DebugEvents.PWRITEV_RMW_TAIL);
                return succeeded(readAligned(pad.tailBlockOffset(), block.duplicate().position(at), 0))
                        .thenApply(read -> {
                            if (read) {
                                node.debugEvent(DebugEvents.PWRITEV_RMW_AFTER_TAIL);
                            }
                            return read;
                        });
            });
        }
        return ok.thenApply(v -> {
            if (zeroMiddle) {
                for (long i = pad.head(); i < pad.head() + pad.bytes(); i++) {
                    block.put((int) i, (byte) 0);
                }
            }
            return block;
        });
    }

    private static CompletableFuture<Boolean> succeeded(CompletableFuture<Void> f) {
        return f.handle((v, e) -> e == null);
    }

    /** Widened writes wait for each other, as QEMU serialises them against overlapping requests. */
    private CompletableFuture<Void> serialised(Supplier<CompletableFuture<Void>> write) {
        CompletableFuture<Void> mine = rmwQueue.handle((v, e) -> null).thenCompose(x -> write.get());
        rmwQueue = mine;
        return mine;
    }

    private static ByteBuffer slice(ByteBuffer buf, int base, long offset, Chunk c) {
        int from = base + (int) (c.offset() - offset);
        return buf.duplicate().position(from).limit(from + (int) c.bytes());
    }

    @Override
    public boolean supportsWriteZeroes() {
        return true;
    }

    /**
     * A zero write: the partial blocks at its ends (under {@code align}) are read, zeroed in part and written as
     * data, as QEMU's bdrv_co_do_zero_pwritev does; the aligned middle is a zero write.
     */
    @Override
    public CompletableFuture<Void> pwriteZeroes(long offset, long bytes, int flags) {
        long align = requestAlignment();
        Padding pad = Padding.of(offset, bytes, align);
        if (pad == null) {
            return zeroAligned(offset, bytes, flags);
        }
        int writeFlags = flags & ~(BlockRequest.ZERO_WRITE | BlockRequest.MAY_UNMAP);
        return serialised(() -> readModify(pad, true).thenCompose(block -> {
            long done = 0;
            CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
            if (pad.head() != 0 || pad.mergeReads()) {
                long len = pad.mergeReads() ? pad.bufLen() : align;
                f = writeAligned(pad.alignedOffset(), block.duplicate().limit((int) len), writeFlags);
                if (pad.mergeReads()) {
                    return f;
                }
                done = len - pad.head();
            }
            long from = offset + done;
            long middle = (bytes - done) / align * align;
            if (middle > 0) {
                f = f.thenCompose(v -> zeroAligned(from, middle, flags));
            }
            if (bytes - done - middle > 0) {
                ByteBuffer tail = block.duplicate().position((int) (pad.alignedBytes() - align));
                f = f.thenCompose(v -> writeAligned(from + middle, tail, writeFlags));
            }
            return f;
        }));
    }

    /**
     * QEMU's split of aligned zero writes; a piece smaller than the write-zero alignment is refused by blkdebug
     * (-ENOTSUP) and then written as a buffer of zeroes, so that it meets write rules instead.
     */
    private CompletableFuture<Void> zeroAligned(long offset, long bytes, int flags) {
        long align = Math.max(requestAlignment(), limits.optWriteZero());
        long maxXfer = limits.maxTransfer() != 0 ? Math.min(limits.maxTransfer(), Chunks.MAX_BOUNCE)
                : Chunks.MAX_BOUNCE;
        int writeFlags = flags & ~(BlockRequest.ZERO_WRITE | BlockRequest.MAY_UNMAP);
        return sequence(Chunks.zeroes(offset, bytes, align, limits.maxWriteZero(), limits.maxTransfer()), c -> {
            if (c.bytes() < align) {
                Chunk w = new Chunk(c.offset(), Math.min(c.bytes(), maxXfer));
                return writeChunk(w, ByteBuffer.allocate((int) w.bytes()), writeFlags);
            }
            CompletableFuture<Void> fail = injected(c.offset(), c.bytes(), IoType.WRITE_ZEROES);
            return fail != null ? fail : image.pwriteZeroes(c.offset(), c.bytes(), flags);
        });
    }

    /** Discards pieces as QEMU does; a piece below the request alignment is skipped, as are ENOTSUP failures. */
    @Override
    public CompletableFuture<Void> pdiscard(long offset, long bytes) {
        long reqAlign = requestAlignment();
        long align = Math.max(limits.optDiscard(), reqAlign);
        return sequence(Chunks.discard(offset, bytes, align, reqAlign, limits.maxDiscard()), c -> {
            if (c.bytes() < reqAlign) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> fail = injected(c.offset(), c.bytes(), IoType.DISCARD);
            CompletableFuture<Void> f = fail != null ? fail : image.pdiscard(c.offset(), c.bytes());
            return f.exceptionallyCompose(e -> unsupported(e) ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(e));
        });
    }

    private static boolean unsupported(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof BlockIOException b && b.errno() == Errno.ENOTSUP;
    }

    /** blkdebug's flush_to_disk checks flush rules, then flushes the image itself. */
    @Override
    public CompletableFuture<Void> flushToDisk() {
        CompletableFuture<Void> fail = injected(0, 0, IoType.FLUSH);
        return fail != null ? fail : image.node().flush();
    }

    // ---- permissions and names ----------------------------------------------------------------------------------

    @Override
    public void childPerm(BdrvChild c, int role, int perm, int shared, int[] out) {
        Perms.defaultPerms(node, role, perm, shared, out);
        out[0] |= takeChildPerms;
        out[1] &= ~unshareChildPerms;
    }

    /**
     * {@code blkdebug:CONFIG:IMAGE} when the image has a plain filename and nothing but the config file and the
     * image shapes this node; else no exact filename (the node shows as {@code json:{...}}).
     */
    @Override
    public String refreshFilename(ObjectNode fullOpenOptions) {
        String imageName = image.node().exactFilename();
        if (imageName.isEmpty()) {
            return "";
        }
        Iterator<String> keys = fullOpenOptions.fieldNames();
        while (keys.hasNext()) {
            String k = keys.next();
            if (!List.of("config", "image", "x-image", "driver").contains(k)) {
                return "";
            }
        }
        String name = "blkdebug:" + (configFile != null ? configFile : "") + ":" + imageName;
        return name.length() >= 4096 ? "" : name;
    }
}

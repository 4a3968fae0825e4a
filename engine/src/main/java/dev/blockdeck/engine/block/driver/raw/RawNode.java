package dev.blockdeck.engine.block.driver.raw;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.blockdeck.engine.block.BdrvChild;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockIOException.Errno;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.engine.block.ChildRole;
import dev.blockdeck.engine.block.DebugEvents;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.Perms;
import dev.blockdeck.engine.block.driver.DriverInfo;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.driver.OpenContext;

/** A raw node: requests pass to {@code file}, shifted by {@code offset} and bounded by {@code size}. */
final class RawNode extends NodeDriver {
    private BdrvChild file;
    private volatile long offset;
    private volatile long size;
    private boolean hasSize;

    RawNode(BlockNode node) {
        super(node);
    }

    @Override
    public void open(NodeOptions options, int openFlags, OpenContext ctx) {
        long off = options.takeSize("offset", 0);
        boolean sized = options.has("size");
        long sz = options.takeSize("size", 0);
        int role = (off != 0 || sized) ? ChildRole.DATA | ChildRole.PRIMARY : ChildRole.FILTERED | ChildRole.PRIMARY;
        file = ctx.openChild("file", role, false);
        long realSize;
        try {
            realSize = file.node().refreshLength();
        } catch (BlockIOException e) {
            throw new BlockException("Could not get image size: " + e.errno().text());
        }
        if (Long.compareUnsigned(off, realSize) > 0) {
            throw new BlockException("Offset (" + Long.toUnsignedString(off)
                    + ") cannot be greater than size of the containing file (" + realSize + ")");
        }
        if (sized && Long.compareUnsigned(realSize - off, sz) < 0) {
            throw new BlockException("The sum of offset (" + Long.toUnsignedString(off) + ") and size ("
                    + Long.toUnsignedString(sz) + ") has to be smaller or equal to the  actual size of the "
                    + "containing file (" + realSize + ")");
        }
        if (sized && sz % BlockNode.SECTOR != 0) {
            throw new BlockException("Specified size is not multiple of " + BlockNode.SECTOR);
        }
        offset = off;
        hasSize = sized;
        size = sized ? sz : realSize - off;
    }

    @Override
    public long length() throws BlockIOException {
        long len = file.node().refreshLength();
        if (len < offset) {
            size = 0;
        } else if (hasSize) {
            size = Math.min(size, len - offset);
        } else {
            size = len - offset;
        }
        return size;
    }

    @Override
    public void childPerm(BdrvChild c, int role, int perm, int shared, int[] out) {
        Perms.defaultPerms(node, role, perm, shared, out);
        int wr = BlockPerm.WRITE.bit() | BlockPerm.RESIZE.bit();
        out[0] &= ~wr;
        out[0] |= perm & wr;
    }

    /** The child offset, or null (with the request failed) when outside the window. */
    private Errno adjust(long off, long bytes, boolean write) {
        if (hasSize && (off > size || bytes > size - off)) {
            return write ? Errno.ENOSPC : Errno.EINVAL;
        }
        if (off > Long.MAX_VALUE - offset) {
            return Errno.EINVAL;
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> preadv(long off, ByteBuffer buf, int flags) {
        Errno e = adjust(off, buf.remaining(), false);
        if (e != null) {
            return CompletableFuture.failedFuture(new BlockIOException(e));
        }
        file.debugEvent(DebugEvents.READ_AIO);
        return file.preadv(off + offset, buf, flags);
    }

    @Override
    public CompletableFuture<Void> pwritev(long off, ByteBuffer buf, int flags) {
        Errno e = adjust(off, buf.remaining(), true);
        if (e != null) {
            return CompletableFuture.failedFuture(new BlockIOException(e));
        }
        file.debugEvent(DebugEvents.WRITE_AIO);
        return file.pwritev(off + offset, buf, flags);
    }

    @Override
    public boolean supportsWriteZeroes() {
        return true;
    }

    @Override
    public boolean supportsDiscard() {
        return true;
    }

    @Override
    public CompletableFuture<Void> pwriteZeroes(long off, long bytes, int flags) {
        Errno e = adjust(off, bytes, true);
        return e != null ? CompletableFuture.failedFuture(new BlockIOException(e))
                : file.pwriteZeroes(off + offset, bytes, flags);
    }

    @Override
    public CompletableFuture<Void> pdiscard(long off, long bytes) {
        Errno e = adjust(off, bytes, true);
        return e != null ? CompletableFuture.failedFuture(new BlockIOException(e))
                : file.pdiscard(off + offset, bytes);
    }

    @Override
    public Optional<DriverInfo> info() {
        return file.node().info();
    }
}

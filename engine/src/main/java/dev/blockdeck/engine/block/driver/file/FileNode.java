package dev.blockdeck.engine.block.driver.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockIOException.Errno;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.engine.block.BlockRequest;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.driver.DriverInfo;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.driver.OpenContext;

/**
 * A {@code file} node: positional I/O on a FileChannel, run on the graph's worker pool and completed back on the
 * node's AioContext thread. {@code cache.direct} opens the file O_DIRECT: requests aligned in offset, length and
 * memory go straight through, others bounce through the worker's aligned direct buffer (read-modify-write for
 * unaligned writes); {@code cache.no-flush} is handled by the node;
 * {@code locking} is QEMU's image locking, see {@link HostFiles}.
 */
final class FileNode extends NodeDriver {
    private static final int LOCK_PERM_BASE = 100;
    private static final int LOCK_SHARED_BASE = 200;
    private static final int PERM_BITS = 4;

    private Path path;
    private String filename;
    private FileChannel ch;
    private boolean writable;
    private boolean direct;
    private int align = 1;
    private boolean useLock;
    private HostFiles.Entry host;
    private int perm;
    private int shared = BlockPerm.ALL;
    private int lockedPerm;
    private int lockedShared;
    private final ReentrantReadWriteLock rmw = new ReentrantReadWriteLock();
    private long discardOk;
    private long discardFailed;
    private long discardBytesOk;
    private String sizeCacheKey;
    private long sizeCache = -1;

    FileNode(BlockNode node) {
        super(node);
    }

    @Override
    public void open(NodeOptions options, int openFlags, OpenContext ctx) {
        filename = options.takeString("filename");
        String aioDefault = (openFlags & BlockNode.O_NATIVE_AIO) != 0 ? "native"
                : (openFlags & BlockNode.O_IO_URING) != 0 ? "io_uring" : "threads";
        String aio = enumValue(options.takeString("aio"), aioDefault, "threads", "native", "io_uring");
        options.takeNumber("aio-max-batch", 0);
        String locking = enumValue(options.takeString("locking"), "auto", "auto", "on", "off");
        useLock = !locking.equals("off");
        String prManager = options.takeString("pr-manager");
        if (prManager != null) {
            throw new BlockException("No persistent reservation manager with id '" + prManager + "'");
        }
        options.takeBool("drop-cache", true);
        options.takeBool("x-check-cache-dropped", false);

        direct = (openFlags & BlockNode.O_NOCACHE) != 0;
        boolean rw = (openFlags & BlockNode.O_RDWR) != 0;
        path = Path.of(filename);
        try {
            // auto-read-only (QEMU's dynamic-auto-read-only): read-only until a writer appears
            openChannel(rw && (openFlags & BlockNode.O_AUTO_RDONLY) == 0);
        } catch (IOException e) {
            throw openError(e);
        }
        if (!Files.isRegularFile(path)) {
            closeChannelNow();
            throw new BlockException("'file' driver requires '" + node.filename() + "' to be a regular file");
        }
        if (aio.equals("native") && !direct) {
            closeChannelNow();
            throw new BlockException("aio=native was specified, but it requires cache.direct=on, which was not "
                    + "specified.");
        }
        if (direct) {
            try {
                align = (int) Math.max(512, Math.min(4096, Files.getFileStore(path).getBlockSize()));
            } catch (IOException | UnsupportedOperationException e) {
                align = 4096;
            }
        }
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            host = HostFiles.acquire(key != null ? key : path.toAbsolutePath().normalize(), path);
        } catch (IOException e) {
            closeChannelNow();
            throw openError(e);
        }
    }

    private static String enumValue(String v, String dflt, String... allowed) {
        if (v == null) {
            return dflt;
        }
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new BlockException("invalid parameter value: " + v);
    }

    private void openChannel(boolean rw) throws IOException {
        List<OpenOption> o = new ArrayList<>();
        o.add(StandardOpenOption.READ);
        if (rw) {
            o.add(StandardOpenOption.WRITE);
        }
        if (direct) {
            o.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
        }
        ch = FileChannel.open(path, o.toArray(OpenOption[]::new));
        writable = rw;
    }

    private void closeChannelNow() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // failing open
            }
            ch = null;
        }
    }

    private BlockException openError(IOException e) {
        return new BlockException("Could not open '" + filename + "': " + errnoText(e), e);
    }

    static String errnoText(IOException e) {
        return HostErrors.text(e);
    }

    // ---- length and information --------------------------------------------------------------------------

    @Override
    public long length() throws BlockIOException {
        try {
            return ch.size();
        } catch (IOException e) {
            throw new BlockIOException(Errno.EIO, e.getMessage(), e);
        }
    }

    @Override
    public Optional<Long> allocatedFileSize() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            Object ctime = Files.getAttribute(path, "unix:ctime");
            String key = a.size() + "/" + a.lastModifiedTime().toInstant() + "/" + ctime;
            if (key.equals(sizeCacheKey)) {
                return Optional.of(sizeCache);
            }
            long v = HostStat.allocatedBytes(path);
            sizeCacheKey = key;
            sizeCache = v;
            return Optional.of(v);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<DriverInfo> info() {
        return Optional.of(DriverInfo.EMPTY);
    }

    @Override
    public synchronized ObjectNode specificStats() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("driver", "file");
        o.put("discard-nb-ok", discardOk);
        o.put("discard-nb-failed", discardFailed);
        o.put("discard-bytes-ok", discardBytesOk);
        return o;
    }

    // ---- requests -----------------------------------------------------------------------------------------

    private interface Work {
        void run() throws IOException;
    }

    private CompletableFuture<Void> onWorker(Work w) {
        AioContext ctx = node.aioContext();
        CompletableFuture<Void> f = new CompletableFuture<>();
        node.graph().workers().submit(() -> {
            Throwable err = null;
            try {
                w.run();
            } catch (IOException e) {
                err = new BlockIOException(Errno.EIO, errnoText(e), e);
            } catch (RuntimeException e) {
                err = new BlockIOException(Errno.EIO, e.toString(), e);
            }
            complete(ctx, f, null, err);
        });
        return f;
    }

    @Override
    public CompletableFuture<Void> truncate(long size) {
        return onWorker(() -> {
            long cur = ch.size();
            if (size < cur) {
                ch.truncate(size);
            } else if (size > cur) {
                ch.write(ByteBuffer.allocate(1), size - 1); // grows sparsely, like ftruncate
            }
        });
    }

    @Override
    public CompletableFuture<Void> preadv(long offset, ByteBuffer buf, int flags) {
        return onWorker(() -> read(offset, buf));
    }

    @Override
    public CompletableFuture<Void> pwritev(long offset, ByteBuffer buf, int flags) {
        return onWorker(() -> {
            write(offset, buf);
            if ((flags & BlockRequest.FUA) != 0) {
                ch.force(false);
            }
        });
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
    public CompletableFuture<Void> pwriteZeroes(long offset, long bytes, int flags) {
        return onWorker(() -> {
            writeZeroes(offset, bytes);
            if ((flags & BlockRequest.FUA) != 0) {
                ch.force(false);
            }
        });
    }

    @Override
    public CompletableFuture<Void> pdiscard(long offset, long bytes) {
        // Java cannot punch holes; discarded ranges read back as zeroes, as they do after QEMU's punch-hole
        return onWorker(() -> {
            try {
                long len = ch.size();
                long end = Math.min(len, offset + bytes);
                if (end > offset) {
                    writeZeroes(offset, end - offset);
                }
                synchronized (this) {
                    discardOk++;
                    discardBytesOk += bytes;
                }
            } catch (IOException e) {
                synchronized (this) {
                    discardFailed++;
                }
                throw e;
            }
        });
    }

    @Override
    public int requestAlignment() {
        return align;
    }

    @Override
    public CompletableFuture<Void> flushToDisk() {
        return onWorker(() -> ch.force(false));
    }

    private void read(long offset, ByteBuffer buf) throws IOException {
        if (!direct || DirectIo.isAligned(offset, buf, align)) {
            DirectIo.readFully(ch, offset, buf, direct);
            return;
        }
        int len = buf.remaining();
        long start = offset / align * align;
        long end = (offset + len + align - 1) / align * align;
        ByteBuffer bounce = DirectIo.bounce((int) (end - start), align);
        DirectIo.readFully(ch, start, bounce, true);
        bounce.position((int) (offset - start)).limit((int) (offset - start) + len);
        buf.put(bounce);
    }

    private void write(long offset, ByteBuffer buf) throws IOException {
        if (!writable) {
            throw new IOException("Bad file descriptor");
        }
        if (!direct) {
            DirectIo.writeFully(ch, offset, buf);
            return;
        }
        int len = buf.remaining();
        if (offset % align == 0 && len % align == 0) {
            ByteBuffer src = buf;
            if (!DirectIo.isAligned(offset, buf, align)) {
                src = DirectIo.bounce(len, align);
                src.put(buf).flip();
            }
            rmw.readLock().lock();
            try {
                DirectIo.writeFully(ch, offset, src);
            } finally {
                rmw.readLock().unlock();
            }
            return;
        }
        long start = offset / align * align;
        long end = (offset + len + align - 1) / align * align;
        ByteBuffer bounce = DirectIo.bounce((int) (end - start), align);
        rmw.writeLock().lock();
        try {
            DirectIo.readFully(ch, start, bounce, true);
            bounce.position((int) (offset - start));
            bounce.put(buf);
            // rewind only: clear() would widen the limit to the slice's capacity, which may hold one more block
            bounce.position(0).limit((int) (end - start));
            long fileEnd = Math.max(ch.size(), offset + len);
            DirectIo.writeFully(ch, start, bounce);
            if (ch.size() > fileEnd) {
                ch.truncate(fileEnd); // the aligned tail must not grow the file past what was written
            }
        } finally {
            rmw.writeLock().unlock();
        }
    }

    private void writeZeroes(long offset, long bytes) throws IOException {
        int chunk = (int) Math.min(bytes, 1 << 20);
        if (direct) {
            chunk = Math.max(chunk, align);
        }
        long done = 0;
        while (done < bytes) {
            int n = (int) Math.min(chunk, bytes - done);
            write(offset + done, ByteBuffer.allocate(n));
            done += n;
        }
    }


    // ---- image locking (main loop) -------------------------------------------------------------------------

    @Override
    public void checkPerm(int newPerm, int newShared) {
        if (newPerm != 0 && (newPerm & (BlockPerm.WRITE.bit() | BlockPerm.WRITE_UNCHANGED.bit()
                | BlockPerm.RESIZE.bit())) != 0 && !writable) {
            try {
                FileChannel old = ch;
                openChannel(true); // auto-read-only: writers need a writable descriptor
                retire(old);
            } catch (IOException e) {
                throw openError(e);
            }
        }
        if (!useLock) {
            return;
        }
        if ((perm | newPerm) == perm && (shared & newShared) == shared) {
            return;
        }
        applyLocks(perm | newPerm, ~shared | ~newShared, false);
        try {
            checkLocks(newPerm, newShared);
        } catch (BlockException e) {
            applyLocks(perm, ~shared, true);
            throw e;
        }
    }

    private void retire(FileChannel old) {
        if (old != null && host != null) {
            // keep the old descriptor until the inode's last user goes: closing it would drop our locks
            host.adopt(old);
        }
    }

    @Override
    public void setPerm(int newPerm, int newShared) {
        if (useLock) {
            applyLocks(newPerm, ~newShared, true);
        }
        perm = newPerm;
        shared = newShared;
    }

    @Override
    public void abortPerm() {
        if (useLock) {
            applyLocks(perm, ~shared, true);
        }
    }

    private void applyLocks(int permBits, int unsharedBits, boolean unlock) {
        for (int i = 0; i < PERM_BITS; i++) {
            int bit = 1 << i;
            if ((permBits & bit) != 0 && (lockedPerm & bit) == 0) {
                host.lock(this, LOCK_PERM_BASE + i);
                lockedPerm |= bit;
            } else if (unlock && (lockedPerm & bit) != 0 && (permBits & bit) == 0) {
                host.unlock(this, LOCK_PERM_BASE + i);
                lockedPerm &= ~bit;
            }
        }
        for (int i = 0; i < PERM_BITS; i++) {
            int bit = 1 << i;
            if ((unsharedBits & bit) != 0 && (lockedShared & bit) == 0) {
                host.lock(this, LOCK_SHARED_BASE + i);
                lockedShared |= bit;
            } else if (unlock && (lockedShared & bit) != 0 && (unsharedBits & bit) == 0) {
                host.unlock(this, LOCK_SHARED_BASE + i);
                lockedShared &= ~bit;
            }
        }
    }

    private void checkLocks(int newPerm, int newShared) {
        for (int i = 0; i < PERM_BITS; i++) {
            int bit = 1 << i;
            if ((newPerm & bit) != 0 && host.lockedByOthers(this, LOCK_SHARED_BASE + i)) {
                throw BlockException.withHint("Failed to get \"" + BlockPerm.names(bit) + "\" lock", busyHint());
            }
        }
        for (int i = 0; i < PERM_BITS; i++) {
            int bit = 1 << i;
            if ((newShared & bit) == 0 && host.lockedByOthers(this, LOCK_PERM_BASE + i)) {
                throw BlockException.withHint("Failed to get shared \"" + BlockPerm.names(bit) + "\" lock",
                        busyHint());
            }
        }
    }

    private String busyHint() {
        return "Is another process using the image [" + node.filename() + "]?\n";
    }

    // ---- AioContext and close --------------------------------------------------------------------------------

    @Override
    public void close() {
        if (host != null) {
            for (int i = 0; i < PERM_BITS; i++) {
                host.unlock(this, LOCK_PERM_BASE + i);
                host.unlock(this, LOCK_SHARED_BASE + i);
            }
            lockedPerm = 0;
            lockedShared = 0;
            host.release(ch);
            host = null;
            ch = null;
        } else {
            closeChannelNow();
        }
    }
}

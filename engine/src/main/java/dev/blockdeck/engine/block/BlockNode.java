package dev.blockdeck.engine.block;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.bitmap.NodeDirtyBitmaps;
import dev.blockdeck.engine.block.BlockIOException.Errno;
import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.DriverInfo;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.qmp.json.QdictOrder;
import dev.blockdeck.qmp.json.QmpJsonWriter;

/**
 * A node of the block graph (QEMU's BlockDriverState): a driver instance with its options, its child edges and
 * parent edges, its AioContext and its request accounting.
 *
 * <p>Graph state (edges, names, flags) changes only on the main loop. Requests run on the node's AioContext
 * thread; {@link #inFlight()} counts them so that drained sections can wait for zero.
 */
public final class BlockNode implements BlockParent {
    /** Open flags (QEMU's BDRV_O_*), as far as this engine uses them. */
    public static final int O_RDWR = 1;
    public static final int O_NOCACHE = 1 << 1;
    public static final int O_NO_FLUSH = 1 << 2;
    public static final int O_UNMAP = 1 << 3;
    public static final int O_AUTO_RDONLY = 1 << 4;
    public static final int O_ALLOW_RDWR = 1 << 5;
    public static final int O_PROTOCOL = 1 << 6;
    public static final int O_NATIVE_AIO = 1 << 7;
    public static final int O_IO_URING = 1 << 8;
    public static final int O_INACTIVE = 1 << 9;
    public static final int O_NO_BACKING = 1 << 10;

    /** QEMU's BDRV_MAX_LENGTH: INT64_MAX aligned down to 1 GiB. */
    public static final long MAX_LENGTH = Long.MAX_VALUE & ~((1L << 30) - 1);
    public static final int SECTOR = 512;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Test and tracing hook: sees every request as it enters a node, on the thread it runs on. */
    public interface RequestObserver {
        void request(BlockNode node, String op, long offset, long bytes);

        /** The request finished; called on the thread that completed it. */
        default void completed(BlockNode node, String op) {
        }
    }

    private final BlockGraph graph;
    private String name = "";
    private BlockDriver driver;
    private NodeDriver state;
    private int openFlags;
    private boolean forceShare;
    private DetectZeroes detectZeroes = DetectZeroes.OFF;
    private boolean implicit;
    private NodeOptions options = new NodeOptions();
    private NodeOptions explicitOptions = new NodeOptions();
    private final List<BdrvChild> children = new ArrayList<>();
    private final List<BdrvChild> parents = new ArrayList<>();
    private BdrvChild file;
    private BdrvChild backing;
    private volatile AioContext ctx;
    private int refcnt = 1;
    private boolean monitorOwned;
    private BlockNode inheritsFrom;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int quiesceCounter;
    private final AtomicLong wrHighestOffset = new AtomicLong();
    /** QEMU's write_gen / flushed_gen: a flush reaches the driver only if something was written since the last. */
    private final AtomicInteger writeGen = new AtomicInteger();
    private final AtomicInteger flushedGen = new AtomicInteger();
    private volatile long totalBytes;
    private volatile boolean ejected;
    private String filename = "";
    private String exactFilename = "";
    private ObjectNode fullOpenOptions = F.objectNode();
    private String autoBackingFile = "";
    private String backingFile = "";
    private String backingFormat = "";
    private int cumulativePerm;
    private int cumulativeShared = BlockPerm.ALL;
    private volatile RequestObserver observer;
    private final java.util.EnumMap<BlockOp, List<String>> blockers = new java.util.EnumMap<>(BlockOp.class);
    private final NodeDirtyBitmaps dirtyBitmaps = new NodeDirtyBitmaps();

    BlockNode(BlockGraph graph, AioContext ctx) {
        this.graph = graph;
        this.ctx = ctx;
    }

    // ---- identity and state --------------------------------------------------------------------------------

    public BlockGraph graph() {
        return graph;
    }

    public String name() {
        return name;
    }

    void setName(String n) {
        name = n;
    }

    public BlockDriver driver() {
        return driver;
    }

    public NodeDriver driverState() {
        return state;
    }

    void setDriver(BlockDriver d, NodeDriver s) {
        driver = d;
        state = s;
    }

    /**
     * The driver found its image unusable (a fatal qcow2 corruption) and gave up on it: QEMU's {@code bs->drv =
     * NULL}. From now on this node and every node above it is not inserted: requests fail with ENOMEDIUM, flushes
     * do nothing, query-named-block-nodes and query-block call it ejected. Any thread; never undone.
     */
    public void eject() {
        if (!ejected) {
            ejected = true;
            graph.nodeEjected();
        }
    }

    /** Whether the driver gave up ({@link #eject}): QEMU's {@code !bs->drv} on an open node. */
    public boolean isEjected() {
        return ejected;
    }

    /** QEMU's bdrv_is_inserted: this node and all its children have their driver. */
    public boolean isInserted() {
        if (!graph.anyEjected()) {
            return true;
        }
        if (ejected) {
            return false;
        }
        for (BdrvChild c : List.copyOf(children)) {
            if (!c.node().isInserted()) {
                return false;
            }
        }
        return true;
    }

    public int openFlags() {
        return openFlags;
    }

    void setOpenFlags(int f) {
        openFlags = f;
    }

    public boolean isReadOnly() {
        return (openFlags & O_RDWR) == 0;
    }

    /** Read-write and active (QEMU's bdrv_is_writable). */
    public boolean isWritable() {
        return (openFlags & (O_RDWR | O_INACTIVE)) == O_RDWR;
    }

    public boolean isInactive() {
        return (openFlags & O_INACTIVE) != 0;
    }

    public boolean cacheDirect() {
        return (openFlags & O_NOCACHE) != 0;
    }

    public boolean cacheNoFlush() {
        return (openFlags & O_NO_FLUSH) != 0;
    }

    public boolean forceShare() {
        return forceShare;
    }

    void setForceShare(boolean f) {
        forceShare = f;
    }

    public DetectZeroes detectZeroes() {
        return detectZeroes;
    }

    /** Sets detect-zeroes (-drive applies it after opening, without the discard check). */
    public void setDetectZeroes(DetectZeroes d) {
        detectZeroes = d;
    }

    /** Implicitly inserted filters (job filters without a user-given name) are hidden by query-block. */
    public boolean isImplicit() {
        return implicit;
    }

    public void setImplicit(boolean i) {
        implicit = i;
    }

    /** The effective options the node was opened with (children's options removed). */
    public NodeOptions options() {
        return options;
    }

    void setOptions(NodeOptions effective, NodeOptions explicit) {
        options = effective;
        explicitOptions = explicit;
    }

    public NodeOptions explicitOptions() {
        return explicitOptions;
    }

    @Override
    public AioContext aioContext() {
        return ctx;
    }

    void setAioContext(AioContext c) {
        ctx = c;
    }

    public boolean monitorOwned() {
        return monitorOwned;
    }

    void setMonitorOwned(boolean m) {
        monitorOwned = m;
    }

    public int refcount() {
        return refcnt;
    }

    void ref() {
        refcnt++;
    }

    /** Returns the new count. */
    int unrefCount() {
        return --refcnt;
    }

    BlockNode inheritsFrom() {
        return inheritsFrom;
    }

    void setInheritsFrom(BlockNode p) {
        inheritsFrom = p;
    }

    /** Child edges, newest first (QEMU's list order). */
    public List<BdrvChild> childEdges() {
        return Collections.unmodifiableList(children);
    }

    /** Parent edges, newest first. */
    public List<BdrvChild> parentEdges() {
        return Collections.unmodifiableList(parents);
    }

    void addChildEdge(BdrvChild c) {
        children.add(0, c);
        if (ChildRole.has(c.role(), ChildRole.COW)) {
            backing = c;
        } else if (ChildRole.has(c.role(), ChildRole.PRIMARY) && file == null) {
            file = c;
        }
    }

    void removeChildEdge(BdrvChild c) {
        children.remove(c);
        if (c == file) {
            file = null;
        }
        if (c == backing) {
            backing = null;
        }
    }

    void addParentEdge(BdrvChild c) {
        parents.add(0, c);
    }

    void removeParentEdge(BdrvChild c) {
        parents.remove(c);
    }

    /** The {@code file} child (primary child of formats and filters), or null. */
    public BdrvChild file() {
        return file;
    }

    /** The {@code backing} child, or null. */
    public BdrvChild backing() {
        return backing;
    }

    /** The child with the PRIMARY role, if any (QEMU's bdrv_primary_child). */
    public BdrvChild primaryChild() {
        for (BdrvChild c : children) {
            if (ChildRole.has(c.role(), ChildRole.PRIMARY)) {
                return c;
            }
        }
        return null;
    }

    /** For filters, the filtered child; else null (QEMU's bdrv_filter_child). */
    public BdrvChild filterChild() {
        if (driver == null || !driver.isFilter()) {
            return null;
        }
        return backing != null ? backing : file;
    }

    /** The COW (backing) child or the filtered child (QEMU's bdrv_filter_or_cow_child). */
    public BdrvChild filterOrCowChild() {
        if (driver != null && !driver.isFilter() && backing != null) {
            return backing;
        }
        return filterChild();
    }

    /** Whether a BlockBackend is a direct parent (QEMU's bdrv_has_blk). */
    public boolean hasBackend() {
        for (BdrvChild c : parents) {
            if (c.parent() instanceof BlockBackend) {
                return true;
            }
        }
        return false;
    }

    /** The first BlockBackend parent (QEMU's bdrv_first_blk), or null. */
    public BlockBackend firstBackend() {
        for (BdrvChild c : parents) {
            if (c.parent() instanceof BlockBackend b) {
                return b;
            }
        }
        return null;
    }

    /** The BB name if a named BB is a parent, else the node name (bdrv_get_device_or_node_name). */
    public String deviceOrNodeName() {
        for (BdrvChild c : parents) {
            if (c.parent() instanceof BlockBackend b && b.name() != null) {
                return b.name();
            }
        }
        return name;
    }

    public int cumulativePerm() {
        return cumulativePerm;
    }

    public int cumulativeShared() {
        return cumulativeShared;
    }

    void setCumulative(int perm, int shared) {
        cumulativePerm = perm;
        cumulativeShared = shared;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The node's dirty bitmaps (QEMU's bs->dirty_bitmaps); writes, write-zeroes and discards mark them. */
    public NodeDirtyBitmaps dirtyBitmaps() {
        return dirtyBitmaps;
    }

    public int quiesceCounter() {
        return quiesceCounter;
    }

    void setQuiesceCounter(int q) {
        quiesceCounter = q;
    }

    public long wrHighestOffset() {
        return wrHighestOffset.get();
    }

    /** Test and tracing hook, see {@link RequestObserver}. */
    public void setRequestObserver(RequestObserver o) {
        observer = o;
    }

    /** The backing file name as the image stores it (QEMU's {@code bs->backing_file}); "" if none. */
    public String backingFile() {
        return backingFile;
    }

    /** The backing format the image stores (QEMU's {@code bs->backing_format}); "" if none. */
    public String backingFormat() {
        return backingFormat;
    }

    /** A format driver's open records what its image header says about the backing file. */
    public void setBackingFileInfo(String file, String format) {
        backingFile = file == null ? "" : file;
        backingFormat = format == null ? "" : format;
        autoBackingFile = backingFile;
    }

    public String autoBackingFile() {
        return autoBackingFile;
    }

    /** The backing file name the image header names (for formats with backing files). */
    public void setAutoBackingFile(String f) {
        autoBackingFile = f == null ? "" : f;
    }

    // ---- op blockers (main loop) ------------------------------------------------------------------------------

    /** Blocks {@code op} on this node for {@code reason} (e.g. "node is used as backing hd of 'o'"). */
    public void blockOp(BlockOp op, String reason) {
        blockers.computeIfAbsent(op, k -> new ArrayList<>()).add(0, reason); // newest first, as QEMU lists them
    }

    /** Removes one blocker for {@code reason}. */
    public void unblockOp(BlockOp op, String reason) {
        List<String> l = blockers.get(op);
        if (l != null) {
            l.remove(reason);
            if (l.isEmpty()) {
                blockers.remove(op);
            }
        }
    }

    /** QEMU's bdrv_op_is_blocked: throws {@code Node 'x' is busy: <reason>} if {@code op} is blocked. */
    public void checkOpNotBlocked(BlockOp op) {
        List<String> l = blockers.get(op);
        if (l != null && !l.isEmpty()) {
            throw new BlockException("Node '" + deviceOrNodeName() + "' is busy: " + l.get(0));
        }
    }

    // ---- length ----------------------------------------------------------------------------------------------

    /** The length in bytes, a whole number of sectors, as of the last refresh. */
    public long length() {
        return totalBytes;
    }

    /** Asks the driver again (QEMU refreshes variable-length nodes on every bdrv_getlength). */
    public long refreshLength() throws BlockIOException {
        long len = state.length();
        if (len > MAX_LENGTH) {
            throw new BlockIOException(Errno.EFBIG);
        }
        totalBytes = roundUpSectors(len);
        return totalBytes;
    }

    static long roundUpSectors(long len) {
        return (len + SECTOR - 1) / SECTOR * SECTOR;
    }

    // ---- BlockParent (this node as the parent of its children) ----------------------------------------------

    @Override
    public String parentDescription() {
        return "node '" + name + "'";
    }

    @Override
    public boolean isNode() {
        return true;
    }

    @Override
    public boolean changeContext(BdrvChild via, AioContext target, ContextChange change) {
        return change.visitNode(this);
    }

    @Override
    public void childDrainedBegin(BdrvChild via) {
        graph.quiesce(this);
    }

    @Override
    public void childDrainedEnd(BdrvChild via) {
        graph.unquiesce(this);
    }

    @Override
    public boolean childDrainedPoll(BdrvChild via) {
        return graph.busy(this);
    }

    // ---- requests (on this node's context thread) -----------------------------------------------------------

    private void checkThread() {
        if (!ctx.inThread()) {
            throw new IllegalStateException("request on node '" + name + "' outside its AioContext " + ctx);
        }
    }

    private String begin(String op, long offset, long bytes) {
        inFlight.incrementAndGet();
        RequestObserver o = observer;
        if (o != null) {
            o.request(this, op, offset, bytes);
        }
        return op;
    }

    private <T> CompletableFuture<T> end(String op, CompletableFuture<T> f) {
        return f.whenComplete((v, e) -> {
            RequestObserver o = observer;
            if (o != null) {
                o.completed(this, op);
            }
            inFlight.decrementAndGet();
            graph.kickWaiters();
        });
    }

    private static <T> CompletableFuture<T> failed(Errno e) {
        return CompletableFuture.failedFuture(new BlockIOException(e));
    }

    private static <T> CompletableFuture<T> guard(java.util.function.Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new BlockIOException(Errno.EIO, e.toString(), e));
        }
    }

    CompletableFuture<Void> preadv(BdrvChild via, long offset, ByteBuffer buf, int flags) {
        checkThread();
        if (!isInserted()) {
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
            f = guard(() -> state.preadv(offset, head, flags));
        } else {
            f = guard(() -> state.preadv(offset, buf, flags));
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
        if (!isInserted()) {
            return failed(Errno.ENOMEDIUM);
        }
        long len = buf.remaining();
        if (offset < 0) {
            return failed(Errno.EIO);
        }
        if (!mayWrite(via, flags) || !isWritable() || dirtyBitmaps.hasReadonly()) {
            return failed(Errno.EPERM);
        }
        if (detectZeroes != DetectZeroes.OFF && state.supportsWriteZeroes() && isZero(buf)) {
            int zf = flags | BlockRequest.ZERO_WRITE;
            if (detectZeroes == DetectZeroes.UNMAP && (openFlags & O_UNMAP) != 0) {
                zf |= BlockRequest.MAY_UNMAP;
            }
            return pwriteZeroes(via, offset, len, zf);
        }
        String op = begin("write", offset, len);
        debugEvent(DebugEvents.PWRITEV);
        return end(op, writeFinished(guard(() -> state.pwritev(offset, buf, flags)), true)
                .whenComplete((v, e) -> written(offset, len, e)));
    }

    CompletableFuture<Void> pwriteZeroes(BdrvChild via, long offset, long bytes, int flags) {
        checkThread();
        if (!isInserted()) {
            return failed(Errno.ENOMEDIUM);
        }
        if (offset < 0 || bytes < 0) {
            return failed(Errno.EIO);
        }
        if (!mayWrite(via, flags) || !isWritable() || dirtyBitmaps.hasReadonly()) {
            return failed(Errno.EPERM);
        }
        int f = flags | BlockRequest.ZERO_WRITE;
        if ((openFlags & O_UNMAP) == 0) {
            f &= ~BlockRequest.MAY_UNMAP;
        }
        int zf = f;
        String op = begin("write-zeroes", offset, bytes);
        debugEvent(DebugEvents.PWRITEV_ZERO);
        return end(op, writeFinished(guard(() -> state.pwriteZeroes(offset, bytes, zf)), true)
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
                dirtyBitmaps.truncate(rounded);
            }
        }
        dirtyBitmaps.markDirty(offset, len);
    }

    CompletableFuture<Void> pdiscard(BdrvChild via, long offset, long bytes) {
        checkThread();
        if (!isInserted()) {
            return failed(Errno.ENOMEDIUM);
        }
        if (offset < 0 || bytes < 0) {
            return failed(Errno.EIO);
        }
        if (!mayWrite(via, 0) || !isWritable() || dirtyBitmaps.hasReadonly()) {
            return failed(Errno.EPERM);
        }
        if ((openFlags & O_UNMAP) == 0) {
            return CompletableFuture.completedFuture(null);
        }
        String op = begin("discard", offset, bytes);
        boolean marks = state.supportsDiscard();
        return end(op, writeFinished(guard(() -> state.pdiscard(offset, bytes)), false).whenComplete((v, e) -> {
            if (marks) {
                dirtyBitmaps.markDirty(offset, bytes);
            }
        }));
    }

    /** Sets the length (the caller holds the resize permission); the cached length follows. */
    public CompletableFuture<Void> truncate(long size) {
        checkThread();
        if (ejected) {
            return failed(Errno.ENOMEDIUM);
        }
        if (!isWritable()) {
            return failed(Errno.EACCES);
        }
        String op = begin("truncate", size, 0);
        return end(op, guard(() -> state.truncate(size)).thenRun(() -> {
            writeGen.incrementAndGet();
            totalBytes = roundUpSectors(size);
            dirtyBitmaps.truncate(totalBytes);
        }));
    }

    /**
     * QEMU's bdrv_co_flush: nothing for a read-only node; else the driver's flush_to_disk (unless cache.no-flush,
     * or nothing was written since the last successful flush), then, if that worked, every child this node may
     * write to, one after the other.
     */
    public CompletableFuture<Void> flush() {
        checkThread();
        String op = begin("flush", 0, 0);
        if (isReadOnly() || !isInserted()) {
            return end(op, CompletableFuture.completedFuture(null));
        }
        int gen = writeGen.get();
        BdrvChild primary = primaryChild();
        debugEvent(primary, DebugEvents.FLUSH_TO_OS);
        CompletableFuture<Void> own;
        if ((openFlags & O_NO_FLUSH) != 0 || flushedGen.get() == gen) {
            own = CompletableFuture.completedFuture(null);
        } else {
            debugEvent(primary, DebugEvents.FLUSH_TO_DISK);
            own = guard(state::flushToDisk);
        }
        CompletableFuture<Void> all = own.thenCompose(v -> flushChildren())
                .thenRun(() -> flushedGen.accumulateAndGet(gen, Math::max));
        return end(op, all);
    }

    private CompletableFuture<Void> flushChildren() {
        CompletableFuture<Throwable> chain = CompletableFuture.completedFuture(null);
        for (BdrvChild c : List.copyOf(children)) {
            if ((c.perm() & (BlockPerm.WRITE.bit() | BlockPerm.WRITE_UNCHANGED.bit())) != 0) {
                chain = chain.thenCompose(first -> c.node().flush().handle((v, e) -> first != null ? first : e));
            }
        }
        return chain.thenCompose(err -> err == null ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(err));
    }

    // ---- debug events (QEMU's BLKDBG_EVENT points in block/io.c) and the write generation -------------------

    /** Tells this node's driver that the I/O path is at {@code event} ({@link DebugEvents}); blkdebug acts on it. */
    public void debugEvent(String event) {
        NodeDriver s = state;
        if (s != null) {
            s.debugEvent(event);
        }
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
                debugEvent(DebugEvents.PWRITEV_DONE);
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

    // ---- information --------------------------------------------------------------------------------------

    /** QEMU's generic bdrv_get_allocated_file_size for drivers without their own. */
    public Optional<Long> defaultAllocatedFileSize() {
        if (driver.isProtocol()) {
            return Optional.empty();
        }
        if (driver.isFilter()) {
            BdrvChild c = filterChild();
            return c == null ? Optional.empty() : c.node().driverState().allocatedFileSize();
        }
        long sum = 0;
        for (BdrvChild c : children) {
            if ((c.role() & (ChildRole.DATA | ChildRole.METADATA | ChildRole.FILTERED)) != 0) {
                Optional<Long> s = c.node().driverState().allocatedFileSize();
                if (s.isEmpty()) {
                    return s;
                }
                sum += s.get();
            }
        }
        return Optional.of(sum);
    }

    /** QEMU's bdrv_get_info: the driver's, or a filter's child's. */
    public Optional<DriverInfo> info() {
        Optional<DriverInfo> i = state.info();
        if (i.isEmpty() && driver.isFilter() && filterChild() != null) {
            return filterChild().node().info();
        }
        return i;
    }

    public String filename() {
        return filename;
    }

    public String exactFilename() {
        return exactFilename;
    }

    void setFilenames(String fn) {
        filename = fn == null ? "" : fn;
        exactFilename = filename;
    }

    /** The last {@link #refreshFilename(Object)} pass (main loop only). */
    private Object refreshedIn;

    public ObjectNode fullOpenOptions() {
        return fullOpenOptions;
    }

    /**
     * Recomputes {@code filename}: the plain file name when opening it alone would give this node, else a
     * {@code json:{...}} pseudo-filename with the options that matter (QEMU's bdrv_refresh_filename).
     */
    public void refreshFilename() {
        refreshFilename(new Object());
    }

    /**
     * {@link #refreshFilename()} at most once per {@code pass}: a query that reports many nodes (each refreshing
     * its whole subtree, and again for its image info) refreshes every node once, as the graph cannot change
     * while it runs on the main loop.
     */
    public void refreshFilename(Object pass) {
        if (refreshedIn == pass) {
            return;
        }
        refreshedIn = pass;
        for (BdrvChild c : children) {
            c.node().refreshFilename(pass);
        }
        if (implicit && children.size() == 1) {
            BlockNode c = children.get(0).node();
            exactFilename = c.exactFilename;
            filename = c.filename;
            fullOpenOptions = c.fullOpenOptions;
            return;
        }
        boolean backingOverridden = backing != null ? !autoBackingFile.equals(backing.node().filename)
                : !autoBackingFile.isEmpty();
        ObjectNode opts = F.objectNode();
        boolean generateJson = appendStrongOptions(opts) | backingOverridden;
        for (BdrvChild c : children) {
            if (c == backing && !backingOverridden) {
                continue;
            }
            opts.set(c.name(), c.node().fullOpenOptions);
        }
        if (backingOverridden && backing == null) {
            opts.putNull("backing");
        }
        fullOpenOptions = opts;
        String own = state.refreshFilename(opts);
        BdrvChild primary = primaryChild();
        if (own != null) {
            exactFilename = own;
        } else if (primary != null) {
            exactFilename = "";
            BlockNode p = primary.node();
            if (!p.exactFilename.isEmpty() && p.driver.isProtocol() && !driver.isFilter() && !generateJson) {
                exactFilename = p.exactFilename;
            }
        }
        if (!exactFilename.isEmpty()) {
            filename = exactFilename;
        } else {
            String json = "json:" + QmpJsonWriter.writeInQdictOrder(opts);
            filename = json.length() >= 4096 ? json.substring(0, 4092) + "..." : json;
        }
    }

    private boolean appendStrongOptions(ObjectNode d) {
        boolean found = false;
        List<String> keys = new ArrayList<>(List.of("driver", "filename"));
        keys.addAll(driver.strongRuntimeOptions());
        for (String k : keys) {
            boolean given = false;
            if (k.endsWith(".")) {
                // QEMU walks the options dictionary in its own (hash) order for these
                for (Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries(options.toFlatJson());
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().startsWith(k)) {
                        d.set(e.getKey(), e.getValue());
                        given = true;
                    }
                }
            } else {
                JsonNode v = options.get(k);
                if (v != null) {
                    d.set(k, v);
                    given = true;
                }
            }
            if (given && !k.equals("driver") && !k.equals("filename")) {
                found = true;
            }
        }
        if (!d.has("driver")) {
            d.put("driver", driver.formatName());
        }
        return found;
    }

    @Override
    public String toString() {
        return "BlockNode[" + name + ", " + (driver == null ? "?" : driver.formatName()) + "]";
    }
}

package dev.blockdeck.engine.block;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.bitmap.NodeDirtyBitmaps;
import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.DriverInfo;
import dev.blockdeck.engine.block.driver.NodeDriver;

/**
 * A node of the block graph (QEMU's BlockDriverState): a driver instance with its options, its child edges and
 * parent edges, its AioContext and its request accounting.
 *
 * <p>Graph state (edges, names, flags) changes only on the main loop. Requests run on the node's AioContext
 * thread; {@link #inFlight()} counts them so that drained sections can wait for zero. The concerns live in
 * package-private collaborators: the edges {@link NodeEdges}, the request path and cached length
 * {@link NodeRequests}, the file names {@link NodeFilenames}, the op blockers {@link NodeOpBlockers}, generic
 * reporting {@link NodeInfo}.
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
    private volatile AioContext ctx;
    private int refcnt = 1;
    private boolean monitorOwned;
    private BlockNode inheritsFrom;
    private volatile int quiesceCounter;
    private volatile boolean ejected;
    private int cumulativePerm;
    private int cumulativeShared = BlockPerm.ALL;
    private final NodeDirtyBitmaps dirtyBitmaps = new NodeDirtyBitmaps();
    private final NodeEdges edges = new NodeEdges(this);
    private final NodeRequests requests = new NodeRequests(this);
    private final NodeFilenames filenames = new NodeFilenames(this);
    private final NodeOpBlockers blockers = new NodeOpBlockers(this);

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
        for (BdrvChild c : List.copyOf(childEdges())) {
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
        return edges.children();
    }

    /** Parent edges, newest first. */
    public List<BdrvChild> parentEdges() {
        return edges.parents();
    }

    /** The edge lists themselves, for the graph code that links and unlinks edges. */
    NodeEdges edges() {
        return edges;
    }

    /** The {@code file} child (primary child of formats and filters), or null. */
    public BdrvChild file() {
        return edges.file();
    }

    /** The {@code backing} child, or null. */
    public BdrvChild backing() {
        return edges.backing();
    }

    /** The child with the PRIMARY role, if any (QEMU's bdrv_primary_child). */
    public BdrvChild primaryChild() {
        return edges.primaryChild();
    }

    /** For filters, the filtered child; else null (QEMU's bdrv_filter_child). */
    public BdrvChild filterChild() {
        return edges.filterChild();
    }

    /** The COW (backing) child or the filtered child (QEMU's bdrv_filter_or_cow_child). */
    public BdrvChild filterOrCowChild() {
        return edges.filterOrCowChild();
    }

    /** Whether a BlockBackend is a direct parent (QEMU's bdrv_has_blk). */
    public boolean hasBackend() {
        return edges.hasBackend();
    }

    /** The first BlockBackend parent (QEMU's bdrv_first_blk), or null. */
    public BlockBackend firstBackend() {
        return edges.firstBackend();
    }

    /** The BB name if a named BB is a parent, else the node name (bdrv_get_device_or_node_name). */
    public String deviceOrNodeName() {
        return edges.deviceOrNodeName();
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
        return requests.inFlight();
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
        return requests.wrHighestOffset();
    }

    /** Test and tracing hook, see {@link RequestObserver}. */
    public void setRequestObserver(RequestObserver o) {
        requests.setObserver(o);
    }

    /** The backing file name as the image stores it (QEMU's {@code bs->backing_file}); "" if none. */
    public String backingFile() {
        return filenames.backingFile();
    }

    /** The backing format the image stores (QEMU's {@code bs->backing_format}); "" if none. */
    public String backingFormat() {
        return filenames.backingFormat();
    }

    /** A format driver's open records what its image header says about the backing file. */
    public void setBackingFileInfo(String file, String format) {
        filenames.setBackingFileInfo(file, format);
    }

    public String autoBackingFile() {
        return filenames.autoBackingFile();
    }

    /** The backing file name the image header names (for formats with backing files). */
    public void setAutoBackingFile(String f) {
        filenames.setAutoBackingFile(f);
    }

    // ---- op blockers (main loop) ------------------------------------------------------------------------------

    /** Blocks {@code op} on this node for {@code reason} (e.g. "node is used as backing hd of 'o'"). */
    public void blockOp(BlockOp op, String reason) {
        blockers.blockOp(op, reason);
    }

    /** Removes one blocker for {@code reason}. */
    public void unblockOp(BlockOp op, String reason) {
        blockers.unblockOp(op, reason);
    }

    /** QEMU's bdrv_op_is_blocked: throws {@code Node 'x' is busy: <reason>} if {@code op} is blocked. */
    public void checkOpNotBlocked(BlockOp op) {
        blockers.checkOpNotBlocked(op);
    }

    // ---- length ----------------------------------------------------------------------------------------------

    /** The length in bytes, a whole number of sectors, as of the last refresh. */
    public long length() {
        return requests.length();
    }

    /** Asks the driver again (QEMU refreshes variable-length nodes on every bdrv_getlength). */
    public long refreshLength() throws BlockIOException {
        return requests.refreshLength();
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

    // ---- requests (on this node's context thread; NodeRequests) ---------------------------------------------

    CompletableFuture<Void> preadv(BdrvChild via, long offset, ByteBuffer buf, int flags) {
        return requests.preadv(via, offset, buf, flags);
    }

    CompletableFuture<Void> pwritev(BdrvChild via, long offset, ByteBuffer buf, int flags) {
        return requests.pwritev(via, offset, buf, flags);
    }

    CompletableFuture<Void> pwriteZeroes(BdrvChild via, long offset, long bytes, int flags) {
        return requests.pwriteZeroes(via, offset, bytes, flags);
    }

    CompletableFuture<Void> pdiscard(BdrvChild via, long offset, long bytes) {
        return requests.pdiscard(via, offset, bytes);
    }

    /** Sets the length (the caller holds the resize permission); the cached length follows. */
    public CompletableFuture<Void> truncate(long size) {
        return requests.truncate(size);
    }

    /**
     * QEMU's bdrv_co_flush: nothing for a read-only node; else the driver's flush_to_disk (unless cache.no-flush,
     * or nothing was written since the last successful flush), then, if that worked, every child this node may
     * write to, one after the other.
     */
    public CompletableFuture<Void> flush() {
        return requests.flush();
    }

    /** Tells this node's driver that the I/O path is at {@code event} ({@link DebugEvents}); blkdebug acts on it. */
    public void debugEvent(String event) {
        NodeDriver s = state;
        if (s != null) {
            s.debugEvent(event);
        }
    }

    // ---- information --------------------------------------------------------------------------------------

    /** QEMU's generic bdrv_get_allocated_file_size for drivers without their own. */
    public Optional<Long> defaultAllocatedFileSize() {
        return NodeInfo.defaultAllocatedFileSize(this);
    }

    /** QEMU's bdrv_get_info: the driver's, or a filter's child's. */
    public Optional<DriverInfo> info() {
        return NodeInfo.info(this);
    }

    public String filename() {
        return filenames.filename();
    }

    public String exactFilename() {
        return filenames.exactFilename();
    }

    void setFilenames(String fn) {
        filenames.setFilenames(fn);
    }

    public ObjectNode fullOpenOptions() {
        return filenames.fullOpenOptions();
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
        filenames.refresh(pass);
    }

    @Override
    public String toString() {
        return "BlockNode[" + name + ", " + (driver == null ? "?" : driver.formatName()) + "]";
    }
}

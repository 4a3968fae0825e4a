package dev.blockdeck.engine.block;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.aio.AioWait;
import dev.blockdeck.engine.aio.MainContext;

/**
 * The block graph: every node and BlockBackend and the edges between them, with QEMU 7.2's rules for opening
 * nodes, permissions, drained sections and AioContext changes. Changed only from the main loop; requests run in
 * the nodes' AioContexts. The concerns live in package-private collaborators this class delegates to:
 * {@link GraphPermissions}, {@link ChildAttachments}, {@link DrainedSections}, {@link MainLoopPoll},
 * {@link ContextMoves}, {@link GraphBackends} (node opening is {@link NodeOpener}).
 */
public final class BlockGraph {
    private final MainContext main;
    private final AioWait aioWait;
    private final NodeNames names = new NodeNames();
    /** Named nodes in the order their names were assigned (QEMU's graph_bdrv_states). */
    private final List<BlockNode> nodes = new ArrayList<>();
    /** Every BlockBackend in creation order (QEMU's block_backends). */
    private final List<BlockBackend> backends = new ArrayList<>();
    /** Nodes created by blockdev-add / -blockdev (QEMU's monitor_bdrv_states). */
    private final List<BlockNode> monitorOwned = new ArrayList<>();
    private final IoWorkers workers = new IoWorkers();
    private final BlockTimers timers = new BlockTimers();
    /** Nodes whose driver gave up (BlockNode#eject); while there are none, every node counts as inserted. */
    private final AtomicInteger ejected = new AtomicInteger();
    private final List<Runnable> closeHooks = new ArrayList<>();
    private final NodeOpener opener = new NodeOpener(this);
    final ChildAttachments childAttachments = new ChildAttachments(this);
    private final DrainedSections drained = new DrainedSections(this);
    private final MainLoopPoll poll;
    private final ContextMoves contextMoves = new ContextMoves(this);
    private final GraphBackends graphBackends = new GraphBackends(this);

    private volatile java.util.function.BiConsumer<String, com.fasterxml.jackson.databind.node.ObjectNode> eventSink;

    public BlockGraph(MainContext main, AioWait aioWait) {
        this.main = main;
        this.aioWait = aioWait;
        this.poll = new MainLoopPoll(aioWait);
    }

    /** Where block-layer events (BLOCK_IMAGE_CORRUPTED) go; the engine connects it to its monitors. */
    public void setEventSink(
            java.util.function.BiConsumer<String, com.fasterxml.jackson.databind.node.ObjectNode> sink) {
        eventSink = sink;
    }

    void nodeEjected() {
        ejected.incrementAndGet();
    }

    /** Whether any node of this graph was ever ejected (a cheap test before walking a subtree). */
    boolean anyEjected() {
        return ejected.get() > 0;
    }

    /** Emits an event from any thread: it goes out from the main loop, as QEMU's monitor sends it. */
    public void emitEvent(String name, com.fasterxml.jackson.databind.node.ObjectNode data) {
        var sink = eventSink;
        if (sink == null) {
            return;
        }
        if (main.context().inThread()) {
            sink.accept(name, data);
        } else {
            try {
                main.context().execute(() -> sink.accept(name, data));
            } catch (IllegalStateException stopped) {
                // shutting down: nobody to tell
            }
        }
    }

    NodeNames names() {
        return names;
    }

    /** The named nodes list itself (the opener adds and removes). */
    List<BlockNode> namedNodes() {
        return nodes;
    }

    /** The backends list itself ({@link GraphBackends} adds and removes). */
    List<BlockBackend> backendList() {
        return backends;
    }

    public MainContext main() {
        return main;
    }

    public AioWait aioWait() {
        return aioWait;
    }

    public AioContext mainContext() {
        return main.context();
    }

    public IoWorkers workers() {
        return workers;
    }

    public BlockTimers timers() {
        return timers;
    }

    void assertMainLoop() {
        if (!main.inMainLoop()) {
            throw new IllegalStateException("block graph changed outside the main loop");
        }
    }

    // ---- lookups -----------------------------------------------------------------------------------------------

    /** Named nodes, oldest first (queries list them newest first). */
    public List<BlockNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Every BlockBackend, oldest first. */
    public List<BlockBackend> backends() {
        return Collections.unmodifiableList(backends);
    }

    public Optional<BlockNode> findNode(String name) {
        for (BlockNode n : nodes) {
            if (n.name().equals(name)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** A named BlockBackend (QEMU's blk_by_name). */
    public Optional<BlockBackend> findBackend(String name) {
        for (BlockBackend b : backends) {
            if (name.equals(b.name())) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /**
     * QEMU's bdrv_lookup_bs: the root of the BlockBackend named {@code device}, else the node named
     * {@code nodeName}; either may be null.
     */
    public BlockNode lookupBs(String device, String nodeName) {
        if (device != null) {
            Optional<BlockBackend> b = findBackend(device);
            if (b.isPresent()) {
                BlockNode root = b.get().root();
                if (root == null) {
                    throw new BlockException("Device '" + device + "' has no medium");
                }
                return root;
            }
        }
        if (nodeName != null) {
            Optional<BlockNode> n = findNode(nodeName);
            if (n.isPresent()) {
                return n.get();
            }
        }
        throw new BlockException("Cannot find device='" + (device == null ? "" : device) + "' nor node-name='"
                + (nodeName == null ? "" : nodeName) + "'");
    }

    public boolean isMonitorOwned(BlockNode n) {
        return monitorOwned.contains(n);
    }

    // ---- opening nodes -----------------------------------------------------------------------------------------

    /** blockdev-add / -blockdev: opens a node tree from flattened options; the root becomes monitor-owned. */
    public BlockNode blockdevAdd(NodeOptions options) {
        assertMainLoop();
        if (options.getString("node-name") == null) {
            throw new BlockException("'node-name' must be specified for the root node");
        }
        options.setDefault("cache.direct", "off");
        options.setDefault("cache.no-flush", "off");
        options.setDefault("read-only", "off");
        BlockNode bs = open(null, null, options, 0);
        bs.setMonitorOwned(true);
        monitorOwned.add(bs);
        return bs;
    }

    /** QEMU's bdrv_open: a root node (no parent), from a filename and/or options, or a reference. */
    public BlockNode open(String filename, String reference, NodeOptions options, int flags) {
        assertMainLoop();
        return opener.openInherit(filename, reference, options, flags, null, 0);
    }

    // ---- edges (ChildAttachments) ------------------------------------------------------------------------------

    /**
     * QEMU's bdrv_attach_child: {@code parent --name--> child}, with the permissions the parent's driver derives.
     * The edge takes over the caller's reference to {@code child}; on failure that reference is dropped.
     */
    public BdrvChild attachChild(BlockNode parent, BlockNode child, String name, int role) {
        assertMainLoop();
        return childAttachments.attachChild(parent, child, name, role);
    }

    /** Removes an edge and drops its reference without moving the child to another context (undo paths). */
    void removeEdgeKeepingContext(BdrvChild c) {
        assertMainLoop();
        childAttachments.removeEdge(c);
    }

    /**
     * QEMU's bdrv_root_unref_child: removes the edge (draining the child first), loosens the child's
     * permissions, moves it back to the main loop if nothing keeps it elsewhere, and drops the edge's reference.
     */
    public void detachChild(BdrvChild c) {
        assertMainLoop();
        childAttachments.detachChild(c);
    }

    /** Drops a reference; the node closes when none is left. */
    public void unref(BlockNode bs) {
        assertMainLoop();
        if (bs.unrefCount() > 0) {
            return;
        }
        delete(bs);
    }

    private void delete(BlockNode bs) {
        drainedBegin(bs);
        try {
            if (bs.driverState() != null) {
                try {
                    callInContext(bs.aioContext(), bs::flush);
                } catch (BlockIOException | RuntimeException ignored) {
                    // QEMU ignores flush errors on close as well
                }
            }
            // the driver closes first: qcow2 writes back its caches through its file child
            if (bs.driverState() != null) {
                bs.driverState().close();
            }
            for (BdrvChild c : List.copyOf(bs.childEdges())) {
                detachChild(c);
            }
        } finally {
            nodes.remove(bs);
            monitorOwned.remove(bs);
            drainedEnd(bs);
        }
    }

    // ---- permissions (GraphPermissions) ------------------------------------------------------------------------

    /**
     * QEMU's permission refresh for {@code starts} and everything below them: in topological order, checks that
     * the parents of each node don't conflict, that writers only write to writable nodes, lets the driver prepare
     * (file locking), and derives the child edges' permissions. All or nothing.
     */
    public void refreshPerms(List<BlockNode> starts) {
        assertMainLoop();
        GraphPermissions.refresh(starts);
    }

    // ---- drained sections (DrainedSections) and main-loop waits (MainLoopPoll) ---------------------------------

    /**
     * Begins a drained section on {@code bs} (main loop): its parents stop issuing requests (BlockBackends queue
     * them, jobs pause) and this returns once neither the node nor its parents have requests in flight. The main
     * loop keeps running main-context I/O while it waits and holds nothing an IOThread needs. Sections nest.
     */
    public void drainedBegin(BlockNode bs) {
        assertMainLoop();
        drained.drainedBegin(bs);
    }

    /** Ends a drained section; at the outermost end parents resume (queued requests restart in order). */
    public void drainedEnd(BlockNode bs) {
        assertMainLoop();
        drained.drainedEnd(bs);
    }

    /** A drained section as a resource: {@code try (var d = graph.drained(bs)) { ... }}. */
    public AutoCloseable drained(BlockNode bs) {
        drainedBegin(bs);
        return () -> drainedEnd(bs);
    }

    /** Drains a BlockBackend: waits until its requests (and its root's) are done (QEMU's blk_drain). */
    public void drainBackend(BlockBackend blk) {
        assertMainLoop();
        drained.drainBackend(blk);
    }

    void quiesce(BlockNode bs) {
        drained.quiesce(bs);
    }

    void unquiesce(BlockNode bs) {
        drained.unquiesce(bs);
    }

    boolean busy(BlockNode bs) {
        return drained.busy(bs);
    }

    /** From the main loop: keeps running main-context I/O until {@code cond} is false. */
    public void waitWhile(BooleanSupplier cond) {
        poll.waitWhile(cond);
    }

    /** Completions call this: wakes a main-loop wait if there is one. */
    public void kickWaiters() {
        poll.kickWaiters();
    }

    /**
     * From the main loop: runs {@code op} on {@code ctx}'s thread and waits for its future (QEMU's
     * BDRV_POLL_WHILE around a coroutine). Throws the request's I/O error.
     */
    public <T> T callInContext(AioContext ctx, Supplier<CompletableFuture<T>> op) throws BlockIOException {
        assertMainLoop();
        return poll.callInContext(ctx, op);
    }

    // ---- AioContexts (ContextMoves) ----------------------------------------------------------------------------

    /**
     * Moves {@code bs} and everything connected to it to {@code ctx} (QEMU's bdrv_try_change_aio_context): check
     * phase with drains, then commit, or nothing moves and the refusal is thrown. {@code ignore} is an edge not to
     * walk (a device moving its own backend).
     */
    public void changeContext(BlockNode bs, AioContext ctx, BdrvChild ignore) {
        assertMainLoop();
        contextMoves.changeContext(bs, ctx, ignore);
    }

    /**
     * Moves a BlockBackend and its whole component to {@code ctx} on behalf of its device (QEMU's
     * blk_set_aio_context): the backend's own "active backend" check is skipped, every other parent is asked. The
     * device's {@link BlockDevice#contextChanged} runs in the commit phase while everything is drained.
     */
    public void changeBackendContext(BlockBackend blk, AioContext ctx) {
        assertMainLoop();
        contextMoves.changeBackendContext(blk, ctx);
    }

    /** Whether any node or BlockBackend runs in {@code ctx} (object-del of an iothread refuses then). */
    public boolean usesContext(AioContext ctx) {
        return contextMoves.usesContext(ctx);
    }

    // ---- BlockBackends (GraphBackends) -------------------------------------------------------------------------

    /** A new anonymous BlockBackend without a root (QEMU's blk_new). */
    public BlockBackend newBackend(AioContext ctx, int perm, int sharedPerm) {
        assertMainLoop();
        return graphBackends.newBackend(ctx, perm, sharedPerm);
    }

    /** Names a backend (QEMU's monitor_add_blk), with its checks. */
    public void setBackendName(BlockBackend blk, String name) {
        assertMainLoop();
        graphBackends.setBackendName(blk, name);
    }

    /** Attaches {@code bs} as the backend's root (QEMU's blk_insert_bs); takes a reference to it. */
    public void insert(BlockBackend blk, BlockNode bs) {
        assertMainLoop();
        graphBackends.insert(blk, bs);
    }

    /** Detaches the backend's root (QEMU's blk_remove_bs); the backend keeps existing without medium. */
    public void removeRoot(BlockBackend blk) {
        assertMainLoop();
        graphBackends.removeRoot(blk);
    }

    /** Changes the permissions a backend takes and shares (QEMU's blk_set_perm); all or nothing. */
    public void setBackendPerm(BlockBackend blk, int perm, int shared) {
        assertMainLoop();
        graphBackends.setBackendPerm(blk, perm, shared);
    }

    /** Attaches a device (QEMU's blk_attach_dev). */
    public void attachDevice(BlockBackend blk, BlockDevice dev) {
        assertMainLoop();
        graphBackends.attachDevice(blk, dev);
    }

    /** Detaches the device (QEMU's blk_detach_dev). */
    public void detachDevice(BlockBackend blk) {
        assertMainLoop();
        graphBackends.detachDevice(blk);
    }

    /** Deletes a backend: its root is released, its name freed. */
    public void deleteBackend(BlockBackend blk) {
        assertMainLoop();
        graphBackends.deleteBackend(blk);
    }

    // ---- monitor-owned nodes -----------------------------------------------------------------------------------

    /** blockdev-del: every check of QEMU 7.2 in its order, then the node (and unused children) close. */
    public void blockdevDel(String nodeName) {
        assertMainLoop();
        BlockNode bs = findNode(nodeName).orElseThrow(
                () -> new BlockException("Failed to find node with node-name='" + nodeName + "'"));
        if (bs.hasBackend()) {
            throw new BlockException("Node " + nodeName + " is in use");
        }
        bs.checkOpNotBlocked(BlockOp.DRIVE_DEL);
        if (!monitorOwned.contains(bs)) {
            throw new BlockException("Node " + bs.name() + " is not owned by the monitor");
        }
        if (bs.refcount() > 1) {
            throw new BlockException("Block device " + bs.deviceOrNodeName() + " is in use");
        }
        monitorOwned.remove(bs);
        bs.setMonitorOwned(false);
        unref(bs);
    }

    // ---- shutdown ----------------------------------------------------------------------------------------------

    /** Runs at {@link #closeAll} before nodes close (jobs cancel, devices detach). */
    public void addCloseHook(Runnable r) {
        closeHooks.add(r);
    }

    /** Closes every node (engine shutdown): backends release their roots, nodes flush and close, locks drop. */
    public void closeAll() {
        assertMainLoop();
        closeHooks.forEach(Runnable::run);
        for (BlockBackend b : List.copyOf(backends)) {
            removeRoot(b);
        }
        for (BlockNode n : List.copyOf(monitorOwned)) {
            if (nodes.contains(n)) {
                n.setMonitorOwned(false);
                monitorOwned.remove(n);
                unref(n);
            }
        }
        monitorOwned.clear();
        // anything still referenced by something that never let go (should not happen): close it anyway
        for (BlockNode n : List.copyOf(nodes)) {
            if (nodes.contains(n)) {
                while (n.refcount() > 1) {
                    n.unrefCount();
                }
                unref(n);
            }
        }
        workers.shutdown();
        timers.shutdown();
    }

    /** Nodes reachable from {@code bs} through child edges, {@code bs} first. */
    public static Set<BlockNode> subtree(BlockNode bs) {
        Set<BlockNode> out = new LinkedHashSet<>();
        collect(bs, out);
        return out;
    }

    private static void collect(BlockNode bs, Set<BlockNode> out) {
        if (out.add(bs)) {
            for (BdrvChild c : bs.childEdges()) {
                collect(c.node(), out);
            }
        }
    }
}

package dev.blockdeck.engine.block;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.blockdeck.engine.aio.AioContext;

/**
 * Moving a connected component to another AioContext, in QEMU 7.2's two phases. The check phase walks the
 * component from a node over every edge (parents and children), asking each parent whether it can follow and
 * draining each node it will move; if anything refuses, every drained section ends and nothing moved. The commit
 * phase detaches every node from the old context and attaches it to the new one (driver hooks: timers, caches),
 * moves the BlockBackends (and their devices' queue handlers), then ends the drained sections.
 */
public final class ContextChange {
    private final BlockGraph graph;
    private final AioContext target;
    private final Set<BdrvChild> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<BlockNode> nodes = new ArrayList<>();
    private final List<BlockBackend> backends = new ArrayList<>();
    private final List<Runnable> extraCommits = new ArrayList<>();
    private String error;

    ContextChange(BlockGraph graph, AioContext target) {
        this.graph = graph;
        this.target = target;
    }

    public AioContext target() {
        return target;
    }

    /** Marks an edge as already handled (QEMU's {@code ignore_child}: a device moving its own backend). */
    void ignore(BdrvChild c) {
        visited.add(c);
    }

    /** Check phase for a node: false (with {@link #error}) if some parent refuses. */
    boolean visitNode(BlockNode bs) {
        if (bs.aioContext() == target) {
            return true;
        }
        for (BdrvChild c : List.copyOf(bs.parentEdges())) {
            if (!visited.add(c)) {
                continue;
            }
            if (!c.parent().changeContext(c, target, this)) {
                return false;
            }
        }
        for (BdrvChild c : List.copyOf(bs.childEdges())) {
            if (!visited.add(c)) {
                continue;
            }
            if (!visitNode(c.node())) {
                return false;
            }
        }
        if (!nodes.contains(bs)) {
            graph.drainedBegin(bs);
            nodes.add(bs);
        }
        return true;
    }

    /** A BlockBackend parent agreed to follow. */
    void addBackend(BlockBackend blk) {
        if (!backends.contains(blk)) {
            backends.add(blk);
        }
    }

    /** Something else to switch in the commit phase (e.g. a block job's own context). */
    public void addCommit(Runnable r) {
        extraCommits.add(r);
    }

    /** Records the refusal; the first one wins. Always returns false, for {@code return change.refuse(..)}. */
    public boolean refuse(String message) {
        if (error == null) {
            error = message;
        }
        return false;
    }

    /** Whether {@code c} was already walked (for parents that recurse into their other edges, like jobs). */
    public boolean visit(BdrvChild c) {
        return visited.add(c);
    }

    /** Lets a parent (e.g. a block job) pull another node of its into the change. */
    public boolean visitNodeOf(BdrvChild c) {
        return visitNode(c.node());
    }

    String error() {
        return error;
    }

    /** Ends the drained sections without moving anything. */
    void abort() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            graph.drainedEnd(nodes.get(i));
        }
    }

    /** Moves everything collected, then ends the drained sections. */
    void commit() {
        for (BlockNode bs : nodes) {
            AioContext old = bs.aioContext();
            bs.driverState().detachAioContext(old);
            bs.setAioContext(target);
            bs.driverState().attachAioContext(target);
        }
        for (BlockBackend blk : backends) {
            blk.setAioContext(target);
        }
        extraCommits.forEach(Runnable::run);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            graph.drainedEnd(nodes.get(i));
        }
    }
}

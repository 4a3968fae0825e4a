package dev.blockdeck.engine.block;

import java.util.List;

import dev.blockdeck.engine.aio.AioContext;

/**
 * Attaching and detaching child edges (QEMU's bdrv_attach_child_common / bdrv_root_unref_child): the child
 * follows the parent's AioContext (or the parent the child's), a drained child drains its new parent, and the
 * permissions are refreshed, with everything undone when that fails. Main loop only.
 */
final class ChildAttachments {
    private final BlockGraph graph;

    ChildAttachments(BlockGraph graph) {
        this.graph = graph;
    }

    /**
     * QEMU's bdrv_attach_child: {@code parent --name--> child}, with the permissions the parent's driver derives.
     * The edge takes over the caller's reference to {@code child}; on failure that reference is dropped.
     */
    BdrvChild attachChild(BlockNode parent, BlockNode child, String name, int role) {
        if (BlockGraph.subtree(child).contains(parent)) {
            graph.unref(child);
            throw new BlockException("Making '" + child.name() + "' a " + name + " child of '" + parent.name()
                    + "' would create a cycle");
        }
        int[] out = new int[2];
        parent.driverState().childPerm(null, role, parent.cumulativePerm(), parent.cumulativeShared(), out);
        if (child.forceShare()) {
            out[1] = BlockPerm.ALL;
        }
        try {
            return attachCommon(parent, child, name, role, out[0], out[1]);
        } catch (BlockException e) {
            graph.unref(child);
            throw e;
        }
    }

    BdrvChild attachCommon(BlockParent parent, BlockNode child, String name, int role, int perm, int shared) {
        AioContext parentCtx = parent.aioContext();
        AioContext oldChildCtx = child.aioContext();
        if (oldChildCtx != parentCtx) {
            try {
                graph.changeContext(child, parentCtx, null);
            } catch (BlockException first) {
                BdrvChild probeEdge = new BdrvChild(name, role, parent, child, perm, shared);
                ContextChange ch = new ContextChange(graph, oldChildCtx);
                ch.ignore(probeEdge);
                if (parent.changeContext(probeEdge, oldChildCtx, ch)) {
                    ch.commit();
                } else {
                    ch.abort();
                    throw first;
                }
            }
        }
        BdrvChild c = new BdrvChild(name, role, parent, child, perm, shared);
        child.edges().addParent(c);
        if (parent instanceof BlockNode pn) {
            pn.edges().addChild(c);
        } else if (parent instanceof BlockBackend b) {
            b.setRootEdge(c);
        }
        for (int i = 0; i < child.quiesceCounter(); i++) {
            parent.childDrainedBegin(c);
        }
        try {
            graph.refreshPerms(List.of(child));
        } catch (BlockException e) {
            removeEdge(c);
            if (child.aioContext() != oldChildCtx) {
                try {
                    graph.changeContext(child, oldChildCtx, null);
                } catch (BlockException ignored) {
                    // best effort, as QEMU's abort path
                }
            }
            throw e;
        }
        if (ChildRole.has(role, ChildRole.COW) && parent instanceof BlockNode pn) {
            BackingBlockers.block(c, pn);
        }
        return c;
    }

    /** Unlinks an edge from both ends (the drained sections it passed on end, backing blockers go). */
    void removeEdge(BdrvChild c) {
        BlockNode child = c.node();
        BackingBlockers.unblock(c);
        for (int i = 0; i < child.quiesceCounter(); i++) {
            c.parent().childDrainedEnd(c);
        }
        child.edges().removeParent(c);
        if (c.parent() instanceof BlockNode pn) {
            pn.edges().removeChild(c);
        } else if (c.parent() instanceof BlockBackend b && b.rootEdge() == c) {
            b.setRootEdge(null);
        }
    }

    /**
     * QEMU's bdrv_root_unref_child: removes the edge (draining the child first), loosens the child's
     * permissions, moves it back to the main loop if nothing keeps it elsewhere, and drops the edge's reference.
     */
    void detachChild(BdrvChild c) {
        BlockNode child = c.node();
        graph.drainedBegin(child);
        removeEdge(c);
        graph.drainedEnd(child);
        try {
            graph.refreshPerms(List.of(child));
        } catch (BlockException ignored) {
            // only loosening: failures are not fatal
        }
        if (child.aioContext() != graph.mainContext()) {
            try {
                graph.changeContext(child, graph.mainContext(), null);
            } catch (BlockException ignored) {
                // another user keeps it where it is
            }
        }
        graph.unref(child);
    }
}

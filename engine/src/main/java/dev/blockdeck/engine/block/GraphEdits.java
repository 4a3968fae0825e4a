package dev.blockdeck.engine.block;

import java.util.ArrayList;
import java.util.List;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Driver;

/**
 * Graph changes that snapshots make, each with its exact undo: putting an overlay on top of a node (QEMU's
 * bdrv_append), the read-only reopen of the old active layer, and the one-shot drain of every node. Main loop.
 */
public final class GraphEdits {
    private final BlockGraph graph;

    public GraphEdits(BlockGraph graph) {
        this.graph = graph;
    }

    /** What {@link #append} did, for {@link #undoAppend}. */
    public static final class Appended {
        private final BlockNode overlay;
        private final BlockNode old;
        private final BdrvChild backingEdge;
        private final List<BdrvChild> moved;

        private Appended(BlockNode overlay, BlockNode old, BdrvChild backingEdge, List<BdrvChild> moved) {
            this.overlay = overlay;
            this.old = old;
            this.backingEdge = backingEdge;
            this.moved = moved;
        }
    }

    /**
     * Makes {@code old} the backing of {@code overlay} and moves every other parent of {@code old} (backends,
     * nodes) to {@code overlay}, then refreshes permissions; on failure nothing changed. Both nodes must be in
     * the same AioContext.
     */
    public Appended append(BlockNode overlay, BlockNode old) {
        graph.assertMainLoop();
        old.ref();
        BdrvChild backing = graph.attachChild(overlay, old, "backing", ChildRole.COW);
        List<BdrvChild> moved = new ArrayList<>();
        for (BdrvChild c : List.copyOf(old.parentEdges())) {
            if (c != backing) {
                moveEdge(c, old, overlay);
                moved.add(c);
            }
        }
        Appended a = new Appended(overlay, old, backing, moved);
        try {
            graph.refreshPerms(List.of(overlay, old));
        } catch (BlockException e) {
            undoAppend(a);
            throw e;
        }
        return a;
    }

    /** Puts the graph back as it was before {@link #append}. */
    public void undoAppend(Appended a) {
        graph.assertMainLoop();
        for (int i = a.moved.size() - 1; i >= 0; i--) {
            moveEdge(a.moved.get(i), a.overlay, a.old);
        }
        graph.removeEdgeKeepingContext(a.backingEdge);
        try {
            graph.refreshPerms(List.of(a.old, a.overlay));
        } catch (BlockException ignored) {
            // the permissions were valid before append; restoring them cannot conflict
        }
        graph.unref(a.old);
    }

    /**
     * Moves edge {@code c} from {@code from} to {@code to} (QEMU's bdrv_replace_child_noperm): the edge's reference
     * moves along; drained sections are handed over begin-first, so the parent never runs unquiesced in between.
     */
    private static void moveEdge(BdrvChild c, BlockNode from, BlockNode to) {
        for (int i = 0; i < to.quiesceCounter(); i++) {
            c.parent().childDrainedBegin(c);
        }
        for (int i = 0; i < from.quiesceCounter(); i++) {
            c.parent().childDrainedEnd(c);
        }
        from.edges().removeParent(c);
        c.setNode(to);
        to.edges().addParent(c);
        to.ref();
        from.unrefCount();
    }

    /**
     * Reopens {@code bs} read-only, with the children that inherit its read-only option (QEMU's
     * bdrv_reopen_set_read_only): format drivers write back and mark their image clean; permissions shrink.
     */
    public void reopenReadOnly(BlockNode bs) {
        graph.assertMainLoop();
        List<BlockNode> changed = new ArrayList<>();
        collectInheriting(bs, changed);
        for (BlockNode n : changed) {
            Qcow2Driver.reopenReadOnly(n);
            n.setOpenFlags(n.openFlags() & ~BlockNode.O_RDWR);
            n.options().put("read-only", com.fasterxml.jackson.databind.node.BooleanNode.TRUE);
        }
        try {
            graph.refreshPerms(List.of(bs));
        } catch (BlockException e) {
            System.err.println("Failed to make '" + bs.name() + "' read-only: " + e.getMessage());
        }
    }

    private static void collectInheriting(BlockNode bs, List<BlockNode> out) {
        if (bs.isReadOnly() || out.contains(bs)) {
            return;
        }
        out.add(bs);
        for (BdrvChild c : bs.childEdges()) {
            BlockNode child = c.node();
            if (!ChildRole.has(c.role(), ChildRole.COW) && child.inheritsFrom() == bs
                    && !child.explicitOptions().has("read-only")) {
                collectInheriting(child, out);
            }
        }
    }

    /** QEMU's bdrv_drain_all: waits once for every node's requests to finish (no section stays open). */
    public void drainAll() {
        graph.assertMainLoop();
        List<BlockNode> all = List.copyOf(graph.nodes());
        for (BlockNode n : all) {
            graph.quiesce(n);
        }
        try {
            graph.waitWhile(() -> all.stream().anyMatch(graph::busy));
        } finally {
            for (BlockNode n : all) {
                graph.unquiesce(n);
            }
        }
    }
}

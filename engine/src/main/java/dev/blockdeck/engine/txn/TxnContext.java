package dev.blockdeck.engine.txn;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.GraphEdits;
import dev.blockdeck.engine.block.ImageCreator;

/** What the actions of one QMP transaction share: the graph, its edits, the trace, the completion mode. */
public final class TxnContext {
    final BlockGraph graph;
    final GraphEdits edits;
    final ImageCreator images;
    final PhaseTrace trace;
    final boolean grouped;

    TxnContext(BlockGraph graph, ImageCreator images, PhaseTrace trace, boolean grouped) {
        this.graph = graph;
        this.edits = new GraphEdits(graph);
        this.images = images;
        this.trace = trace;
        this.grouped = grouped;
    }

    public BlockGraph graph() {
        return graph;
    }

    public boolean grouped() {
        return grouped;
    }

    /** QEMU's check for actions that cannot join a grouped completion. */
    public void rejectGrouped(String action) {
        if (grouped) {
            throw new BlockException("Action '" + action
                    + "' does not support Transaction property completion-mode = grouped");
        }
    }

    /** A drained section begun by action {@code index}, traced. */
    public void drainBegin(int index, BlockNode bs) {
        trace.drainBegin(index, bs.name());
        graph.drainedBegin(bs);
    }

    public void drainEnd(int index, BlockNode bs) {
        graph.drainedEnd(bs);
        trace.drainEnd(index, bs.name());
    }
}

package dev.blockdeck.engine.block;

import java.util.List;

/**
 * Drained sections (QEMU's bdrv_drained_begin/end): a node's quiesce counter, passed on to every parent edge so
 * that backends queue new requests and jobs pause, and the poll that waits until neither the node nor its
 * parents have requests in flight.
 */
final class DrainedSections {
    private final BlockGraph graph;

    DrainedSections(BlockGraph graph) {
        this.graph = graph;
    }

    /**
     * Begins a drained section on {@code bs} (main loop): its parents stop issuing requests (BlockBackends queue
     * them, jobs pause) and this returns once neither the node nor its parents have requests in flight. The main
     * loop keeps running main-context I/O while it waits and holds nothing an IOThread needs. Sections nest.
     */
    void drainedBegin(BlockNode bs) {
        quiesce(bs);
        graph.waitWhile(() -> busy(bs));
    }

    /** Ends a drained section; at the outermost end parents resume (queued requests restart in order). */
    void drainedEnd(BlockNode bs) {
        unquiesce(bs);
    }

    /** Drains a BlockBackend: waits until its requests (and its root's) are done (QEMU's blk_drain). */
    void drainBackend(BlockBackend blk) {
        BlockNode root = blk.root();
        if (root != null) {
            graph.drainedBegin(root);
            graph.drainedEnd(root);
        }
        graph.waitWhile(() -> blk.inFlight() > 0);
    }

    void quiesce(BlockNode bs) {
        bs.setQuiesceCounter(bs.quiesceCounter() + 1);
        for (BdrvChild c : List.copyOf(bs.parentEdges())) {
            c.parent().childDrainedBegin(c);
        }
    }

    void unquiesce(BlockNode bs) {
        if (bs.quiesceCounter() <= 0) {
            throw new IllegalStateException("drained section of " + bs + " ended twice");
        }
        bs.setQuiesceCounter(bs.quiesceCounter() - 1);
        for (BdrvChild c : List.copyOf(bs.parentEdges())) {
            c.parent().childDrainedEnd(c);
        }
    }

    boolean busy(BlockNode bs) {
        if (bs.inFlight() > 0) {
            return true;
        }
        for (BdrvChild c : bs.parentEdges()) {
            if (c.parent().childDrainedPoll(c)) {
                return true;
            }
        }
        return false;
    }
}

package dev.blockdeck.engine.block;

import dev.blockdeck.engine.aio.AioContext;

/**
 * Moving nodes and backends between AioContexts (QEMU's bdrv_try_change_aio_context and blk_set_aio_context):
 * a {@link ContextChange} visits the connected component, then commits or aborts as a whole.
 */
final class ContextMoves {
    private final BlockGraph graph;

    ContextMoves(BlockGraph graph) {
        this.graph = graph;
    }

    /**
     * Moves {@code bs} and everything connected to it to {@code ctx} (QEMU's bdrv_try_change_aio_context): check
     * phase with drains, then commit, or nothing moves and the refusal is thrown. {@code ignore} is an edge not to
     * walk (a device moving its own backend).
     */
    void changeContext(BlockNode bs, AioContext ctx, BdrvChild ignore) {
        ContextChange ch = new ContextChange(graph, ctx);
        if (ignore != null) {
            ch.ignore(ignore);
        }
        if (!ch.visitNode(bs)) {
            ch.abort();
            throw new BlockException(ch.error());
        }
        ch.commit();
    }

    /**
     * Moves a BlockBackend and its whole component to {@code ctx} on behalf of its device (QEMU's
     * blk_set_aio_context): the backend's own "active backend" check is skipped, every other parent is asked. The
     * device's {@link BlockDevice#contextChanged} runs in the commit phase while everything is drained.
     */
    void changeBackendContext(BlockBackend blk, AioContext ctx) {
        BdrvChild root = blk.rootEdge();
        if (root == null) {
            blk.setAioContext(ctx);
            return;
        }
        ContextChange ch = new ContextChange(graph, ctx);
        ch.ignore(root);
        if (blk.aioContext() != ctx) {
            ch.addBackend(blk);
        }
        if (!ch.visitNode(root.node())) {
            ch.abort();
            throw new BlockException(ch.error());
        }
        ch.commit();
    }

    /** Whether any node or BlockBackend runs in {@code ctx} (object-del of an iothread refuses then). */
    boolean usesContext(AioContext ctx) {
        for (BlockNode n : graph.namedNodes()) {
            if (n.aioContext() == ctx) {
                return true;
            }
        }
        for (BlockBackend b : graph.backendList()) {
            if (b.aioContext() == ctx) {
                return true;
            }
        }
        return false;
    }
}

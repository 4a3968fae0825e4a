package dev.blockdeck.engine.block;

import dev.blockdeck.engine.aio.AioWait;
import dev.blockdeck.engine.aio.MainContext;

/**
 * The block graph: every node, BlockBackend and the edges between them. Changed only from the main
 * loop. (Skeleton: the block-graph work fills this in.)
 */
public final class BlockGraph {
    private final MainContext main;
    private final AioWait aioWait;

    public BlockGraph(MainContext main, AioWait aioWait) {
        this.main = main;
        this.aioWait = aioWait;
    }

    public MainContext main() {
        return main;
    }

    public AioWait aioWait() {
        return aioWait;
    }

    /** Whether any node, backend, device or job runs in {@code ctx} (object-del refuses then). */
    public boolean usesContext(dev.blockdeck.engine.aio.AioContext ctx) {
        return false; // the block-graph work answers this for real
    }

    /** Closes every node (engine shutdown): flushes and releases files. */
    public void closeAll() {
    }
}

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

    /** Closes every node (engine shutdown): flushes and releases files. */
    public void closeAll() {
    }
}

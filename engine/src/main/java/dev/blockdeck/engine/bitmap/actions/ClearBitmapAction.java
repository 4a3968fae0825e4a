package dev.blockdeck.engine.bitmap.actions;

import dev.blockdeck.engine.bitmap.BitmapArgs;
import dev.blockdeck.engine.bitmap.BitmapOperations;
import dev.blockdeck.engine.block.BlockGraph;

/** block-dirty-bitmap-clear: prepare clears and keeps the old bits; commit drops them, abort puts them back. */
final class ClearBitmapAction extends BitmapAction {
    private final BitmapArgs.Named args;
    private BitmapOperations.Cleared cleared;

    ClearBitmapAction(BlockGraph graph, String completionMode, BitmapArgs.Named args) {
        super(graph, "block-dirty-bitmap-clear", completionMode);
        this.args = args;
    }

    @Override
    protected void doPrepare() {
        cleared = BitmapOperations.clear(graph, args.node(), args.name(), true);
    }

    @Override
    public void commit() {
        cleared = null;
    }

    @Override
    public void abort() {
        if (cleared != null && cleared.backup() != null) {
            cleared.bitmap().restore(cleared.backup());
        }
    }
}

package dev.blockdeck.engine.bitmap.actions;

import dev.blockdeck.engine.bitmap.BitmapArgs;
import dev.blockdeck.engine.bitmap.BitmapOperations;
import dev.blockdeck.engine.block.BlockGraph;

/**
 * block-dirty-bitmap-merge: prepare merges into the target keeping its old bits (a failed prepare already left
 * the target unchanged); commit drops the backup, abort restores the target.
 */
final class MergeBitmapAction extends BitmapAction {
    private final BitmapArgs.Merge args;
    private BitmapOperations.Cleared merged;

    MergeBitmapAction(BlockGraph graph, String completionMode, BitmapArgs.Merge args) {
        super(graph, "block-dirty-bitmap-merge", completionMode);
        this.args = args;
    }

    @Override
    protected void doPrepare() {
        merged = BitmapOperations.merge(graph, args.node(), args.target(), args.bitmaps(), true);
    }

    @Override
    public void commit() {
        merged = null;
    }

    @Override
    public void abort() {
        if (merged != null && merged.backup() != null) {
            merged.bitmap().restore(merged.backup());
        }
    }
}

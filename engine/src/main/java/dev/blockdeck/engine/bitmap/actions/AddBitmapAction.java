package dev.blockdeck.engine.bitmap.actions;

import dev.blockdeck.engine.bitmap.BitmapArgs;
import dev.blockdeck.engine.bitmap.BitmapOperations;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;

/** block-dirty-bitmap-add: prepare adds the bitmap as the command does; abort removes it again. */
final class AddBitmapAction extends BitmapAction {
    private final BitmapArgs.Add args;
    private boolean added;

    AddBitmapAction(BlockGraph graph, String completionMode, BitmapArgs.Add args) {
        super(graph, "block-dirty-bitmap-add", completionMode);
        this.args = args;
    }

    @Override
    protected void doPrepare() {
        BitmapOperations.add(graph, args.node(), args.name(), args.granularity(), args.persistent(),
                args.disabled());
        added = true;
    }

    @Override
    public void abort() {
        if (added) {
            try {
                BitmapOperations.remove(graph, args.node(), args.name(), true);
            } catch (BlockException e) {
                // the node and the bitmap were valid in prepare and later actions were undone first, so this
                // does not happen (QEMU asserts it); abort must not fail either way
                System.err.println("block-dirty-bitmap-add: undo failed: " + e.getMessage());
            }
        }
    }
}

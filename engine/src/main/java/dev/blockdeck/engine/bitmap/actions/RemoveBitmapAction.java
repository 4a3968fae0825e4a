package dev.blockdeck.engine.bitmap.actions;

import dev.blockdeck.engine.bitmap.BitmapArgs;
import dev.blockdeck.engine.bitmap.BitmapOperations;
import dev.blockdeck.engine.bitmap.DirtyBitmap;
import dev.blockdeck.engine.block.BlockGraph;

/**
 * block-dirty-bitmap-remove: prepare detaches the bitmap from the image (a persistent one leaves the file right
 * away, as in QEMU) and marks it busy and not to be stored; commit releases it, abort makes it usable again.
 */
final class RemoveBitmapAction extends BitmapAction {
    private final BitmapArgs.Named args;
    private BitmapOperations.Found found;

    RemoveBitmapAction(BlockGraph graph, String completionMode, BitmapArgs.Named args) {
        super(graph, "block-dirty-bitmap-remove", completionMode);
        this.args = args;
    }

    @Override
    protected void doPrepare() {
        found = BitmapOperations.remove(graph, args.node(), args.name(), false);
        DirtyBitmap bm = found.bitmap();
        bm.setSkipStore(true);
        bm.setBusy(true);
    }

    @Override
    public void commit() {
        DirtyBitmap bm = found.bitmap();
        bm.setBusy(false);
        found.node().dirtyBitmaps().release(bm);
    }

    @Override
    public void abort() {
        if (found != null) {
            found.bitmap().setSkipStore(false);
            found.bitmap().setBusy(false);
        }
    }
}

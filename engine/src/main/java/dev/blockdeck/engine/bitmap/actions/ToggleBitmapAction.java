package dev.blockdeck.engine.bitmap.actions;

import dev.blockdeck.engine.bitmap.BitmapArgs;
import dev.blockdeck.engine.bitmap.BitmapOperations;
import dev.blockdeck.engine.bitmap.DirtyBitmap;
import dev.blockdeck.engine.block.BlockGraph;

/**
 * block-dirty-bitmap-enable and -disable: prepare remembers the state and switches; abort switches back.
 *
 * <p>QEMU 7.2's abort looks only at the remembered state, which stays "was disabled" when prepare failed after
 * finding the bitmap (e.g. it is busy): aborting a failed enable then <em>disables</em> the bitmap. That is
 * observable, so it is kept. When prepare did not even find the bitmap QEMU crashes; here abort does nothing.
 */
final class ToggleBitmapAction extends BitmapAction {
    private final BitmapArgs.Named args;
    private final boolean enable;
    private DirtyBitmap bitmap;
    private boolean wasEnabled;

    ToggleBitmapAction(BlockGraph graph, String completionMode, BitmapArgs.Named args, boolean enable) {
        super(graph, enable ? "block-dirty-bitmap-enable" : "block-dirty-bitmap-disable", completionMode);
        this.args = args;
        this.enable = enable;
    }

    @Override
    protected void doPrepare() {
        bitmap = BitmapOperations.lookup(graph, args.node(), args.name()).bitmap();
        bitmap.check(DirtyBitmap.ALLOW_RO);
        wasEnabled = bitmap.enabled();
        bitmap.setEnabled(enable);
    }

    @Override
    public void abort() {
        if (bitmap == null) {
            return;
        }
        if (enable && !wasEnabled) {
            bitmap.setEnabled(false);
        } else if (!enable && wasEnabled) {
            bitmap.setEnabled(true);
        }
    }
}

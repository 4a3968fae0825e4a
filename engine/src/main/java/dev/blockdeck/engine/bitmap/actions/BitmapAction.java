package dev.blockdeck.engine.bitmap.actions;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.txn.TransactionAction;

/**
 * A bitmap action of QMP {@code transaction}. None of them supports {@code completion-mode: grouped}: their
 * prepare refuses it first, as QEMU's action_check_completion_mode does.
 */
abstract class BitmapAction implements TransactionAction {
    protected final BlockGraph graph;
    private final String type;
    private final String completionMode;

    BitmapAction(BlockGraph graph, String type, String completionMode) {
        this.graph = graph;
        this.type = type;
        this.completionMode = completionMode;
    }

    @Override
    public final void prepare() {
        if (!"individual".equals(completionMode)) {
            throw new BlockException("Action '" + type + "' does not support Transaction property completion-mode = "
                    + completionMode);
        }
        doPrepare();
    }

    /** The action's own prepare, after the completion mode was accepted. */
    protected abstract void doPrepare();

    @Override
    public String toString() {
        return type;
    }
}

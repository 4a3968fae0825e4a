package dev.blockdeck.engine.txn;

import dev.blockdeck.engine.block.BlockException;

/** The {@code abort} action: its prepare always fails, so the actions before it roll back (a test aid). */
final class AbortAction implements dev.blockdeck.engine.txn.TransactionAction {
    @Override
    public void prepare() {
        throw new BlockException("Transaction aborted using Abort action");
    }
}

package dev.blockdeck.app.move;

import dev.blockdeck.app.model.QmpCommands;

import java.util.concurrent.CompletableFuture;

/**
 * A change the console makes to the VM and can take back (Edit › Undo): a drive moved to another AioContext, an
 * IOThread created or deleted. Immutable; one history ({@link EditHistory}) holds all kinds.
 */
public interface UndoableCommand {

    /** {@code move drive0 (vblk0) to iothread1}, {@code create IOThread io1}: the Edit menu says "Undo …". */
    String describe();

    /** How its undo is said while it runs: {@code moving drive0 (vblk0) back to iothread0}. */
    String undoing();

    /** The command that takes this one back. */
    UndoableCommand inverse();

    /**
     * Sends it. Completes with the command as it was done, which may know more than this one (a deleted IOThread's
     * poll parameters, read just before): that is what the history keeps, so that an undo restores exactly.
     */
    CompletableFuture<UndoableCommand> perform(QmpCommands qmp);
}

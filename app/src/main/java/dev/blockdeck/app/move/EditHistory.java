package dev.blockdeck.app.move;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Undo and redo of the console's changes (moves, IOThreads created or deleted), in one history. A command is
 * recorded once the VM accepted it; undo runs its inverse and redo runs it again, and each is taken off its stack
 * only when the VM accepted that too, so a refused undo can be retried. Not thread-safe: the ViewModel uses it on
 * the FX thread.
 */
public final class EditHistory {

    private final Deque<UndoableCommand> undo = new ArrayDeque<>();
    private final Deque<UndoableCommand> redo = new ArrayDeque<>();

    /** A new change was made: what was undone can no longer be redone. */
    public void done(UndoableCommand command) {
        undo.push(command);
        redo.clear();
    }

    /** The change an undo would take back. */
    public Optional<UndoableCommand> nextUndo() {
        return Optional.ofNullable(undo.peek());
    }

    /** The change a redo would make again. */
    public Optional<UndoableCommand> nextRedo() {
        return Optional.ofNullable(redo.peek());
    }

    /** {@code command}'s inverse was accepted; a redo will send {@code redoAs} (the command as it now stands). */
    public void undone(UndoableCommand command, UndoableCommand redoAs) {
        if (undo.peek() == command) {
            undo.pop();
            redo.push(redoAs);
        }
    }

    /** {@code command} was accepted again, done as {@code undoAs}. */
    public void redone(UndoableCommand command, UndoableCommand undoAs) {
        if (redo.peek() == command) {
            redo.pop();
            undo.push(undoAs);
        }
    }

    public void clear() {
        undo.clear();
        redo.clear();
    }
}

package dev.blockdeck.app.move;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Undo and redo of moves. A command is recorded once the VM accepted it; undo runs its inverse and redo runs it
 * again, and each is taken off its stack only when the VM accepted that too, so a refused undo can be retried.
 * Not thread-safe: the ViewModel uses it on the FX thread.
 */
public final class MoveHistory {

    private final Deque<MoveDriveCommand> undo = new ArrayDeque<>();
    private final Deque<MoveDriveCommand> redo = new ArrayDeque<>();

    /** A new move was made: what was undone can no longer be redone. */
    public void done(MoveDriveCommand command) {
        undo.push(command);
        redo.clear();
    }

    /** The move an undo would reverse. */
    public Optional<MoveDriveCommand> nextUndo() {
        return Optional.ofNullable(undo.peek());
    }

    /** The move a redo would make again. */
    public Optional<MoveDriveCommand> nextRedo() {
        return Optional.ofNullable(redo.peek());
    }

    /** {@code command}'s inverse was accepted. */
    public void undone(MoveDriveCommand command) {
        if (undo.peek() == command) {
            redo.push(undo.pop());
        }
    }

    /** {@code command} was accepted again. */
    public void redone(MoveDriveCommand command) {
        if (redo.peek() == command) {
            undo.push(redo.pop());
        }
    }

    public void clear() {
        undo.clear();
        redo.clear();
    }
}

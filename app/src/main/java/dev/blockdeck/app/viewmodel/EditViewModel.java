package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.move.Capabilities;
import dev.blockdeck.app.move.EditHistory;
import dev.blockdeck.app.move.UndoableCommand;
import dev.blockdeck.app.session.Session;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Edit menu: one undo/redo history for every change the console makes to the VM (drive moves, IOThreads
 * created and deleted), and the one-at-a-time rule for them. Sends the commands; what an answer means is told by
 * the {@link Outcome} registered for the command's kind ({@link MoveViewModel}, {@link IothreadViewModel}).
 *
 * <p>Threading: public methods and properties on the FX thread ({@code fx}).
 */
public final class EditViewModel implements SessionPart {

    /** Why a command is sent. */
    public enum Step { NEW, UNDO, REDO }

    /** What the VM's answer to one kind of command means to the user. Called on the FX thread. */
    public interface Outcome {

        /** Where notices about {@code command} go before it runs (a card, a lane), or null. */
        String anchor(UndoableCommand command);

        /** What to confirm before {@code command} is sent by an undo or redo; empty for nothing. */
        default String warning(UndoableCommand command) {
            return "";
        }

        /**
         * The VM accepted; the history already has it. Call {@code finished} once the outcome is told (after the
         * graph was read again): the next change waits until then.
         */
        void accepted(UndoableCommand done, Step step, Runnable finished);

        /** The VM refused ({@code error} unwrapped); the next change may start. */
        void refused(UndoableCommand sent, Step step, Throwable error);
    }

    private final NoticeBoard notices;
    private final Executor fx;
    private final EditHistory history = new EditHistory();
    private final Map<Class<? extends UndoableCommand>, Outcome> outcomes = new LinkedHashMap<>();

    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final BooleanProperty canUndo = new SimpleBooleanProperty();
    private final BooleanProperty canRedo = new SimpleBooleanProperty();
    private final StringProperty undoText = new SimpleStringProperty("Undo");
    private final StringProperty redoText = new SimpleStringProperty("Redo");

    private Session session;
    /** What the VM can change (read once per session, for every kind of edit). */
    private CompletableFuture<Capabilities> capabilities = CompletableFuture.completedFuture(Capabilities.UNKNOWN);

    public EditViewModel(NoticeBoard notices, Executor fx) {
        this.notices = notices;
        this.fx = fx;
    }

    /** Commands of {@code type} (and its subtypes) are told by {@code outcome}. */
    public void handle(Class<? extends UndoableCommand> type, Outcome outcome) {
        outcomes.put(type, outcome);
    }

    @Override
    public void attach(Session s) {
        fx.execute(() -> {
            session = s;
            capabilities = Capabilities.read(s::execute);
            history.clear();
            busy.set(false);
            updateHistory();
        });
    }

    /** What the attached VM can change; UNKNOWN until read (or when not attached). FX thread. */
    public CompletableFuture<Capabilities> capabilities() {
        return capabilities;
    }

    @Override
    public void detach(String why) {
        session = null;
        capabilities = CompletableFuture.completedFuture(Capabilities.UNKNOWN);
        history.clear();
        busy.set(false);
        updateHistory();
    }

    /**
     * Reserves the VM for a new change. False when not connected, or while another change runs (then a notice
     * at {@code anchor} says so); true obliges the caller to {@link #run} or {@link #end}.
     */
    public boolean begin(String anchor) {
        if (session == null) {
            return false;
        }
        if (busy.get()) {
            notices.post(Notice.Kind.INFO, "Another change is still running; try again when it is done.", anchor);
            return false;
        }
        busy.set(true);
        return true;
    }

    /** A change begun turned out to need no command. */
    public void end() {
        busy.set(false);
    }

    /** Sends a change begun with {@link #begin}; recorded in the history once the VM accepts it. */
    public void run(UndoableCommand command) {
        if (session == null) {
            busy.set(false);
            return;
        }
        send(session, command, Step.NEW, command);
    }

    /** Takes back the last change (Edit › Undo). */
    public void undo() {
        Optional<UndoableCommand> last = history.nextUndo();
        if (session == null || busy.get() || last.isEmpty()) {
            return;
        }
        UndoableCommand back = last.get().inverse();
        busy.set(true);
        notices.post(Notice.Kind.PROGRESS, "Undoing: " + last.get().undoing() + "…", outcome(back).anchor(back));
        send(session, back, Step.UNDO, last.get());
    }

    /** Makes the last undone change again (Edit › Redo). */
    public void redo() {
        Optional<UndoableCommand> next = history.nextRedo();
        if (session == null || busy.get() || next.isEmpty()) {
            return;
        }
        busy.set(true);
        notices.post(Notice.Kind.PROGRESS, "Redoing: " + next.get().describe() + "…",
                outcome(next.get()).anchor(next.get()));
        send(session, next.get(), Step.REDO, next.get());
    }

    /** What to confirm before an undo (e.g. deleting an IOThread on a QEMU that would abort); empty for none. */
    public String undoWarning() {
        return history.nextUndo().map(UndoableCommand::inverse).map(c -> outcome(c).warning(c)).orElse("");
    }

    /** What to confirm before a redo; empty for none. */
    public String redoWarning() {
        return history.nextRedo().map(c -> outcome(c).warning(c)).orElse("");
    }

    private void send(Session s, UndoableCommand command, Step step, UndoableCommand recorded) {
        Outcome outcome = outcome(command);
        CompletableFuture<UndoableCommand> sent;
        try {
            sent = command.perform(s::execute);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((done, error) -> fx.execute(() -> {
            if (s != session) {
                return;
            }
            if (error != null) {
                busy.set(false);
                outcome.refused(command, step, MoveViewModel.unwrap(error));
                return;
            }
            switch (step) {
                case NEW -> history.done(done);
                case UNDO -> history.undone(recorded, done.inverse());
                case REDO -> history.redone(recorded, done);
            }
            updateHistory();
            outcome.accepted(done, step, () -> {
                if (s == session) {
                    busy.set(false);
                }
            });
        }));
    }

    private Outcome outcome(UndoableCommand command) {
        for (Map.Entry<Class<? extends UndoableCommand>, Outcome> e : outcomes.entrySet()) {
            if (e.getKey().isInstance(command)) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("no outcome for " + command.getClass().getName());
    }

    private void updateHistory() {
        Optional<UndoableCommand> u = history.nextUndo();
        Optional<UndoableCommand> r = history.nextRedo();
        canUndo.set(u.isPresent());
        canRedo.set(r.isPresent());
        undoText.set(u.map(c -> "Undo " + c.describe()).orElse("Undo"));
        redoText.set(r.map(c -> "Redo " + c.describe()).orElse("Redo"));
    }

    /** A change is being sent, or its outcome told. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo;
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo;
    }

    /** {@code Undo move drive0 (vblk0) to iothread1}, {@code Undo create IOThread io1}, or {@code Undo}. */
    public ReadOnlyStringProperty undoTextProperty() {
        return undoText;
    }

    public ReadOnlyStringProperty redoTextProperty() {
        return redoText;
    }
}

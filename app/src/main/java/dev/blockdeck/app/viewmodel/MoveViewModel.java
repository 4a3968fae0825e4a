package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.move.Capabilities;
import dev.blockdeck.app.move.DeviceFacts;
import dev.blockdeck.app.move.Drive;
import dev.blockdeck.app.move.MoveDriveCommand;
import dev.blockdeck.app.move.MoveDriveCommand.DeviceMove;
import dev.blockdeck.app.move.MoveDriveCommand.NodeMove;
import dev.blockdeck.app.move.MoveHistory;
import dev.blockdeck.app.move.MovePlanner;
import dev.blockdeck.app.move.ReplugPlan;
import dev.blockdeck.app.move.ScsiTopology;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.qmp.QmpCommandException;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Moves of drives between AioContexts, dropped on a lane of the graph: turns a drop into a
 * {@link MoveDriveCommand} ({@link MovePlanner}), runs it through the session, keeps undo and redo, and when a
 * QEMU cannot move a device's drive, offers a {@link ReplugPlan} instead. Every outcome is a {@link Notice}.
 *
 * <p>Threading: public methods and properties on the FX thread ({@code fx}); one move at a time.
 */
public final class MoveViewModel implements SessionPart {

    private enum Step { NEW, UNDO, REDO }

    private final GraphViewModel graph;
    private final NoticeBoard notices;
    private final Executor fx;
    private final MoveHistory history = new MoveHistory();

    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final BooleanProperty canUndo = new SimpleBooleanProperty();
    private final BooleanProperty canRedo = new SimpleBooleanProperty();
    private final StringProperty undoText = new SimpleStringProperty("Undo");
    private final StringProperty redoText = new SimpleStringProperty("Redo");
    private final ObjectProperty<ReplugPlan> plan = new SimpleObjectProperty<>();

    private Session session;
    private CompletableFuture<Capabilities> capabilities = CompletableFuture.completedFuture(Capabilities.UNKNOWN);

    public MoveViewModel(GraphViewModel graph, NoticeBoard notices, Executor fx) {
        this.graph = graph;
        this.notices = notices;
        this.fx = fx;
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

    @Override
    public void detach(String why) {
        session = null;
        history.clear();
        busy.set(false);
        plan.set(null);
        updateHistory();
    }

    /** Whether the card of {@code key} moves a drive when dragged (a BlockBackend or the top node of a chain). */
    public boolean canDrag(String key) {
        BlockState state = shownState();
        return state.node(key).map(n -> Drive.draggable(state, n)).orElse(false);
    }

    /**
     * The card {@code key} was dropped on the lane of {@code target} (an iothread id, null for the main loop).
     * The same lane does nothing.
     */
    public void drop(String key, String target) {
        if (session == null) {
            return;
        }
        Optional<Drive> found = Drive.of(shownState(), key);
        if (found.isEmpty()) {
            notices.post(Notice.Kind.INFO, "Only a drive moves: drag its BlockBackend or the top node of its chain.",
                    key);
            return;
        }
        Drive drive = found.get();
        if (Objects.equals(drive.lane(), target)) {
            return;
        }
        if (busy.get()) {
            notices.post(Notice.Kind.INFO, "Another move is still running; try again when it is done.", key);
            return;
        }
        busy.set(true);
        notices.post(Notice.Kind.PROGRESS, "Moving " + drive.label() + " to " + MoveDriveCommand.laneName(target)
                + "…", key);
        Session s = session;
        capabilities.thenAccept(caps -> fx.execute(() -> {
            if (s != session) {
                return;
            }
            MovePlanner.Decision d = MovePlanner.plan(drive, target, caps);
            if (d.command() == null) {
                busy.set(false);
                notices.post(Notice.Kind.INFO, d.reason(), key);
                return;
            }
            run(s, d.command(), Step.NEW, d.command(), d.replugOnRefusal() ? drive : null);
        }));
    }

    /** Moves the last moved drive back (Edit › Undo). */
    public void undo() {
        Optional<MoveDriveCommand> last = history.nextUndo();
        if (session == null || busy.get() || last.isEmpty()) {
            return;
        }
        MoveDriveCommand back = last.get().inverse();
        busy.set(true);
        notices.post(Notice.Kind.PROGRESS, "Undoing: moving " + back.label() + " back to "
                + MoveDriveCommand.laneName(back.to()) + "…", back.vertexKey());
        run(session, back, Step.UNDO, last.get(), null);
    }

    /** Makes the last undone move again (Edit › Redo). */
    public void redo() {
        Optional<MoveDriveCommand> next = history.nextRedo();
        if (session == null || busy.get() || next.isEmpty()) {
            return;
        }
        busy.set(true);
        notices.post(Notice.Kind.PROGRESS, "Redoing: " + next.get().describe() + "…", next.get().vertexKey());
        run(session, next.get(), Step.REDO, next.get(), null);
    }

    /** The plan was read (or put aside). */
    public void dismissPlan() {
        plan.set(null);
    }

    private void run(Session s, MoveDriveCommand command, Step step, MoveDriveCommand recorded, Drive replug) {
        CompletableFuture<?> sent;
        try {
            sent = command.execute(s::execute);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> fx.execute(() -> {
            if (s != session) {
                return;
            }
            if (error == null) {
                accepted(command, step, recorded);
            } else {
                refused(s, command, step, replug, unwrap(error));
            }
        }));
    }

    private void accepted(MoveDriveCommand command, Step step, MoveDriveCommand recorded) {
        if (command instanceof NodeMove n) {
            // a QEMU does not report it: remember it, or the next read draws the drive back where it was
            graph.noteMove(n.node(), n.to(), n.component());
        }
        switch (step) {
            case NEW -> history.done(recorded);
            case UNDO -> history.undone(recorded);
            case REDO -> history.redone(recorded);
        }
        updateHistory();
        Session s = session;
        // x-blockdev-set-iothread sends no event: read again, then say where the drive is now
        graph.reread().whenComplete((state, error) -> fx.execute(() -> {
            if (s != session) {
                return;
            }
            busy.set(false);
            confirm(command, step, state == null ? graph.stateProperty().get() : state);
        }));
    }

    private void confirm(MoveDriveCommand command, Step step, BlockState state) {
        String done = switch (step) {
            case NEW -> command.describeDone();
            case UNDO -> "Undone: " + command.label() + " is back in " + MoveDriveCommand.laneName(command.to());
            case REDO -> "Redone: " + command.describe();
        };
        Optional<GraphNode> n = state.node(command.vertexKey());
        if (n.isEmpty()) {
            notices.post(Notice.Kind.INFO, done + ". The VM accepted; " + command.label()
                    + " is no longer in the graph.", null);
            return;
        }
        String now = n.get().placement().iothread();
        if (Objects.equals(now, command.to())) {
            notices.post(Notice.Kind.SUCCESS, done + (n.get().placement().assumed()
                    ? " (accepted; this VM does not report contexts, so it is drawn where this console put it)."
                    : "."), command.vertexKey());
            return;
        }
        String hint = command instanceof DeviceMove
                ? " A device's drive runs in the device's iothread only while the VM runs." : "";
        notices.post(Notice.Kind.INFO, "The VM accepted (" + command.describe() + "), but " + command.label()
                + " is reported in " + n.get().placement().explanation() + "." + hint, command.vertexKey());
    }

    private void refused(Session s, MoveDriveCommand command, Step step, Drive replug, Throwable error) {
        busy.set(false);
        String why = describe(error);
        if (replug != null && refusesBackend(error)) {
            notices.post(Notice.Kind.INFO, "QEMU cannot move " + command.label() + " live (see the re-plug plan): "
                    + why, command.vertexKey());
            String refusal = ((QmpCommandException) error).getDesc();
            var drive = replug.backend() == null ? null : graph.stateProperty().get().detail(replug.backend().key())
                    .orElse(null);
            // a SCSI disk runs in its controller's iothread: its plan needs the VM's controllers too
            DeviceFacts.read(s::execute, replug.device()).thenCompose(facts -> DeviceFacts.isScsi(facts.type())
                    ? ScsiTopology.read(s::execute).thenApply(scsi -> ReplugPlan.of(replug, command.to(), refusal,
                            facts, drive, scsi))
                    : CompletableFuture.completedFuture(ReplugPlan.of(replug, command.to(), refusal, facts, drive)))
                    .thenAccept(p -> fx.execute(() -> {
                        if (s == session) {
                            plan.set(p);
                        }
                    }));
            return;
        }
        String what = switch (step) {
            case NEW -> "Could not " + command.describe();
            case UNDO -> "Undo failed (" + command.describe() + ")";
            case REDO -> "Redo failed (" + command.describe() + ")";
        };
        notices.post(Notice.Kind.ERROR, what + ": " + why, command.vertexKey());
        graph.refresh();
    }

    /**
     * QEMU's refusals to move a node a BlockBackend holds: "Node N is associated with a BlockBackend and could be
     * in use (use force=true ...)", or with force "Cannot change iothread of active block backend". Any other
     * error (no such iothread, ...) is not solved by a re-plug.
     */
    private static boolean refusesBackend(Throwable error) {
        if (!(error instanceof QmpCommandException q) || !"GenericError".equals(q.getErrorClass())) {
            return false;
        }
        return q.getDesc().contains("is associated with a BlockBackend") || q.getDesc().contains("active block backend");
    }

    private void updateHistory() {
        Optional<MoveDriveCommand> u = history.nextUndo();
        Optional<MoveDriveCommand> r = history.nextRedo();
        canUndo.set(u.isPresent());
        canRedo.set(r.isPresent());
        undoText.set(u.map(c -> "Undo " + c.describe()).orElse("Undo"));
        redoText.set(r.map(c -> "Redo " + c.describe()).orElse("Redo"));
    }

    /** What the user sees: the drawn layout's state (it may lag the newest read while laying out). */
    private BlockState shownState() {
        GraphLayout layout = graph.layoutProperty().get();
        return layout != null ? layout.state() : graph.stateProperty().get();
    }

    /** The VM's own words for a refusal, with the class when it is not the usual GenericError. */
    static String describe(Throwable error) {
        if (error instanceof QmpCommandException q) {
            return "GenericError".equals(q.getErrorClass()) ? q.getDesc() : q.getErrorClass() + ": " + q.getDesc();
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo;
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo;
    }

    /** {@code Undo move drive0 (vblk0) to iothread1}, or {@code Undo}. */
    public ReadOnlyStringProperty undoTextProperty() {
        return undoText;
    }

    public ReadOnlyStringProperty redoTextProperty() {
        return redoText;
    }

    /** A re-plug plan to show, or null. */
    public ReadOnlyObjectProperty<ReplugPlan> planProperty() {
        return plan;
    }
}

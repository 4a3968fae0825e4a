package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.move.DeviceFacts;
import dev.blockdeck.app.move.Drive;
import dev.blockdeck.app.move.MoveDriveCommand;
import dev.blockdeck.app.move.MoveDriveCommand.DeviceMove;
import dev.blockdeck.app.move.MoveDriveCommand.NodeMove;
import dev.blockdeck.app.move.MoveChoices;
import dev.blockdeck.app.move.MovePlanner;
import dev.blockdeck.app.move.ReplugPlan;
import dev.blockdeck.app.move.ScsiTopology;
import dev.blockdeck.app.move.UndoableCommand;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.qmp.QmpCommandException;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Moves of drives between AioContexts, dropped on a lane of the graph or chosen from a menu: turns a drop into a
 * {@link MoveDriveCommand} ({@link MovePlanner}) and runs it through the {@link EditViewModel} (which keeps undo and
 * redo), tells where the drive ended up, and when a QEMU cannot move a device's drive, offers a {@link ReplugPlan}
 * instead. Every outcome is a {@link Notice}.
 *
 * <p>Threading: public methods and properties on the FX thread ({@code fx}); one change at a time.
 */
public final class MoveViewModel implements SessionPart, EditViewModel.Outcome {

    private final GraphViewModel graph;
    private final EditViewModel edits;
    private final NoticeBoard notices;
    private final Executor fx;

    private final ObjectProperty<ReplugPlan> plan = new SimpleObjectProperty<>();

    private Session session;
    /** The move whose refusal leads to a re-plug plan, and its drive (a device's drive, sent to a QEMU). */
    private MoveDriveCommand replugCommand;
    private Drive replugDrive;

    public MoveViewModel(GraphViewModel graph, EditViewModel edits, NoticeBoard notices, Executor fx) {
        this.graph = graph;
        this.edits = edits;
        this.notices = notices;
        this.fx = fx;
        edits.handle(MoveDriveCommand.class, this);
    }

    @Override
    public void attach(Session s) {
        fx.execute(() -> session = s);
    }

    @Override
    public void detach(String why) {
        session = null;
        plan.set(null);
    }

    /** Whether the card of {@code key} moves a drive when dragged (a BlockBackend or the top node of a chain). */
    public boolean canDrag(String key) {
        BlockState state = shownState();
        return state.node(key).map(n -> Drive.draggable(state, n)).orElse(false);
    }

    /**
     * Where the drive behind the card {@code key} can be moved from a menu or the keyboard: every lane, its own
     * marked. Empty when the card moves no drive, or when not connected.
     */
    public Optional<MoveChoices> choices(String key) {
        return session == null ? Optional.empty() : MoveChoices.of(shownState(), key);
    }

    /** Says (a notice) why the selection {@code key} gives nothing to move: nothing selected, or not a drive. */
    public void explainNoChoice(String key) {
        if (session == null) {
            return;
        }
        notices.post(Notice.Kind.INFO, key == null || key.startsWith("iothread:")
                ? "Select a drive first (its BlockBackend or the top node of its chain), then choose its IOThread."
                : "Only a drive moves: select its BlockBackend or the top node of its chain.", key);
    }

    /**
     * The card {@code key} was dropped on the lane of {@code target} (an iothread id, null for the main loop), or
     * that lane was chosen from a menu. The same lane does nothing.
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
        if (Objects.equals(drive.lane(), target) || !edits.begin(key)) {
            return;
        }
        notices.post(Notice.Kind.PROGRESS, "Moving " + drive.label() + " to " + MoveDriveCommand.laneName(target)
                + "…", key);
        Session s = session;
        edits.capabilities().thenAccept(caps -> fx.execute(() -> {
            if (s != session) {
                edits.end();
                return;
            }
            MovePlanner.Decision d = MovePlanner.plan(drive, target, caps);
            if (d.command() == null) {
                edits.end();
                notices.post(Notice.Kind.INFO, d.reason(), key);
                return;
            }
            replugCommand = d.replugOnRefusal() ? d.command() : null;
            replugDrive = d.replugOnRefusal() ? drive : null;
            edits.run(d.command());
        }));
    }

    /** The plan was read (or put aside). */
    public void dismissPlan() {
        plan.set(null);
    }

    @Override
    public String anchor(UndoableCommand command) {
        return ((MoveDriveCommand) command).vertexKey();
    }

    @Override
    public void accepted(UndoableCommand done, EditViewModel.Step step, Runnable finished) {
        MoveDriveCommand command = (MoveDriveCommand) done;
        if (command instanceof NodeMove n) {
            // a QEMU does not report it: remember it, or the next read draws the drive back where it was
            graph.noteMove(n.node(), n.to(), n.component());
        }
        Session s = session;
        // x-blockdev-set-iothread sends no event: read again, then say where the drive is now
        graph.reread().whenComplete((state, error) -> fx.execute(() -> {
            finished.run();
            if (s != session || s == null) {
                return;
            }
            confirm(command, step, state == null ? graph.stateProperty().get() : state);
        }));
    }

    private void confirm(MoveDriveCommand command, EditViewModel.Step step, BlockState state) {
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

    @Override
    public void refused(UndoableCommand sent, EditViewModel.Step step, Throwable error) {
        MoveDriveCommand command = (MoveDriveCommand) sent;
        Drive replug = sent == replugCommand ? replugDrive : null;
        replugCommand = null;
        replugDrive = null;
        String why = describe(error);
        Session s = session;
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

    /** A re-plug plan to show, or null. */
    public ReadOnlyObjectProperty<ReplugPlan> planProperty() {
        return plan;
    }
}

package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.move.Capabilities;
import dev.blockdeck.app.move.IothreadCommand;
import dev.blockdeck.app.move.IothreadParams;
import dev.blockdeck.app.move.Iothreads;
import dev.blockdeck.app.move.UndoableCommand;
import dev.blockdeck.app.session.Session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Creating and deleting IOThreads from the graph ({@code object-add} / {@code object-del}) as undoable changes in
 * the {@link EditViewModel}'s history (undo of a creation deletes it, undo of a deletion creates it again with the
 * same id and poll parameters): checks the id the way QEMU will, says what deleting risks on a VM that does not
 * report contexts ({@link Iothreads#deleteWarning}), and reports the outcome as a {@link Notice} once the graph
 * shows it, next to the lane. FX thread.
 */
public final class IothreadViewModel implements SessionPart, EditViewModel.Outcome {

    private final GraphViewModel graph;
    private final EditViewModel edits;
    private final NoticeBoard notices;
    private final Executor fx;
    private Session session;

    public IothreadViewModel(GraphViewModel graph, EditViewModel edits, NoticeBoard notices, Executor fx) {
        this.graph = graph;
        this.edits = edits;
        this.notices = notices;
        this.fx = fx;
        edits.handle(IothreadCommand.class, this);
    }

    @Override
    public void attach(Session s) {
        fx.execute(() -> session = s);
    }

    @Override
    public void detach(String why) {
        session = null;
    }

    public boolean connected() {
        return session != null;
    }

    /** Why {@code id} will not do for a new IOThread, or empty (for the dialog's inline error). */
    public String problem(String id) {
        return Iothreads.problem(id == null ? "" : id.strip(), graph.stateProperty().get());
    }

    /** A free id to start the dialog with. */
    public String suggestion() {
        return Iothreads.suggestion(graph.stateProperty().get());
    }

    /** {@code object-add {"qom-type": "iothread", "id": id}}; the new lane appears after the read that follows. */
    public void create(String rawId) {
        String id = rawId == null ? "" : rawId.strip();
        String problem = problem(id);
        if (session == null) {
            return;
        }
        if (!problem.isEmpty()) {
            notices.post(Notice.Kind.ERROR, "Not created: " + problem, null);
            return;
        }
        if (edits.begin(null)) {
            notices.post(Notice.Kind.PROGRESS, "Creating IOThread " + id + "…", null);
            edits.run(new IothreadCommand.Create(id, IothreadParams.DEFAULTS));
        }
    }

    /**
     * What to confirm before deleting {@code id}, or empty to delete straight away. Capabilities are read when the
     * session opens; until they are known, the VM is taken for a QEMU (the cautious side).
     */
    public String deleteWarning(String id) {
        Capabilities caps = edits.capabilities().getNow(Capabilities.UNKNOWN);
        return Iothreads.deleteWarning(id, graph.stateProperty().get(), caps.liveDeviceMove());
    }

    /**
     * {@code object-del {"id": id}}, after reading its poll parameters for an undo: the engine refuses while
     * something runs in the thread, with its reason, shown on the lane.
     */
    public void delete(String id) {
        if (session == null || !edits.begin(Notice.lane(id))) {
            return;
        }
        notices.post(Notice.Kind.PROGRESS, "Deleting IOThread " + id + "…", Notice.lane(id));
        edits.run(new IothreadCommand.Delete(id, IothreadParams.DEFAULTS));
    }

    @Override
    public String anchor(UndoableCommand command) {
        // a lane to be created is not drawn yet
        return command instanceof IothreadCommand.Delete d ? Notice.lane(d.id()) : null;
    }

    @Override
    public String warning(UndoableCommand command) {
        return command instanceof IothreadCommand.Delete d ? deleteWarning(d.id()) : "";
    }

    @Override
    public void accepted(UndoableCommand done, EditViewModel.Step step, Runnable finished) {
        IothreadCommand c = (IothreadCommand) done;
        boolean created = c instanceof IothreadCommand.Create;
        String id = c.id();
        String text = switch (step) {
            case NEW -> created ? "Created IOThread " + id + ": drag drives onto its lane." : "Deleted IOThread " + id + ".";
            case UNDO -> created
                    ? "Undone: IOThread " + id + " is back" + (c.params().describe().isEmpty() ? "" : " ("
                    + c.params().describe() + ")") + "."
                    : "Undone: IOThread " + id + " is deleted again.";
            case REDO -> "Redone: " + c.describe() + ".";
        };
        Session s = session;
        // object-add and object-del send no event: read again, and speak once the lanes show it
        graph.reread().whenComplete((BlockState state, Throwable e) -> fx.execute(() -> {
            finished.run();
            if (s == session && s != null) {
                notices.post(Notice.Kind.SUCCESS, text, created ? Notice.lane(id) : null);
            }
        }));
    }

    @Override
    public void refused(UndoableCommand sent, EditViewModel.Step step, Throwable error) {
        IothreadCommand c = (IothreadCommand) sent;
        boolean create = c instanceof IothreadCommand.Create;
        String what = switch (step) {
            case NEW -> create ? "object-add refused IOThread " + c.id() : "object-del refused to delete " + c.id();
            case UNDO -> "Undo failed (" + c.describe() + ")";
            case REDO -> "Redo failed (" + c.describe() + ")";
        };
        // a thread that could not be deleted is still drawn: say it on its lane, where the user looked
        notices.post(Notice.Kind.ERROR, what + ": " + MoveViewModel.describe(error),
                create ? null : Notice.lane(c.id()));
        graph.refresh();
    }
}

package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.move.Capabilities;
import dev.blockdeck.app.move.Iothreads;
import dev.blockdeck.app.session.Session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Creating and deleting IOThreads from the graph ({@code object-add} / {@code object-del}): checks the id the way
 * QEMU will, says what deleting risks on a VM that does not report contexts ({@link Iothreads#deleteWarning}),
 * and reports the outcome as a {@link Notice} once the graph shows it. FX thread.
 */
public final class IothreadViewModel implements SessionPart {

    private final GraphViewModel graph;
    private final NoticeBoard notices;
    private final Executor fx;
    private Session session;
    private CompletableFuture<Capabilities> capabilities = CompletableFuture.completedFuture(Capabilities.UNKNOWN);

    public IothreadViewModel(GraphViewModel graph, NoticeBoard notices, Executor fx) {
        this.graph = graph;
        this.notices = notices;
        this.fx = fx;
    }

    @Override
    public void attach(Session s) {
        fx.execute(() -> {
            session = s;
            capabilities = Capabilities.read(s::execute);
        });
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
        Session s = session;
        if (s == null) {
            return;
        }
        if (!problem.isEmpty()) {
            notices.post(Notice.Kind.ERROR, "Not created: " + problem, null);
            return;
        }
        notices.post(Notice.Kind.PROGRESS, "Creating IOThread " + id + "…", null);
        send(s, "object-add", JsonNodeFactory.instance.objectNode().put("qom-type", "iothread").put("id", id),
                "Created IOThread " + id + ": drag drives onto its lane.", Notice.lane(id),
                "object-add refused IOThread " + id, null);
    }

    /**
     * What to confirm before deleting {@code id}, or empty to delete straight away. Capabilities are read when the
     * session opens; until they are known, the VM is taken for a QEMU (the cautious side).
     */
    public String deleteWarning(String id) {
        Capabilities caps = capabilities.getNow(Capabilities.UNKNOWN);
        return Iothreads.deleteWarning(id, graph.stateProperty().get(), caps.liveDeviceMove());
    }

    /** {@code object-del {"id": id}}: the engine refuses while something runs in the thread, with its reason. */
    public void delete(String id) {
        Session s = session;
        if (s == null) {
            return;
        }
        notices.post(Notice.Kind.PROGRESS, "Deleting IOThread " + id + "…", Notice.lane(id));
        send(s, "object-del", JsonNodeFactory.instance.objectNode().put("id", id), "Deleted IOThread " + id + ".",
                null, "object-del refused to delete " + id, Notice.lane(id));
    }

    private void send(Session s, String command, ObjectNode args, String done,
                      String doneAnchor, String failed, String failedAnchor) {
        CompletableFuture<?> sent;
        try {
            sent = s.execute(command, args);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            if (error != null) {
                fx.execute(() -> {
                    if (s == session) {
                        notices.post(Notice.Kind.ERROR, failed + ": " + MoveViewModel.describe(
                                MoveViewModel.unwrap(error)), failedAnchor);
                    }
                });
                return;
            }
            // object-add and object-del send no event: read again, and speak once the lanes show it
            fx.execute(() -> graph.reread().whenComplete((BlockState state, Throwable e) -> fx.execute(() -> {
                if (s == session) {
                    notices.post(Notice.Kind.SUCCESS, done, doneAnchor);
                }
            })));
        });
    }
}

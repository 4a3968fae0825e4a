package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.DotGraph;
import dev.blockdeck.app.model.KnownMoves;
import dev.blockdeck.app.model.VmModel;
import dev.blockdeck.app.session.Session;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The graph view's state: the observable wrapper of the session's {@link VmModel}, and the ELK layout of its
 * latest {@link BlockState}, computed by a {@link LayoutTask} on {@code layoutExecutor}.
 *
 * <p>Threading: properties change only on {@code fx}. A new state cancels the layout in flight, and a
 * layout of an older state never replaces a newer one.
 */
public final class GraphViewModel implements SessionPart {

    /** Re-read this long after the last event of a burst, but at most this long after the first. */
    static final long QUIET_MILLIS = 150;
    static final long MAX_DELAY_MILLIS = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Executor layoutExecutor;
    private final Executor fx;
    private final ScheduledExecutorService scheduler;
    private final LaneLayouter layouter = new LaneLayouter();

    private final ObjectProperty<BlockState> state = new SimpleObjectProperty<>(BlockState.EMPTY);
    private final ObjectProperty<GraphLayout> layout = new SimpleObjectProperty<>();
    private final BooleanProperty reading = new SimpleBooleanProperty();
    private final BooleanProperty layingOut = new SimpleBooleanProperty();
    private final DoubleProperty layoutProgress = new SimpleDoubleProperty(-1);
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("Not connected.");
    private final StringProperty warnings = new SimpleStringProperty("");
    private final StringProperty selection = new SimpleStringProperty();

    private VmModel model;
    /** This session's x-blockdev-set-iothread moves (read by the model's thread, written by moves). */
    private volatile KnownMoves moves = new KnownMoves();
    private LayoutTask running;

    public GraphViewModel(Executor layoutExecutor, Executor fx, ScheduledExecutorService scheduler) {
        this.layoutExecutor = layoutExecutor;
        this.fx = fx;
        this.scheduler = scheduler;
    }

    /** Starts mirroring a session (any thread): reads now and after events. */
    @Override
    public void attach(Session session) {
        KnownMoves sessionMoves = new KnownMoves();
        moves = sessionMoves;
        VmModel m = new VmModel(session::execute, sessionMoves, scheduler, QUIET_MILLIS, MAX_DELAY_MILLIS);
        m.addListener(new VmModel.Listener() {
            @Override
            public void reading() {
                fx.execute(() -> reading.set(true));
            }

            @Override
            public void updated(BlockState s) {
                fx.execute(() -> apply(m, s));
            }
        });
        session.addEventListener(event -> m.onEvent(event.name()));
        fx.execute(() -> {
            if (model != null) {
                model.close();
            }
            model = m;
            message.set("Reading the block graph…");
        });
        // queued after the hand-over above, so the first state finds `model` set; QMP writes stay off the FX thread
        scheduler.execute(m::refresh);
    }

    /** Stops mirroring (FX thread); the view shows {@code why}. */
    @Override
    public void detach(String why) {
        if (model != null) {
            model.close();
            model = null;
        }
        if (running != null) {
            running.cancel();
            running = null;
        }
        layoutProgress.unbind();
        layoutProgress.set(-1);
        reading.set(false);
        layingOut.set(false);
        apply(null, BlockState.unavailable(why));
    }

    /** Reads the block state again (the toolbar's Refresh). */
    public void refresh() {
        if (model != null) {
            scheduler.execute(model::refresh);
        }
    }

    /**
     * Reads the block state again (FX thread); completes, on a connection thread, with the state that was
     * published (already on its way to the FX thread), or with the current one when not attached.
     */
    public CompletableFuture<BlockState> reread() {
        VmModel m = model;
        if (m == null) {
            return CompletableFuture.completedFuture(state.get());
        }
        return CompletableFuture.supplyAsync(m::refresh, scheduler).thenCompose(f -> f);
    }

    /**
     * This console moved {@code node}, with its {@code component}, to {@code iothread} (null: main loop) on a VM
     * that does not report AioContexts: draw it there from now on (see {@link KnownMoves}).
     */
    public void noteMove(String node, String iothread, Collection<String> component) {
        moves.record(node, iothread, component);
    }

    private void apply(VmModel from, BlockState s) {
        if (from != null && from != model) {
            return;
        }
        reading.set(false);
        state.set(s);
        warnings.set(String.join("\n", s.warnings()));
        if (!s.isAvailable()) {
            summary.set("");
            message.set(s.unavailable());
            if (running != null) {
                running.cancel();
                finished(running, null);
            }
            layout.set(null);
            return;
        }
        int nodes = s.blockNodes().size();
        summary.set(nodes + (nodes == 1 ? " node · " : " nodes · ") + s.lanes().size() + " contexts · read "
                + LocalTime.now().format(TIME));
        message.set(s.nodes().isEmpty() ? "No block nodes. Add some (blockdev-add, -drive), then refresh." : "");
        startLayout(s);
    }

    private void startLayout(BlockState s) {
        if (running != null) {
            running.cancel();
        }
        LayoutTask task = new LayoutTask(layouter, s);
        running = task;
        layoutProgress.bind(task.progressProperty());
        layingOut.set(true);
        task.setOnSucceeded(e -> finished(task, task.getValue()));
        task.setOnFailed(e -> {
            finished(task, null);
            message.set("Layout failed: " + task.getException());
        });
        try {
            layoutExecutor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the console is shutting down: a state that arrives now has nobody to be drawn for
            finished(task, null);
        }
    }

    private void finished(LayoutTask task, GraphLayout result) {
        if (running != task) {
            return;
        }
        running = null;
        layoutProgress.unbind();
        layoutProgress.set(-1);
        layingOut.set(false);
        if (result != null) {
            layout.set(result);
        }
    }

    /** The selected vertex's key ({@code node:NAME}, {@code backend:NAME}) or {@code iothread:ID}; null for none. */
    public void select(String key) {
        selection.set(key);
    }

    public ReadOnlyStringProperty selectionProperty() {
        return selection;
    }

    /** The latest state as Graphviz DOT (see {@link DotGraph}). */
    public String dot(String title) {
        return DotGraph.of(state.get(), title);
    }

    public ReadOnlyObjectProperty<BlockState> stateProperty() {
        return state;
    }

    /** The latest finished layout; its {@code state()} may lag {@link #stateProperty()} while laying out. */
    public ReadOnlyObjectProperty<GraphLayout> layoutProperty() {
        return layout;
    }

    public ReadOnlyBooleanProperty readingProperty() {
        return reading;
    }

    public ReadOnlyBooleanProperty layingOutProperty() {
        return layingOut;
    }

    /** 0..1 while laying out, -1 when indeterminate. */
    public ReadOnlyDoubleProperty layoutProgressProperty() {
        return layoutProgress;
    }

    /** {@code 13 nodes · 3 contexts · read 12:03:05}. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** What to show instead of a graph (not connected, unavailable, empty), or empty. */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    /** The state's warnings, one per line, or empty. */
    public ReadOnlyStringProperty warningsProperty() {
        return warnings;
    }
}

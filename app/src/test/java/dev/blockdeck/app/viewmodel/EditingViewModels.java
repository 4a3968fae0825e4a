package dev.blockdeck.app.viewmodel;

import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.blockdeck.app.viewmodel.FxWait.await;

/**
 * The ViewModels that change a VM (graph, edit history, moves, IOThreads) wired as the console wires them, on a
 * {@link FakeBlockVm}, with no window: the FX toolkit runs their callbacks and the layout.
 */
abstract class EditingViewModels {

    protected final ExecutorService layout = Executors.newSingleThreadExecutor();
    protected final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    protected final NoticeBoard notices = new NoticeBoard();
    protected GraphViewModel graph;
    protected EditViewModel edits;
    protected MoveViewModel moves;
    protected IothreadViewModel iothreads;

    @BeforeAll
    static void toolkit() {
        FxWait.toolkit();
    }

    @AfterEach
    void stopExecutors() {
        layout.shutdownNow();
        timers.shutdownNow();
    }

    /** Attaches every ViewModel to {@code vm} and waits for its graph to be laid out. */
    FakeBlockVm attach(FakeBlockVm vm) throws Exception {
        FakeSession session = new FakeSession();
        session.commands = vm;
        graph = new GraphViewModel(layout, Platform::runLater, timers);
        edits = new EditViewModel(notices, Platform::runLater);
        iothreads = new IothreadViewModel(graph, edits, notices, Platform::runLater);
        moves = new MoveViewModel(graph, edits, notices, Platform::runLater);
        graph.attach(session);
        edits.attach(session);
        iothreads.attach(session);
        moves.attach(session);
        await("the graph", () -> graph.layoutProperty().get() != null);
        return vm;
    }
}

package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.Recording;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.SessionLauncher;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The graph's ViewModel on recorded QEMU answers. The layout is a javafx.concurrent.Task, which reports
 * through the FX thread, so the toolkit runs (headless Monocle, see app/pom.xml); no window is shown.
 */
class GraphViewModelTest {

    private final ExecutorService layout = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void toolkit() {
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException alreadyRunning) {
            // another test started it
        }
    }

    @AfterEach
    void stop() {
        layout.shutdownNow();
        timers.shutdownNow();
    }

    private static <T> T fx(Callable<T> read) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(read.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!fx(condition::getAsBoolean)) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    private GraphViewModel viewModel() {
        return new GraphViewModel(layout, Platform::runLater, timers);
    }

    @Test
    void attachingReadsLaysOutAndSummarises() throws Exception {
        FakeSession session = new FakeSession();
        Recording qemu = Recording.load("device");
        session.commands = qemu;
        GraphViewModel vm = viewModel();
        vm.attach(session);

        await("a layout", () -> vm.layoutProperty().get() != null);
        assertThat(fx(() -> vm.layoutProperty().get().nodes().size())).isEqualTo(6);
        assertThat(fx(() -> vm.stateProperty().get().blockNodes().size())).isEqualTo(4);
        assertThat(fx(() -> vm.summaryProperty().get())).matches("4 nodes · 2 contexts · read \\d\\d:\\d\\d:\\d\\d");
        assertThat(fx(() -> vm.messageProperty().get())).isEmpty();
        assertThat(fx(() -> vm.warningsProperty().get())).isEmpty();
        assertThat(fx(() -> vm.layingOutProperty().get())).isFalse();
        assertThat(fx(() -> vm.layoutProgressProperty().get())).isEqualTo(-1);
        assertThat(fx(() -> vm.readingProperty().get())).isFalse();
    }

    @Test
    void eventsAndRefreshReadAgain() throws Exception {
        FakeSession session = new FakeSession();
        Recording qemu = Recording.load("chains");
        session.commands = qemu;
        GraphViewModel vm = viewModel();
        vm.attach(session);
        await("the first read", () -> qemu.count("query-named-block-nodes") == 1 && vm.layoutProperty().get() != null);

        session.emit("DEVICE_DELETED");
        await("a read after the event", () -> qemu.count("query-named-block-nodes") == 2);
        fx(() -> {
            vm.refresh();
            return null;
        });
        await("a read after refresh", () -> qemu.count("query-named-block-nodes") == 3);
    }

    @Test
    void anEngineWithoutBlockQueriesShowsWhy() throws Exception {
        FakeSession session = new FakeSession();
        GraphViewModel vm = viewModel();
        vm.attach(session);
        await("the message", () -> vm.messageProperty().get().contains("CommandNotFound"));
        assertThat(fx(() -> vm.messageProperty().get()))
                .isEqualTo("No block graph: this VM does not answer query-named-block-nodes (CommandNotFound).");
        assertThat(fx(() -> vm.layoutProperty().get())).isNull();
        assertThat(fx(() -> vm.summaryProperty().get())).isEmpty();
    }

    @Test
    void theConsoleAttachesTheGraphAndDetachesItWhenTheConnectionCloses() throws Exception {
        FakeSession session = new FakeSession();
        session.commands = Recording.load("chains");
        GraphViewModel graph = viewModel();
        ConsoleViewModel console = new ConsoleViewModel(new SessionLauncher() {
            @Override
            public String description() {
                return "Fake";
            }

            @Override
            public Session open(Progress progress) {
                return session;
            }
        }, Runnable::run, Platform::runLater, graph);
        assertThat(console.graph()).isSameAs(graph);
        fx(() -> {
            console.connect();
            return null;
        });
        await("the graph", () -> graph.layoutProperty().get() != null);

        session.closed.complete(null);
        await("the graph to go", () -> graph.layoutProperty().get() == null);
        assertThat(fx(() -> graph.messageProperty().get())).isEqualTo("The monitor connection closed.");
    }
}

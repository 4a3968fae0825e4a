package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.Recording;
import dev.blockdeck.app.viewmodel.InspectorViewModel.Row;
import dev.blockdeck.qmp.QmpCommandException;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The inspector's ViewModel over answers recorded from QEMU 7.2. The graph it follows lays out in a
 * javafx.concurrent.Task, so the toolkit runs (headless), without a window.
 */
class InspectorViewModelTest {

    private final ExecutorService layout = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Recording qemu = Recording.load("device");
    private final List<String> qomSets = new CopyOnWriteArrayList<>();
    private volatile QmpCommandException qomSetError;
    private GraphViewModel graph;
    private InspectorViewModel vm;

    @BeforeAll
    static void toolkit() {
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException alreadyRunning) {
            // another test started it
        }
    }

    @BeforeEach
    void attach() throws Exception {
        FakeSession session = new FakeSession();
        session.commands = (command, args) -> {
            if (command.equals("qom-set")) {
                qomSets.add(args.toString());
                return qomSetError != null ? CompletableFuture.failedFuture(qomSetError)
                        : CompletableFuture.completedFuture(Recording.JSON.createObjectNode());
            }
            return qemu.execute(command, args);
        };
        graph = new GraphViewModel(layout, Platform::runLater, timers);
        vm = fx(() -> new InspectorViewModel(graph, Platform::runLater));
        graph.attach(session);
        vm.attach(session);
        await("the block state", () -> graph.stateProperty().get().nodes().size() == 6);
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

    private List<Row> select(String key) throws Exception {
        return fx(() -> {
            graph.select(key);
            return List.copyOf(vm.rows());
        });
    }

    private static Row row(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    @Test
    void aBlockNodeShowsItsWholeQueryNamedBlockNodesEntry() throws Exception {
        List<Row> rows = select("node:vd");
        assertThat(fx(() -> vm.titleProperty().get())).isEqualTo("vd");
        assertThat(fx(() -> vm.subtitleProperty().get())).isEqualTo("qcow2 · query-named-block-nodes entry");
        assertThat(rows).extracting(Row::category, Row::name, Row::value).contains(
                tuple("Node", "node-name", "vd"), tuple("Node", "drv", "qcow2"), tuple("Node", "ro", "false"),
                tuple("Image", "virtual-size", "2147483648 (2 GiB)"), tuple("Image", "format-specific.data.compat", "1.1"),
                tuple("Cache", "writeback", "true"), tuple("I/O limits", "bps", "0"));
        assertThat(rows.get(0).name()).isEqualTo("node-name");
        assertThat(rows).noneMatch(Row::editable);
        assertThat(row(rows, "AioContext").category()).isEqualTo(InspectorViewModel.GRAPH);
        assertThat(row(rows, "drv").description()).isNotEmpty();
    }

    @Test
    void aBackendShowsItsQueryBlockEntryAndNothingSelectedShowsNothing() throws Exception {
        List<Row> rows = select("backend:drive1");
        assertThat(fx(() -> vm.titleProperty().get())).isEqualTo("BlockBackend drive1");
        assertThat(rows).extracting(Row::category, Row::name, Row::value).contains(
                tuple("BlockBackend", "device", "drive1"), tuple("Inserted node", "node-name", "vd"));
        assertThat(select(null)).isEmpty();
        assertThat(fx(() -> vm.titleProperty().get())).isEqualTo("Nothing selected");
    }

    @Test
    void anIothreadsPollingIsEditedByQomSetThenReadAgain() throws Exception {
        List<Row> rows = select("iothread:iothread1");
        assertThat(fx(() -> vm.titleProperty().get())).isEqualTo("IOThread iothread1");
        assertThat(rows).filteredOn(Row::editable).extracting(Row::name)
                .containsExactlyInAnyOrder("poll-max-ns", "poll-grow", "poll-shrink", "aio-max-batch");
        assertThat(row(rows, "thread-id").editable()).isFalse();
        long reads = qemu.count("query-iothreads");

        fx(() -> {
            vm.edit(row(rows, "poll-max-ns"), " 16384 ");
            return null;
        });
        await("the re-read", () -> qemu.count("query-iothreads") > reads);
        assertThat(qomSets).containsExactly("{\"path\":\"/objects/iothread1\",\"property\":\"poll-max-ns\",\"value\":16384}");
        assertThat(fx(() -> vm.messageProperty().get())).isEqualTo("Set poll-max-ns of /objects/iothread1 to 16384.");
        assertThat(fx(() -> vm.messageIsErrorProperty().get())).isFalse();

        // the same value again is no edit
        fx(() -> {
            vm.edit(row(rows, "poll-grow"), "0");
            return null;
        });
        assertThat(qomSets).hasSize(1);
    }

    @Test
    void aRefusedEditShowsTheVmsErrorAndTheValueStays() throws Exception {
        List<Row> rows = select("iothread:iothread1");
        qomSetError = new QmpCommandException("GenericError", "poll-max-ns value must be in range [0, 9223372036854775807]");
        fx(() -> {
            vm.edit(row(rows, "poll-max-ns"), "-1");
            return null;
        });
        await("the error", () -> vm.messageIsErrorProperty().get());
        assertThat(fx(() -> vm.messageProperty().get())).isEqualTo(
                "qom-set poll-max-ns failed: GenericError: poll-max-ns value must be in range [0, 9223372036854775807]");
        assertThat(fx(() -> List.copyOf(vm.rows()))).isEqualTo(rows);
        ObjectNode expected = Recording.JSON.createObjectNode().put("path", "/objects/iothread1")
                .put("property", "poll-max-ns").put("value", -1);
        assertThat(qomSets).containsExactly(expected.toString());
    }
}

package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.IoThreadInfo;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.blockdeck.app.viewmodel.FxWait.await;
import static dev.blockdeck.app.viewmodel.FxWait.fx;
import static dev.blockdeck.app.viewmodel.FxWait.run;
import static org.assertj.core.api.Assertions.assertThat;

/** IOThread creation and deletion on a {@link FakeBlockVm}, as the engine and as a QEMU. No window. */
class IothreadViewModelTest {

    private final ExecutorService layout = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final NoticeBoard notices = new NoticeBoard();
    private GraphViewModel graph;
    private IothreadViewModel iothreads;
    private MoveViewModel moves;

    @BeforeAll
    static void toolkit() {
        FxWait.toolkit();
    }

    @AfterEach
    void stop() {
        layout.shutdownNow();
        timers.shutdownNow();
    }

    private FakeBlockVm attach(boolean engine) throws Exception {
        FakeBlockVm vm = new FakeBlockVm(engine).iothread("iothread0").node("null0", "null-co")
                .node("disk0", "raw", "file", "null0").node("d1", "null-co")
                .drive("drive1", "d1", "vblk1", "iothread0", "pcie.0", 0x10, false);
        FakeSession session = new FakeSession();
        session.commands = vm;
        graph = new GraphViewModel(layout, Platform::runLater, timers);
        iothreads = new IothreadViewModel(graph, notices, Platform::runLater);
        moves = new MoveViewModel(graph, notices, Platform::runLater);
        graph.attach(session);
        iothreads.attach(session);
        moves.attach(session);
        await("the graph", () -> graph.layoutProperty().get() != null);
        return vm;
    }

    private boolean lane(String id) {
        return graph.stateProperty().get().lanes().stream().anyMatch(l -> id.equals(l.iothread()));
    }

    @Test
    void aNewIothreadGetsAnEmptyLane() throws Exception {
        FakeBlockVm vm = attach(true);
        assertThat(fx(() -> iothreads.suggestion())).isEqualTo("iothread1");
        run(() -> iothreads.create(" fast.io "));
        await("the lane", () -> lane("fast.io") && notices.latestProperty().get().kind() == Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("object-add {\"qom-type\":\"iothread\",\"id\":\"fast.io\"}");
        assertThat(fx(() -> notices.latestProperty().get())).isEqualTo(new Notice(Notice.Kind.SUCCESS,
                "Created IOThread fast.io: drag drives onto its lane.", "lane:fast.io"));
        assertThat(fx(() -> graph.stateProperty().get().iothreads().stream().map(IoThreadInfo::id).toList()))
                .contains("fast.io");
    }

    @Test
    void anIdQemuWouldRefuseIsNotSent() throws Exception {
        FakeBlockVm vm = attach(true);
        assertThat(fx(() -> iothreads.problem("iothread0"))).isEqualTo("IOThread iothread0 exists already.");
        assertThat(fx(() -> iothreads.problem("1bad"))).isEqualTo("An id starts with a letter.");
        run(() -> iothreads.create("a b"));
        assertThat(fx(() -> notices.latestProperty().get().text())).isEqualTo("Not created: Only letters, digits,"
                + " '-', '.' and '_' (not ' ').");
        assertThat(vm.count("object-add")).isZero();
    }

    @Test
    void theEngineRefusesToDeleteAnIothreadInUseAndSaysWhy() throws Exception {
        FakeBlockVm vm = attach(true);
        assertThat(fx(() -> iothreads.deleteWarning("iothread0"))).as("the engine checks itself").isEmpty();
        run(() -> iothreads.delete("iothread0"));
        await("the refusal", () -> notices.latestProperty().get().kind() == Notice.Kind.ERROR);
        assertThat(fx(() -> notices.latestProperty().get().text())).startsWith("object-del refused to delete"
                + " iothread0: object 'iothread0' is in use, can not be deleted");
        assertThat(vm.iothreads()).contains("iothread0");
    }

    @Test
    void onQemuDeletingALaneWithMovedNodesIsWarnedAbout() throws Exception {
        FakeBlockVm vm = attach(false);
        run(() -> iothreads.create("iothread1"));
        await("the lane", () -> lane("iothread1") && notices.latestProperty().get().kind() == Notice.Kind.SUCCESS);
        assertThat(fx(() -> iothreads.deleteWarning("iothread1"))).as("empty").isEmpty();
        assertThat(fx(() -> iothreads.deleteWarning("iothread0"))).isEqualTo("IOThread iothread0 is linked by vblk1."
                + " QEMU 7.2 deletes the object anyway; the device keeps the thread running, but the iothread leaves"
                + " query-iothreads and no new device can use it.");

        run(() -> moves.drop("node:disk0", "iothread1"));
        await("the move", () -> !moves.busyProperty().get() && notices.latestProperty().get().kind() == Notice.Kind.SUCCESS
                && graph.stateProperty().get().node("node:disk0").orElseThrow().placement().iothread() != null);
        assertThat(fx(() -> iothreads.deleteWarning("iothread1"))).startsWith("IOThread iothread1 hosts null0,"
                + " disk0, moved there with x-blockdev-set-iothread. QEMU 7.2 deletes the iothread anyway and then"
                + " aborts");

        // confirmed by the user: QEMU deletes it (and would abort on the next touch of disk0)
        run(() -> iothreads.delete("iothread1"));
        await("the deletion", () -> notices.latestProperty().get().text().equals("Deleted IOThread iothread1."));
        assertThat(vm.asked).contains("object-del {\"id\":\"iothread1\"}");
        assertThat(vm.iothreads()).doesNotContain("iothread1");
    }
}

package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.IoThreadInfo;
import org.junit.jupiter.api.Test;


import static dev.blockdeck.app.viewmodel.FxWait.await;
import static dev.blockdeck.app.viewmodel.FxWait.fx;
import static dev.blockdeck.app.viewmodel.FxWait.run;
import static org.assertj.core.api.Assertions.assertThat;

/** IOThread creation and deletion on a {@link FakeBlockVm}, as the engine and as a QEMU. No window. */
class IothreadViewModelTest extends EditingViewModels {

    private FakeBlockVm attach(boolean engine) throws Exception {
        FakeBlockVm vm = new FakeBlockVm(engine).iothread("iothread0").node("null0", "null-co")
                .node("disk0", "raw", "file", "null0").node("d1", "null-co")
                .drive("drive1", "d1", "vblk1", "iothread0", "pcie.0", 0x10, false);
        return attach(vm);
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
        await("the move", () -> !edits.busyProperty().get() && notices.latestProperty().get().kind() == Notice.Kind.SUCCESS
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

    private Notice latest() throws Exception {
        return fx(() -> notices.latestProperty().get());
    }

    /** The change is told and the next may start. */
    private void awaitTold(Notice.Kind kind) throws Exception {
        await("a " + kind + " notice", () -> !edits.busyProperty().get() && notices.latestProperty().get() != null
                && notices.latestProperty().get().kind() == kind);
    }

    @Test
    void undoOfACreationDeletesTheIothreadAndRedoCreatesItAgain() throws Exception {
        FakeBlockVm vm = attach(true);
        run(() -> iothreads.create("io.new"));
        awaitTold(Notice.Kind.SUCCESS);
        assertThat(fx(() -> edits.undoTextProperty().get())).isEqualTo("Undo create IOThread io.new");

        run(edits::undo);
        awaitTold(Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("object-del {\"id\":\"io.new\"}");
        assertThat(vm.iothreads()).doesNotContain("io.new");
        assertThat(latest()).isEqualTo(new Notice(Notice.Kind.SUCCESS, "Undone: IOThread io.new is deleted again.", null));
        assertThat(fx(() -> lane("io.new"))).isFalse();
        // the deletion read the parameters first: the redo creates it as it was (QEMU's defaults, as reported)
        assertThat(fx(() -> edits.redoTextProperty().get())).isEqualTo("Redo create IOThread io.new");

        run(edits::redo);
        awaitTold(Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("object-add {\"qom-type\":\"iothread\",\"id\":\"io.new\",\"poll-max-ns\":32768,"
                + "\"poll-grow\":0,\"poll-shrink\":0,\"aio-max-batch\":0}");
        assertThat(vm.iothreads()).contains("io.new");
        assertThat(latest()).isEqualTo(new Notice(Notice.Kind.SUCCESS, "Redone: create IOThread io.new.", "lane:io.new"));
    }

    @Test
    void undoOfADeletionCreatesTheIothreadAgainWithItsIdAndPollParameters() throws Exception {
        FakeBlockVm vm = attach(true);
        vm.execute("object-add", (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind
                .ObjectMapper().readTree("{\"qom-type\": \"iothread\", \"id\": \"spare\", \"poll-max-ns\": 1000,"
                        + " \"poll-grow\": 3, \"poll-shrink\": 5, \"aio-max-batch\": 7}"));
        graph.refresh();
        await("the spare lane", () -> lane("spare"));

        run(() -> iothreads.delete("spare"));
        awaitTold(Notice.Kind.SUCCESS);
        assertThat(vm.iothreads()).doesNotContain("spare");
        assertThat(fx(() -> edits.undoTextProperty().get())).isEqualTo("Undo delete IOThread spare");

        run(edits::undo);
        awaitTold(Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("object-add {\"qom-type\":\"iothread\",\"id\":\"spare\",\"poll-max-ns\":1000,"
                + "\"poll-grow\":3,\"poll-shrink\":5,\"aio-max-batch\":7}");
        assertThat(latest()).isEqualTo(new Notice(Notice.Kind.SUCCESS, "Undone: IOThread spare is back (poll-max-ns"
                + " 1000, poll-grow 3, poll-shrink 5, aio-max-batch 7).", "lane:spare"));
        assertThat(fx(() -> lane("spare"))).isTrue();
    }

    @Test
    void anUndoThatCannotDeleteTheIothreadSaysWhyOnItsLaneAndCanBeTriedAgain() throws Exception {
        FakeBlockVm vm = attach(true);
        run(() -> iothreads.create("io1"));
        awaitTold(Notice.Kind.SUCCESS);
        // another client moves a chain into it: the engine will not delete the thread now
        vm.execute("x-blockdev-set-iothread", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("node-name", "disk0").put("iothread", "io1"));

        run(edits::undo);
        awaitTold(Notice.Kind.ERROR);
        assertThat(latest().text()).startsWith("Undo failed (delete IOThread io1): object 'io1' is in use, can not be"
                + " deleted");
        assertThat(latest().anchor()).isEqualTo("lane:io1");
        assertThat(vm.iothreads()).contains("io1");
        assertThat(fx(() -> edits.canUndoProperty().get())).isTrue();

        vm.execute("x-blockdev-set-iothread", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("node-name", "disk0").putNull("iothread"));
        run(edits::undo);
        awaitTold(Notice.Kind.SUCCESS);
        assertThat(vm.iothreads()).doesNotContain("io1");
    }

    @Test
    void onQemuAnUndoThatDeletesAnIothreadInUseIsWarnedAbout() throws Exception {
        FakeBlockVm vm = attach(false);
        run(() -> iothreads.create("iothread1"));
        awaitTold(Notice.Kind.SUCCESS);
        assertThat(fx(() -> edits.undoWarning())).as("an empty lane").isEmpty();
        // a device plugged into it since (QEMU 7.2 would delete the object under it)
        vm.node("d2", "null-co").drive("drive2", "d2", "vblk2", "iothread1", "rp1", 0, true);
        graph.refresh();
        await("vblk2 in iothread1", () -> graph.stateProperty().get().node("backend:drive2")
                .map(n -> "iothread1".equals(n.placement().iothread())).orElse(false));
        assertThat(fx(() -> edits.undoWarning())).startsWith("IOThread iothread1 is linked by vblk2.");
        assertThat(fx(() -> edits.redoWarning())).isEmpty();
    }
}

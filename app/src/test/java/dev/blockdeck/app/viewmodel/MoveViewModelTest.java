package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Placement;
import dev.blockdeck.app.move.MoveChoices;
import dev.blockdeck.app.move.ReplugPlan;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.blockdeck.app.viewmodel.FxWait.await;
import static dev.blockdeck.app.viewmodel.FxWait.fx;
import static dev.blockdeck.app.viewmodel.FxWait.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drops, undo and redo on a {@link FakeBlockVm} playing the engine (live device moves, reported contexts) and
 * QEMU 7.2 (refusals, a re-plug plan, moves it does not report). No window; the FX toolkit runs the layout.
 */
class MoveViewModelTest extends EditingViewModels {

    /** iothread0 and iothread1; drive0 (vblk0, linked to iothread0, on a root port); a bare raw node over null-co. */
    private static FakeBlockVm vm(boolean engine) {
        return new FakeBlockVm(engine).iothread("iothread0").iothread("iothread1")
                .node("d0", "null-co")
                .drive("drive0", "d0", "vblk0", "iothread0", "rp0", 0, true)
                .node("null0", "null-co").node("disk0", "raw", "file", "null0");
    }

    /** The iothread the vertex is drawn in, null for the main loop. */
    private String laneOf(String key) throws Exception {
        return fx(() -> graph.stateProperty().get().node(key).orElseThrow().placement().iothread());
    }

    private Notice notice() throws Exception {
        return fx(() -> notices.latestProperty().get());
    }

    private void awaitNotice(Notice.Kind kind) throws Exception {
        await("a " + kind + " notice", () -> notices.latestProperty().get() != null
                && notices.latestProperty().get().kind() == kind && !edits.busyProperty().get());
    }

    @Test
    void onTheEngineADeviceDriveMovesLiveAndUndoAndRedoMoveItBackAndForth() throws Exception {
        FakeBlockVm vm = attach(vm(true));
        assertThat(laneOf("backend:drive0")).isEqualTo("iothread0");

        run(() -> moves.drop("backend:drive0", "iothread1"));
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("__dev.blockdeck_device-set-iothread {\"id\":\"vblk0\",\"iothread\":\"iothread1\"}");
        assertThat(vm.linkOf("vblk0")).isEqualTo("iothread1");
        assertThat(laneOf("backend:drive0")).isEqualTo("iothread1");
        assertThat(notice().text()).isEqualTo("Moved drive0 (vblk0) to iothread1.");
        assertThat(notice().anchor()).isEqualTo("backend:drive0");
        assertThat(fx(() -> edits.undoTextProperty().get())).isEqualTo("Undo move drive0 (vblk0) to iothread1");
        assertThat(fx(() -> edits.canRedoProperty().get())).isFalse();

        run(edits::undo);
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("__dev.blockdeck_device-set-iothread {\"id\":\"vblk0\",\"iothread\":\"iothread0\"}");
        assertThat(laneOf("backend:drive0")).isEqualTo("iothread0");
        assertThat(notice().text()).isEqualTo("Undone: drive0 (vblk0) is back in iothread0.");
        assertThat(fx(() -> edits.canUndoProperty().get())).isFalse();
        assertThat(fx(() -> edits.redoTextProperty().get())).isEqualTo("Redo move drive0 (vblk0) to iothread1");

        run(edits::redo);
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(laneOf("backend:drive0")).isEqualTo("iothread1");
        assertThat(fx(() -> edits.canUndoProperty().get())).isTrue();
        assertThat(fx(() -> edits.canRedoProperty().get())).isFalse();
    }

    @Test
    void onTheEngineABareNodeMovesWithSetIothreadAndTheMainLoopIsNull() throws Exception {
        FakeBlockVm vm = attach(vm(true));
        run(() -> moves.drop("node:disk0", "iothread1"));
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("x-blockdev-set-iothread {\"node-name\":\"disk0\",\"iothread\":\"iothread1\"}");
        assertThat(vm.contextOf("null0")).isEqualTo("iothread1");

        run(edits::undo);
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("x-blockdev-set-iothread {\"node-name\":\"disk0\",\"iothread\":null}");
        assertThat(laneOf("node:disk0")).isNull();
    }

    @Test
    void droppingOnItsOwnLaneOrAMiddleNodeSendsNothing() throws Exception {
        FakeBlockVm vm = attach(vm(true));
        long before = vm.asked.size();
        run(() -> moves.drop("backend:drive0", "iothread0"));
        run(() -> moves.drop("node:null0", "iothread1"));
        assertThat(vm.asked.subList((int) before, vm.asked.size()))
                .noneMatch(a -> a.startsWith("x-blockdev-set-iothread") || a.startsWith("__dev.blockdeck_device"));
        assertThat(notice().text()).startsWith("Only a drive moves");
        assertThat(fx(() -> moves.canDrag("node:null0"))).isFalse();
        assertThat(fx(() -> moves.canDrag("node:disk0"))).isTrue();
        assertThat(fx(() -> moves.canDrag("backend:drive0"))).isTrue();
    }

    @Test
    void onQemuADeviceDriveIsRefusedAndARePlugPlanIsOffered() throws Exception {
        FakeBlockVm vm = attach(vm(false));
        assertThat(laneOf("backend:drive0")).as("from vblk0's link").isEqualTo("iothread0");

        run(() -> moves.drop("backend:drive0", "iothread1"));
        await("the plan", () -> moves.planProperty().get() != null);
        assertThat(vm.asked).contains("x-blockdev-set-iothread {\"node-name\":\"d0\",\"iothread\":\"iothread1\"}");
        ReplugPlan plan = fx(() -> moves.planProperty().get());
        assertThat(plan.why()).contains("Node d0 is associated with a BlockBackend and could be in use");
        assertThat(plan.hotplug()).isTrue();
        assertThat(plan.steps()).contains("{\"execute\":\"device_del\",\"arguments\":{\"id\":\"vblk0\"}}",
                "drive_add 0 if=none,id=drive0,driver=null-co,size=1G",
                "\"driver\":\"virtio-blk-pci\",\"id\":\"vblk0\",\"drive\":\"drive0\",\"bus\":\"rp0\",\"addr\":\"00.0\","
                        + "\"iothread\":\"iothread1\"",
                "-device virtio-blk-pci,id=vblk0,drive=drive0,bus=rp0,addr=00.0,iothread=iothread1");
        assertThat(notice().text()).startsWith("QEMU cannot move drive0 (vblk0) live (see the re-plug plan)");
        assertThat(fx(() -> edits.canUndoProperty().get())).as("nothing moved").isFalse();
        assertThat(vm.linkOf("vblk0")).isEqualTo("iothread0");

        run(moves::dismissPlan);
        assertThat(fx(() -> moves.planProperty().get())).isNull();
    }

    @Test
    void onQemuABareNodeMovesAndIsDrawnWhereTheConsolePutIt() throws Exception {
        FakeBlockVm vm = attach(vm(false));
        run(() -> moves.drop("node:disk0", "iothread1"));
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.contextOf("disk0")).isEqualTo("iothread1");
        Optional<GraphNode> disk0 = fx(() -> graph.stateProperty().get().node("node:disk0"));
        assertThat(disk0.orElseThrow().placement()).isEqualTo(Placement.consoleMove("iothread1"));
        assertThat(fx(() -> graph.stateProperty().get().node("node:null0").orElseThrow().placement().iothread()))
                .isEqualTo("iothread1");
        assertThat(notice().text()).contains("drawn where this console put it");

        run(edits::undo);
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.contextOf("disk0")).isNull();
        assertThat(laneOf("node:disk0")).isNull();
    }

    @Test
    void aRefusedUndoIsShownAndCanBeTriedAgain() throws Exception {
        FakeBlockVm vm = attach(vm(true));
        run(() -> moves.drop("node:disk0", "iothread1"));
        awaitNotice(Notice.Kind.SUCCESS);

        vm.failing.put("x-blockdev-set-iothread", "Cannot find iothread iothread9");
        run(edits::undo);
        awaitNotice(Notice.Kind.ERROR);
        assertThat(notice().text()).isEqualTo("Undo failed (move disk0 to the main loop): Cannot find iothread iothread9");
        assertThat(notice().anchor()).isEqualTo("node:disk0");
        assertThat(fx(() -> edits.canUndoProperty().get())).isTrue();

        vm.failing.clear();
        run(edits::undo);
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.contextOf("disk0")).isNull();
    }

    @Test
    void aRefusalThatNoRePlugSolvesIsAnError() throws Exception {
        FakeBlockVm vm = attach(vm(false));
        vm.failing.put("x-blockdev-set-iothread", "Cannot find iothread iothread1");
        run(() -> moves.drop("backend:drive0", "iothread1"));
        awaitNotice(Notice.Kind.ERROR);
        assertThat(notice().text()).isEqualTo("Could not move drive0 (vblk0) to iothread1: Cannot find iothread iothread1");
        assertThat(fx(() -> moves.planProperty().get())).isNull();
    }

    @Test
    void aLaneChosenFromAMenuMovesTheDriveAsADropDoesAndUndoTakesItBack() throws Exception {
        FakeBlockVm vm = attach(vm(true));
        MoveChoices c = fx(() -> moves.choices("backend:drive0")).orElseThrow();
        assertThat(c.label()).isEqualTo("drive0 (vblk0)");
        assertThat(c.targets()).containsExactly(new MoveChoices.Target(null, false),
                new MoveChoices.Target("iothread0", true), new MoveChoices.Target("iothread1", false));
        assertThat(fx(() -> moves.choices("node:null0"))).as("inside a chain").isEmpty();

        MoveChoices.Target mainLoop = c.targets().get(0);
        run(() -> moves.drop(c.key(), mainLoop.iothread()));
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.asked).contains("__dev.blockdeck_device-set-iothread {\"id\":\"vblk0\",\"iothread\":null}");
        assertThat(laneOf("backend:drive0")).isNull();
        assertThat(notice().text()).isEqualTo("Moved drive0 (vblk0) to the main loop.");
        // once drawn there, the menu marks the main loop as its lane
        await("the new layout", () -> moves.choices("backend:drive0").orElseThrow().targets().get(0).current());

        run(edits::undo);
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(vm.linkOf("vblk0")).isEqualTo("iothread0");
    }

    @Test
    void withoutADriveSelectedTheKeyboardSaysWhatToSelect() throws Exception {
        attach(vm(true));
        run(() -> moves.explainNoChoice(null));
        assertThat(notice()).isEqualTo(new Notice(Notice.Kind.INFO, "Select a drive first (its BlockBackend or the top"
                + " node of its chain), then choose its IOThread.", null));
        run(() -> moves.explainNoChoice("node:null0"));
        assertThat(notice()).isEqualTo(new Notice(Notice.Kind.INFO, "Only a drive moves: select its BlockBackend or"
                + " the top node of its chain.", "node:null0"));
    }

    @Test
    void aSecondChangeWaitsForTheFirst() throws Exception {
        FakeBlockVm vm = attach(vm(true));
        java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        run(() -> {
            notices.latestProperty().addListener((o, a, n) -> told.add(n == null ? "" : n.text()));
            moves.drop("node:disk0", "iothread1");
            moves.drop("backend:drive0", "iothread1");
        });
        awaitNotice(Notice.Kind.SUCCESS);
        assertThat(told).containsExactly("Moving disk0 to iothread1…",
                "Another change is still running; try again when it is done.", "Moved disk0 to iothread1.");
        assertThat(vm.count("__dev.blockdeck_device-set-iothread")).isZero();
        assertThat(vm.contextOf("disk0")).isEqualTo("iothread1");
    }
}

package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.robot.Motion;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.blockdeck.app.DragRobot.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moves without the drag, and undoable IOThreads, on a real QEMU 7.2 (started here; skipped without it): the
 * keyboard's choice for a device's drive leads to the re-plug plan as a drop does; a bare node chosen into a lane
 * from its context menu moves through x-blockdev-set-iothread and back with undo; an IOThread created from the UI
 * is deleted by undo (query-iothreads), and an undo that would delete an IOThread a device uses asks first.
 */
@ExtendWith(ApplicationExtension.class)
class QemuKeyboardMoveWindowTest extends AttachedQemuWindow {

    private DragRobot drag;

    @BeforeAll
    static void startVm() throws Exception {
        startQemu("the keyboard move test", List.of(), List.of("-M", "q35", "-S", "-object", "iothread,id=iothread0",
                "-object", "iothread,id=iothread1", "-device", "pcie-root-port,id=rp0,chassis=1",
                "-device", "pcie-root-port,id=rp1,chassis=2",
                "-drive", "if=none,id=drive1,driver=null-co,size=2G",
                "-device", "virtio-blk-pci,id=vblk1,drive=drive1,bus=rp0,serial=data1"));
    }

    @Start
    void start(Stage stage) throws Exception {
        attach(stage);
    }

    @Stop
    void stop() {
        detach();
    }

    private void graph(FxRobot robot, String... keys) throws Exception {
        drag = DragRobot.whenDrawn(robot, keys);
    }

    private Set<String> iothreads() throws Exception {
        Set<String> ids = new HashSet<>();
        vm.execute("query-iothreads", null).forEach(t -> ids.add(t.path("id").asText()));
        return ids;
    }

    private static boolean menuShowing(FxRobot robot) {
        return robot.listWindows().stream().anyMatch(w -> w instanceof ContextMenu && w.isShowing());
    }

    private static String highlighted(FxRobot robot) {
        return robot.listWindows().stream().filter(w -> w instanceof ContextMenu && w.isShowing())
                .map(w -> w.getScene().getFocusOwner()).filter(n -> n != null).map(Node::getId).findFirst().orElse(null);
    }

    /** The context-menu request a desktop sends on a right click (Monocle makes none of its own). */
    private static void rightClick(FxRobot robot, Node target) throws Exception {
        robot.interact(() -> {
            Bounds b = target.localToScreen(target.getBoundsInLocal());
            Point2D local = target.screenToLocal(b.getMinX() + 30, b.getMinY() + 12);
            target.fireEvent(new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED, local.getX(), local.getY(),
                    b.getMinX() + 30, b.getMinY() + 12, false, null));
        });
        waitFor("the menu", 5, () -> menuShowing(robot));
    }

    @Test
    void theKeyboardsChoiceForADevicesDriveShowsThePlan(FxRobot robot) throws Exception {
        graph(robot, "backend:drive1");
        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.F);
        robot.write("drive1").type(KeyCode.ENTER).type(KeyCode.ESCAPE);
        waitFor("drive1 selected", 5, () -> "backend:drive1".equals(app.viewModel().graph().selectionProperty().get()));
        robot.push(KeyCode.SHORTCUT, KeyCode.M);
        // vblk1 has no iothread: the main loop is its lane, iothread0 the first choice
        waitFor("iothread0 highlighted", 5, () -> "chooseMoveTo-iothread0".equals(highlighted(robot)));
        robot.type(KeyCode.DOWN).type(KeyCode.ENTER);

        waitFor("the plan", 20, () -> robot.lookup("#planSteps").tryQuery().isPresent());
        assertThat(robot.lookup("#planSteps").queryAs(TextArea.class).getText())
                .contains("\"id\":\"vblk1\",\"drive\":\"drive1\",\"bus\":\"rp0\",\"addr\":\"00.0\",\"iothread\":\"iothread1\"");
        assertThat(robot.lookup("#planWhy").queryAs(Label.class).getText()).contains("is associated with a BlockBackend");
        assertThat(vm.execute("qom-get", "{\"path\": \"/machine/peripheral/vblk1\", \"property\": \"iothread\"}")
                .asText()).as("QEMU left as it was").isEmpty();
        assertThat(app.viewModel().edits().canUndoProperty().get()).isFalse();
        robot.clickOn("Close");
    }

    @Test
    void aBareNodeMovesFromItsContextMenuAndBackWithUndo(FxRobot robot) throws Exception {
        vm.execute("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"kbd0\"}");
        robot.clickOn("#graphRefresh");
        graph(robot, "node:kbd0");
        rightClick(robot, drag.card("node:kbd0"));
        robot.clickOn("#cardMoveMenu");
        waitFor("the lanes", 5, () -> robot.lookup("#moveTo-iothread1").tryQuery().isPresent());
        robot.clickOn("#moveTo-iothread1", Motion.HORIZONTAL_FIRST);
        waitFor("the card in iothread1", 20, () -> "iothread1".equals(drag.drawnLane("node:kbd0")));
        waitFor("the notice", 10, () -> drag.notice().startsWith("Moved kbd0 to iothread1"));

        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.Z);
        waitFor("the card back", 20, () -> "main-loop".equals(drag.drawnLane("node:kbd0")));
        assertThat(app.viewModel().wireTrace().all().stream().filter(e -> e.sent()).map(e -> e.json())
                .filter(j -> j.contains("x-blockdev-set-iothread") && j.contains("kbd0")).toList())
                .hasSize(2).last().asString().contains("\"iothread\": null");
        vm.execute("blockdev-del", "{\"node-name\": \"kbd0\"}");
    }

    @Test
    void anIothreadCreatedFromTheUiIsDeletedByUndoAndAnUndoQemuWouldRegretAsksFirst(FxRobot robot) throws Exception {
        graph(robot, "backend:drive1");
        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.SHIFT, KeyCode.N);
        waitFor("the dialog", 10, () -> robot.lookup("#iothreadId").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#iothreadId").queryTextInputControl().setText("kbd.io"));
        robot.clickOn("#iothreadCreate");
        waitFor("the new iothread", 20, () -> iothreads().contains("kbd.io"));
        waitFor("its lane", 20, () -> drag.lane("kbd.io") != null);

        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.Z);
        waitFor("the undo to delete it", 20, () -> !iothreads().contains("kbd.io"));
        waitFor("its lane gone", 20, () -> drag.lane("kbd.io") == null);

        // again, and a device is plugged into it by another client: QEMU 7.2 would delete the object under it
        robot.push(KeyCode.SHORTCUT, KeyCode.SHIFT, KeyCode.Z);
        waitFor("the redo", 20, () -> iothreads().contains("kbd.io"));
        vm.execute("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"kbd1\"}");
        vm.execute("device_add", "{\"driver\": \"virtio-blk-pci\", \"id\": \"vkbd\", \"drive\": \"kbd1\","
                + " \"iothread\": \"kbd.io\", \"bus\": \"rp1\"}");
        robot.clickOn("#graphRefresh");
        waitFor("the device's drive in its lane", 20, () -> drag.card("node:kbd1") != null
                && "kbd.io".equals(drag.drawnLane("node:kbd1")));

        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.Z);
        waitFor("the warning", 10, () -> robot.lookup("#deleteIothreadAlert").tryQuery().isPresent());
        assertThat(robot.lookup("#deleteIothreadAlert .content").queryAs(Label.class).getText())
                .startsWith("IOThread kbd.io is linked by vkbd.");
        robot.clickOn("Cancel");
        waitFor("the warning closed", 5, () -> robot.lookup("#deleteIothreadAlert").tryQuery().isEmpty());
        JsonNode still = vm.execute("query-iothreads", null);
        assertThat(still.toString()).contains("\"kbd.io\"");
        assertThat(app.viewModel().edits().canUndoProperty().get()).as("still to undo").isTrue();
    }
}

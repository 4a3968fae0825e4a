package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.blockdeck.app.session.Scenario;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.TextField;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.robot.Motion;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;


import static dev.blockdeck.app.DragRobot.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving drives without the mouse's drag, and IOThreads in the undo history, on the embedded engine (the demo
 * scenario): the keyboard (Find, Shortcut+M, arrows, Enter), a card's context menu, and Edit › Undo / Redo of an
 * IOThread created from the toolbar and deleted from its lane's menu. Checked through a second QMP monitor the
 * test adds to the scenario.
 */
@ExtendWith(ApplicationExtension.class)
class KeyboardMoveWindowTest extends ControlledScenarioWindow {

    private DragRobot drag;

    @Start
    void start(Stage stage) throws Exception {
        open(stage, "keys", Scenario.load("demo").text());
    }

    @Stop
    void stop() {
        detach();
    }

    private void connect(FxRobot robot) throws Exception {
        drag = DragRobot.whenDrawn(robot, "backend:drive1", "node:disk0");
        connectControl();
    }

    /** query-iothreads' entry of {@code id}, or null when it lists none. */
    private JsonNode iothread(String id) throws Exception {
        for (JsonNode t : qmp("query-iothreads", null)) {
            if (id.equals(t.path("id").asText())) {
                return t;
            }
        }
        return null;
    }

    private static boolean menuShowing(FxRobot robot) {
        return robot.listWindows().stream().anyMatch(w -> w instanceof ContextMenu && w.isShowing());
    }

    /** The id of the item the open menu highlights (its scene's focus owner), or null. */
    private static String highlighted(FxRobot robot) {
        return robot.listWindows().stream().filter(w -> w instanceof ContextMenu && w.isShowing())
                .map(w -> w.getScene().getFocusOwner()).filter(n -> n != null).map(Node::getId).findFirst().orElse(null);
    }

    /** A menu item's node is styled :disabled when its item is off. */
    private static boolean disabled(Node menuItem) {
        return menuItem.getPseudoClassStates().contains(PseudoClass.getPseudoClass("disabled"));
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
    void theKeyboardMovesTheSelectedDriveAndUndoMovesItBack(FxRobot robot) throws Exception {
        connect(robot);
        assertThat(link("vblk1")).isEqualTo("/objects/iothread1");

        // Shortcut+M with nothing selected: a notice says what to select
        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.M);
        waitFor("the hint", 5, () -> drag.notice().startsWith("Select a drive first"));
        assertThat(menuShowing(robot)).isFalse();

        // Find selects drive1 from the keyboard; Esc leaves the field
        robot.push(KeyCode.SHORTCUT, KeyCode.F);
        robot.write("drive1").type(KeyCode.ENTER).type(KeyCode.ESCAPE);
        waitFor("drive1 selected", 5, () -> "backend:drive1".equals(app.viewModel().graph().selectionProperty().get()));

        robot.push(KeyCode.SHORTCUT, KeyCode.M);
        waitFor("the chooser", 5, () -> menuShowing(robot));
        // main loop, iothread0, iothread1 (here, off): the first lane it can go to has the keyboard
        assertThat(disabled(robot.lookup("#chooseMoveTo-iothread1").query())).isTrue();
        waitFor("the main loop highlighted", 5, () -> "chooseMoveTo-main-loop".equals(highlighted(robot)));
        robot.type(KeyCode.DOWN);
        assertThat(highlighted(robot)).isEqualTo("chooseMoveTo-iothread0");
        robot.type(KeyCode.ENTER);
        waitFor("the move", 20, () -> "/objects/iothread0".equals(link("vblk1")));
        waitFor("the card in its new lane", 20, () -> "iothread0".equals(drag.drawnLane("backend:drive1")));
        waitFor("the notice", 10, () -> drag.notice().equals("Moved drive1 (vblk1) to iothread0."));

        robot.push(KeyCode.SHORTCUT, KeyCode.Z);
        waitFor("the undo", 20, () -> "/objects/iothread1".equals(link("vblk1")));
        waitFor("the card back", 20, () -> "iothread1".equals(drag.drawnLane("backend:drive1")));

        // Esc closes the chooser without moving
        robot.push(KeyCode.SHORTCUT, KeyCode.M);
        waitFor("the chooser", 5, () -> menuShowing(robot));
        robot.type(KeyCode.ESCAPE);
        waitFor("the chooser closed", 5, () -> !menuShowing(robot));
        assertThat(link("vblk1")).isEqualTo("/objects/iothread1");
    }

    @Test
    void aCardsContextMenuMovesItsChain(FxRobot robot) throws Exception {
        connect(robot);
        assertThat(context("disk0")).isEqualTo("main-loop");
        rightClick(robot, drag.card("node:disk0"));
        robot.clickOn("#cardMoveMenu");
        waitFor("the lanes", 5, () -> robot.lookup("#moveTo-iothread1").tryQuery().isPresent());
        assertThat(disabled(robot.lookup("#moveTo-main-loop").query())).as("where it is").isTrue();
        // sideways first, as a hand does: crossing the other items would close the submenu
        robot.clickOn("#moveTo-iothread1", Motion.HORIZONTAL_FIRST);
        waitFor("the move", 20, () -> "iothread1".equals(context("disk0")));
        assertThat(context("null0")).as("its file child moves along").isEqualTo("iothread1");
        waitFor("the cards in their new lane", 20, () -> "iothread1".equals(drag.drawnLane("node:disk0"))
                && "iothread1".equals(drag.drawnLane("node:null0")));

        // the transaction composer's items are still on the menu, under the move
        drag.settled();
        rightClick(robot, drag.card("node:disk0"));
        assertThat(robot.lookup("#txnAdd-blockdev-snapshot-sync").tryQuery()).isPresent();
        robot.type(KeyCode.ESCAPE);

        // Edit › Move to IOThread offers the same lanes for the selected card
        robot.clickOn("Edit");
        robot.clickOn("#moveMenu");
        waitFor("the Edit submenu", 5, () -> robot.lookup("#editMoveTo-main-loop").tryQuery().isPresent());
        robot.clickOn("#editMoveTo-main-loop", Motion.HORIZONTAL_FIRST);
        waitFor("back in the main loop", 20, () -> "main-loop".equals(context("disk0")));
    }

    @Test
    void anIothreadCreatedOrDeletedFromTheUiIsUndoneAndRedone(FxRobot robot) throws Exception {
        connect(robot);
        robot.clickOn("#graphAddIothread");
        waitFor("the dialog", 10, () -> robot.lookup("#iothreadId").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#iothreadId").queryAs(TextField.class).setText("io.keys"));
        robot.clickOn("#iothreadCreate");
        waitFor("the new iothread", 20, () -> iothread("io.keys") != null);
        waitFor("its lane", 20, () -> drag.lane("io.keys") != null);

        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.Z);
        waitFor("the undo to delete it", 20, () -> iothread("io.keys") == null);
        waitFor("its lane gone", 20, () -> drag.lane("io.keys") == null);
        waitFor("the notice", 10, () -> drag.notice().equals("Undone: IOThread io.keys is deleted again."));

        robot.push(KeyCode.SHORTCUT, KeyCode.Y);
        waitFor("the redo", 20, () -> iothread("io.keys") != null);

        // deleted from its lane's menu, after another client tuned it: the undo brings it back as it was
        qmp("qom-set", JsonNodeFactory.instance.objectNode().put("path", "/objects/io.keys")
                .put("property", "poll-max-ns").put("value", 12345));
        qmp("qom-set", JsonNodeFactory.instance.objectNode().put("path", "/objects/io.keys")
                .put("property", "poll-grow").put("value", 4));
        waitFor("its lane", 20, () -> drag.lane("io.keys") != null);
        drag.settled();
        rightClick(robot, drag.lane("io.keys"));
        robot.clickOn("#laneDeleteIothread");
        waitFor("the deletion", 20, () -> iothread("io.keys") == null);
        waitFor("the lane gone", 20, () -> drag.lane("io.keys") == null);

        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.Z);
        waitFor("the undo to create it again", 20, () -> iothread("io.keys") != null);
        JsonNode back = iothread("io.keys");
        assertThat(back.path("poll-max-ns").asLong()).isEqualTo(12345);
        assertThat(back.path("poll-grow").asLong()).isEqualTo(4);
        waitFor("the notice", 10, () -> drag.notice().startsWith("Undone: IOThread io.keys is back (poll-max-ns 12345,"
                + " poll-grow 4,"));
    }

    @Test
    void anIothreadInUseIsNotDeletedAndTheLaneSaysWhy(FxRobot robot) throws Exception {
        connect(robot);
        // another client makes an iothread and moves a chain into it: the engine refuses to delete it now
        qmp("object-add", JsonNodeFactory.instance.objectNode().put("qom-type", "iothread").put("id", "busy"));
        qmp("x-blockdev-set-iothread", JsonNodeFactory.instance.objectNode().put("node-name", "disk0")
                .put("iothread", "busy"));
        robot.clickOn("#graphRefresh");
        waitFor("its lane with disk0", 20, () -> "busy".equals(drag.drawnLane("node:disk0")));
        drag.settled();

        rightClick(robot, drag.lane("busy"));
        robot.clickOn("#laneDeleteIothread");
        waitFor("the refusal", 20, () -> drag.notice().startsWith("object-del refused to delete busy: "));
        assertThat(drag.notice()).contains("object 'busy' is in use, can not be deleted");
        assertThat(iothread("busy")).isNotNull();
        // shown on the lane that was asked about
        WaitForAsyncUtils.waitForFxEvents();
        Node bubble = robot.lookup("#graphNoticeBubble").query();
        Node lane = drag.lane("busy");
        Bounds b = bubble.localToScreen(bubble.getBoundsInLocal());
        Bounds l = lane.localToScreen(lane.getBoundsInLocal());
        assertThat(b.getMinY()).isBetween(l.getMinY() - b.getHeight() - 20, l.getMaxY() + 20);
        assertThat(app.viewModel().edits().canUndoProperty().get()).as("nothing was done").isFalse();
    }
}

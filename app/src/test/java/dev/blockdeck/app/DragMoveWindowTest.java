package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.blockdeck.app.session.Scenario;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;


import static dev.blockdeck.app.DragRobot.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drag a drive to another lane on the embedded engine (the demo scenario), and undo it: checked through a second
 * QMP monitor the test adds to the scenario (qom-get of the device's iothread link, the engine's AioContext report).
 */
@ExtendWith(ApplicationExtension.class)
class DragMoveWindowTest extends ControlledScenarioWindow {

    private DragRobot drag;

    @Start
    void start(Stage stage) throws Exception {
        open(stage, "drag", Scenario.load("demo").text());
    }

    @Stop
    void stop() {
        detach();
    }

    private void connect(FxRobot robot) throws Exception {
        drag = DragRobot.whenDrawn(robot, "backend:drive1", "node:disk0");
        connectControl();
    }

    /** The node under drive1 (an auto-named #blockNNN). */
    private String driveRoot(String drive) throws Exception {
        for (JsonNode bb : qmp("query-block", null)) {
            if (drive.equals(bb.path("device").asText())) {
                return bb.path("inserted").path("node-name").asText();
            }
        }
        throw new AssertionError("no " + drive);
    }

    @Test
    void draggingADeviceDriveMovesItLiveAndUndoMovesItBack(FxRobot robot) throws Exception {
        connect(robot);
        String root = driveRoot("drive1");
        assertThat(link("vblk1")).isEqualTo("/objects/iothread1");
        assertThat(drag.drawnLane("backend:drive1")).isEqualTo("iothread1");

        drag.dragToLane("backend:drive1", "iothread0");
        waitFor("the move", 20, () -> "/objects/iothread0".equals(link("vblk1")));
        assertThat(context(root)).isEqualTo("iothread0");
        waitFor("the card in its new lane", 20, () -> "iothread0".equals(drag.drawnLane("backend:drive1"))
                && "iothread0".equals(drag.drawnLane("node:" + root)));
        waitFor("the notice", 10, () -> drag.notice().equals("Moved drive1 (vblk1) to iothread0."));

        // Edit › Undo, by its shortcut, once the graph has the focus
        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.Z);
        waitFor("the undo", 20, () -> "/objects/iothread1".equals(link("vblk1")));
        assertThat(context(root)).isEqualTo("iothread1");
        waitFor("the card back", 20, () -> "iothread1".equals(drag.drawnLane("backend:drive1")));
        waitFor("the undo notice", 10, () -> drag.notice().equals("Undone: drive1 (vblk1) is back in iothread1."));

        robot.push(KeyCode.SHORTCUT, KeyCode.Y);
        waitFor("the redo", 20, () -> "/objects/iothread0".equals(link("vblk1")));
    }

    @Test
    void draggingABareNodeMovesItsChainAndTheSameLaneDoesNothing(FxRobot robot) throws Exception {
        connect(robot);
        assertThat(context("disk0")).isEqualTo("main-loop");
        drag.dragToLane("node:disk0", "main-loop");
        drag.settled();
        assertThat(context("disk0")).isEqualTo("main-loop");
        assertThat(drag.notice()).isEmpty();

        drag.dragToLane("node:disk0", "iothread1");
        waitFor("the move", 20, () -> "iothread1".equals(context("disk0")));
        assertThat(context("null0")).as("its file child moves along").isEqualTo("iothread1");
        waitFor("the cards in their new lane", 20, () -> "iothread1".equals(drag.drawnLane("node:disk0"))
                && "iothread1".equals(drag.drawnLane("node:null0")));
        assertThat(drag.drawnLane("node:disk1")).isEqualTo("main-loop");
    }

    @Test
    void aMoveTheEngineRefusesIsShownOverTheGraph(FxRobot robot) throws Exception {
        connect(robot);
        // a user of the chain the graph cannot see: the engine refuses the move with its reason
        qmp("object-del", JsonNodeFactory.instance.objectNode().put("id", "iothread0"));
        drag.dragToLane("node:disk1", "iothread0");
        waitFor("the refusal", 20, () -> drag.notice().startsWith("Could not move disk1 to iothread0: "));
        assertThat(drag.notice()).isEqualTo("Could not move disk1 to iothread0: Cannot find iothread iothread0");
        assertThat(context("disk1")).isEqualTo("main-loop");
    }
}

package dev.blockdeck.app;

import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;

import static dev.blockdeck.app.IoWindowTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** Find in the graph (Shortcut+F) on the demo VM: marks the cards whose name matches, Enter selects them in turn. */
@ExtendWith(ApplicationExtension.class)
class GraphFindWindowTest {

    private MainApp app;

    @Start
    void start(Stage stage) throws Exception {
        app = new MainApp(AppOptions.parse(List.of()));
        app.start(stage);
    }

    @Stop
    void stop() {
        app.stop();
    }

    /** The marked cards, by node-name (block nodes) or key (BlockBackends). */
    private static List<Object> marked(FxRobot robot) {
        return robot.lookup(".node-card.find-match").queryAll().stream()
                .map(n -> n.getUserData() != null ? n.getUserData() : n.getProperties().get("blockdeck.key")).toList();
    }

    @Test
    void findsMarksAndSelectsByName(FxRobot robot) throws Exception {
        waitFor("the demo graph", 30, () -> robot.lookup(".node-card").queryAll().size() >= 6);
        assertThat(robot.lookup("#graphFindBar").query().isVisible()).isFalse();

        robot.push(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN));
        assertThat(robot.lookup("#graphFindBar").query().isVisible()).isTrue();
        assertThat(robot.lookup("#graphFindField").query().isFocused()).isTrue();
        robot.write("NULL");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(marked(robot)).containsExactlyInAnyOrder("null0", "null1");
        assertThat(robot.lookup("#graphFindCount").queryLabeled().getText()).isEqualTo("2 matches");

        // Enter selects the first (top to bottom), as a click would: the inspector follows
        robot.type(KeyCode.ENTER);
        waitFor("null0 selected", 5, () -> "node:null0".equals(app.viewModel().graph().selectionProperty().get()));
        assertThat(robot.lookup("#graphFindCount").queryLabeled().getText()).isEqualTo("1 of 2");
        robot.type(KeyCode.ENTER);
        waitFor("null1 selected", 5, () -> "node:null1".equals(app.viewModel().graph().selectionProperty().get()));

        // a BlockBackend is found by its name and by its device's id
        robot.eraseText(4).write("drive");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(marked(robot)).containsExactlyInAnyOrder("backend:drive0", "backend:drive1");
        robot.eraseText(5).write("vblk1");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(marked(robot)).containsExactly("backend:drive1");
        robot.eraseText(5).write("nothing-like-it");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(marked(robot)).isEmpty();
        assertThat(robot.lookup("#graphFindCount").queryLabeled().getText()).isEqualTo("no match");

        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#graphFindBar").query().isVisible()).isFalse();
        assertThat(marked(robot)).isEmpty();
    }
}

package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.viewmodel.QmpConsoleViewModel;
import dev.blockdeck.app.viewmodel.QmpConsoleViewModel.Kind;
import dev.blockdeck.app.view.GraphCanvas;
import dev.blockdeck.app.view.Minimap;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The 1,000-node stress VM in the real window on the embedded engine (headless under Monocle): the graph
 * holds exactly what query-named-block-nodes lists (asked through the window's own QMP console), the far view
 * is the painted overview with no card nodes, zoomed in only the cards near the view exist, the minimap moves
 * the view, and find brings a node into view.
 */
@ExtendWith(ApplicationExtension.class)
class StressGraphWindowTest {

    private MainApp app;

    @Start
    void start(Stage stage) throws Exception {
        app = new MainApp(AppOptions.parse(List.of("--scenario", "stress-1000")));
        app.start(stage);
    }

    @Stop
    void stop() {
        app.stop();
    }

    private static GraphCanvas canvas(FxRobot robot) {
        return robot.lookup("#graphCanvas").queryAs(GraphCanvas.class);
    }

    private GraphLayout waitForGraph(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> canvas(robot).graphLayout() != null
                && canvas(robot).graphLayout().nodes().size() == 1024 && !robot.lookup("#graphProgress").query().isVisible());
        WaitForAsyncUtils.waitForFxEvents();
        return canvas(robot).graphLayout();
    }

    /** query-named-block-nodes typed into the window's QMP console; the node-names of its answer. */
    private List<String> namedNodesFromTheConsole(FxRobot robot) throws Exception {
        QmpConsoleViewModel console = app.viewModel().qmpConsole();
        int before = console.transcript().size();
        robot.interact(() -> {
            console.inputProperty().set("{\"execute\": \"query-named-block-nodes\", \"arguments\": {\"flat\": true}}");
            console.submit();
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> console.transcript().stream().skip(before)
                .anyMatch(e -> e.kind() == Kind.RETURN));
        String body = console.transcript().stream().skip(before).filter(e -> e.kind() == Kind.RETURN).findFirst()
                .orElseThrow().body();
        List<String> names = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(body)) {
            names.add(n.path("node-name").asText());
        }
        return names;
    }

    private static Set<Node> cards(FxRobot robot) {
        return robot.lookup(".node-card").queryAll();
    }

    @Test
    void theGraphHoldsExactlyTheThousandNamedNodesInSevenLanes(FxRobot robot) throws Exception {
        GraphLayout layout = waitForGraph(robot);
        List<String> named = namedNodesFromTheConsole(robot);
        assertThat(named).hasSize(1000).doesNotHaveDuplicates();
        List<String> drawn = layout.nodes().stream().filter(p -> p.node().isBlockNode()).map(p -> p.node().name()).toList();
        assertThat(drawn).containsExactlyInAnyOrderElementsOf(named);
        assertThat(layout.lanes()).extracting(b -> b.lane().id()).containsExactly("main-loop", "iothread0", "iothread1",
                "iothread2", "iothread3", "iothread4", "iothread5");
        assertThat(robot.lookup(".lane").queryAll()).hasSize(7);
        assertThat(robot.lookup("#graphSummary").queryAs(Label.class).getText()).startsWith("1000 nodes · 7 contexts");
        // every card inside its lane's band
        for (PlacedNode p : layout.nodes()) {
            var band = layout.lanes().stream().filter(b -> b.lane().id().equals(p.laneId())).findFirst().orElseThrow();
            assertThat(p.y()).isBetween(band.y(), band.y() + band.height() - p.height());
        }
    }

    @Test
    void farOutItIsAPaintedOverviewAndZoomedInOnlyNearbyCardsExist(FxRobot robot) throws Exception {
        waitForGraph(robot);
        GraphCanvas canvas = canvas(robot);
        // fitted: the whole graph at a few percent, painted, no card nodes at all
        assertThat(canvas.getZoom()).isLessThan(0.2);
        assertThat(robot.lookup("#graphOverview").query().isVisible()).isTrue();
        assertThat(cards(robot)).isEmpty();
        assertThat(robot.lookup("#graphMinimap").query().isVisible()).as("all in view: no minimap").isFalse();

        robot.interact(() -> canvas.zoomTo(1.0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#graphOverview").query().isVisible()).isFalse();
        Set<Node> near = cards(robot);
        assertThat(near).isNotEmpty().hasSizeLessThan(200);
        Bounds view = canvas.viewportProperty().get();
        for (Node card : near) {
            Bounds b = card.getBoundsInParent();
            assertThat(b.getMaxX()).isGreaterThan(view.getMinX() - 400);
            assertThat(b.getMinX()).isLessThan(view.getMaxX() + 400);
            assertThat(b.getMaxY()).isGreaterThan(view.getMinY() - 400);
            assertThat(b.getMinY()).isLessThan(view.getMaxY() + 400);
        }
        assertThat(robot.lookup("#graphMinimap").query().isVisible()).isTrue();
    }

    @Test
    void theMinimapMovesTheViewWhereItIsClickedAndDragged(FxRobot robot) throws Exception {
        GraphLayout layout = waitForGraph(robot);
        GraphCanvas canvas = canvas(robot);
        robot.interact(() -> canvas.zoomTo(1.0));
        WaitForAsyncUtils.waitForFxEvents();
        Minimap minimap = robot.lookup("#graphMinimap").queryAs(Minimap.class);
        assertThat(minimap.isVisible()).isTrue();
        Bounds map = minimap.localToScreen(minimap.getBoundsInLocal());

        // click at 80 % across, 70 % down: the view's centre goes to that point of the graph
        robot.clickOn(map.getMinX() + 0.8 * map.getWidth(), map.getMinY() + 0.7 * map.getHeight(), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        Bounds v = canvas.viewportProperty().get();
        assertThat(v.getCenterX() / layout.width()).isCloseTo(0.8, within(0.04));
        assertThat(v.getCenterY() / layout.height()).isCloseTo(0.7, within(0.05));
        long shownThere = cards(robot).stream().filter(c -> c.getBoundsInParent().intersects(v)).count();
        assertThat(shownThere).as("cards made where the view went").isGreaterThan(0);

        // drag from 20 % to 40 % across: the view follows the pointer
        robot.drag(map.getMinX() + 0.2 * map.getWidth(), map.getMinY() + 0.3 * map.getHeight(), MouseButton.PRIMARY)
                .moveTo(map.getMinX() + 0.4 * map.getWidth(), map.getMinY() + 0.3 * map.getHeight())
                .release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(canvas.viewportProperty().get().getCenterX() / layout.width()).isCloseTo(0.4, within(0.04));
        assertThat(robot.lookup("#graphZoom").queryAs(Label.class).getText()).isEqualTo("100 %");
    }

    @Test
    void findSelectsAndCentresANodeThatWasNeverDrawn(FxRobot robot) throws Exception {
        waitForGraph(robot);
        GraphCanvas canvas = canvas(robot);
        assertThat(robot.lookup("#card-node_s250-dbg").tryQuery()).isEmpty();
        robot.press(KeyCode.CONTROL).press(KeyCode.F).release(KeyCode.F).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        robot.write("s250-dbg").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        Node card = robot.lookup("#card-node_s250-dbg").query();
        assertThat(card.getStyleClass()).contains("selected");
        assertThat(canvas.getZoom()).isGreaterThanOrEqualTo(0.45);
        Bounds v = canvas.viewportProperty().get();
        // (the card's bounds include its shadow and selection border: a few pixels)
        assertThat(card.getBoundsInParent().getCenterX()).isCloseTo(v.getCenterX(), within(10.0));
        assertThat(card.getBoundsInParent().getCenterY()).isCloseTo(v.getCenterY(), within(10.0));
        assertThat(robot.lookup("#graphFindCount").queryAs(Label.class).getText()).isEqualTo("1 of 1");
        assertThat(app.viewModel().graph().selectionProperty().get()).isEqualTo("node:s250-dbg");
        assertThat(cards(robot).stream().map(Node::getUserData).collect(Collectors.toSet())).contains("s250-dbg");
    }
}

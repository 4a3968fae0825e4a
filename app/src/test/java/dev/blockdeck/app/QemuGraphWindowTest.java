package dev.blockdeck.app;

import javafx.geometry.Bounds;
import javafx.geometry.VerticalDirection;
import javafx.scene.input.MouseButton;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The console attached to a real QEMU 7.2 (started here; skipped without qemu-system-x86_64): the graph
 * shows exactly the nodes query-named-block-nodes lists, each in the lane the app can justify.
 */
@ExtendWith(ApplicationExtension.class)
class QemuGraphWindowTest extends AttachedQemuWindow {


    @BeforeAll
    static void startVm() throws Exception {
        startQemu("the graph test", List.of(QemuVm.image("base-a.qcow2", "64M"), QemuVm.image("overlay-a.qcow2", "64M"),
                        QemuVm.image("base-b.qcow2", "32M"), QemuVm.image("overlay-b.qcow2", "32M", "base-b.qcow2"),
                        QemuVm.image("data.qcow2", "16M")),
                List.of("-M", "q35", "-S", "-object", "iothread,id=iothread0", "-object", "iothread,id=iothread1",
                        "-blockdev", "driver=file,node-name=base-a-file,filename=$DIR/base-a.qcow2",
                        "-blockdev", "driver=qcow2,node-name=base-a,file=base-a-file,read-only=on",
                        "-blockdev", "driver=file,node-name=overlay-a-file,filename=$DIR/overlay-a.qcow2",
                        "-blockdev", "driver=qcow2,node-name=overlay-a,file=overlay-a-file,backing=base-a",
                        "-device", "virtio-blk-pci,id=vblk0,drive=overlay-a,iothread=iothread0",
                        "-drive", "if=none,id=drive-data,file=$DIR/data.qcow2,format=qcow2,node-name=data"));
        // a chain whose backing is opened from the header (auto-named nodes), moved where QMP cannot see it
        vm.execute("blockdev-add", "{\"driver\": \"qcow2\", \"node-name\": \"overlay-b\", \"file\": {\"driver\": \"file\","
                + " \"filename\": \"" + vm.dir().resolve("overlay-b.qcow2") + "\"}}");
        vm.execute("x-blockdev-set-iothread", "{\"node-name\": \"overlay-b\", \"iothread\": \"iothread1\"}");
        vm.execute("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"null0\"}");
    }

    @Start
    void start(Stage stage) throws Exception {
        attach(stage);
    }

    @Stop
    void stop() {
        detach();
    }

    private static Set<Node> cards(FxRobot robot) {
        return robot.lookup(".node-card").queryAll();
    }

    private static Node lane(FxRobot robot, String id) {
        return robot.lookup(".lane").match(n -> id.equals(n.getUserData())).query();
    }

    /** The card's block node name → the lane it is drawn in, by geometry (the card lies within the band). */
    private static Map<String, String> lanesByGeometry(FxRobot robot) {
        Set<Node> lanes = robot.lookup(".lane").queryAll();
        Map<String, String> result = new TreeMap<>();
        for (Node card : cards(robot)) {
            Bounds c = card.localToScene(card.getBoundsInLocal());
            for (Node lane : lanes) {
                Node band = ((Group) lane).getChildren().get(0);
                Bounds b = band.localToScene(band.getBoundsInLocal());
                if (c.getMinY() >= b.getMinY() && c.getMaxY() <= b.getMaxY() && c.getMinX() >= b.getMinX()) {
                    result.put(card.getUserData() != null ? (String) card.getUserData()
                            : "backend " + ((Label) robot.from(card).lookup(".card-title").query()).getText(), (String) lane.getUserData());
                }
            }
        }
        return result;
    }

    @Test
    void theGraphHoldsExactlyTheNamedNodesInTheirLanes(FxRobot robot) throws Exception {
        List<String> named = vm.namedNodes();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> cards(robot).size() == named.size() + 2);

        Set<Object> shown = cards(robot).stream().map(Node::getUserData).filter(o -> o != null).collect(Collectors.toSet());
        assertThat(shown).containsExactlyInAnyOrderElementsOf(named);

        // a second read (QEMU's start-up events) may animate cards to their places: wait until every card has landed
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(() -> lanesByGeometry(robot).size()).get() == named.size() + 2);
        Map<String, String> lanes = WaitForAsyncUtils.asyncFx(() -> lanesByGeometry(robot)).get();
        assertThat(lanes).hasSize(named.size() + 2);
        // vblk0 links to iothread0: its whole component is drawn there (assumed: the guest never ran)
        for (String n : List.of("overlay-a", "overlay-a-file", "base-a", "base-a-file", "backend vblk0")) {
            assertThat(lanes).containsEntry(n, "iothread0");
        }
        // QEMU does not report x-blockdev-set-iothread: overlay-b is drawn in the main loop, flagged as assumed
        for (String n : List.of("overlay-b", "null0", "data", "backend drive-data")) {
            assertThat(lanes).containsEntry(n, "main-loop");
        }
        assertThat(lanes).doesNotContainValue("iothread1");
        assertThat(robot.from(lane(robot, "main-loop")).lookup(".lane-badge").queryAll()).hasSize(1);
        assertThat(robot.from(lane(robot, "iothread0")).lookup(".lane-badge").queryAll()).hasSize(1);
        assertThat(robot.from(lane(robot, "iothread1")).lookup(".lane-empty").queryAs(Label.class).getText())
                .contains("does not report AioContexts");
    }

    /** Wheel zoom keeps the point under the cursor in place, a drag pans, Fit brings back the first view. */
    @Test
    void zoomAroundTheCursorPanAndFit(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> cards(robot).stream().anyMatch(c -> "base-a".equals(c.getUserData())));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#graphProgress").query().isVisible());
        WaitForAsyncUtils.waitForFxEvents();
        Node card = cards(robot).stream().filter(c -> "base-a".equals(c.getUserData())).findFirst().orElseThrow();
        String fitted = robot.lookup("#graphZoom").queryAs(Label.class).getText();
        Bounds before = card.localToScreen(card.getBoundsInLocal());

        // enough wheel to change a small card by well over a pixel (the graph shares the window with the inspector and the tabs)
        robot.moveTo(card).scroll(40, VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        Bounds zoomed = card.localToScreen(card.getBoundsInLocal());
        assertThat(robot.lookup("#graphZoom").queryAs(Label.class).getText()).isNotEqualTo(fitted);
        assertThat(zoomed.getWidth()).isNotCloseTo(before.getWidth(), within(1.0));
        assertThat(zoomed.getCenterX()).isCloseTo(before.getCenterX(), within(2.0));
        assertThat(zoomed.getCenterY()).isCloseTo(before.getCenterY(), within(2.0));

        Bounds canvas = robot.lookup("#graphCanvas").query().localToScreen(robot.lookup("#graphCanvas").query().getBoundsInLocal());
        robot.drag(canvas.getMaxX() - 30, canvas.getMaxY() - 30, MouseButton.PRIMARY).moveBy(-40, -25).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        Bounds panned = card.localToScreen(card.getBoundsInLocal());
        assertThat(panned.getMinX() - zoomed.getMinX()).isCloseTo(-40, within(2.0));
        assertThat(panned.getMinY() - zoomed.getMinY()).isCloseTo(-25, within(2.0));

        robot.clickOn("#graphFit");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#graphZoom").queryAs(Label.class).getText()).isEqualTo(fitted);
        assertThat(card.localToScreen(card.getBoundsInLocal()).getMinX()).isCloseTo(before.getMinX(), within(1.0));
    }

    @Test
    void clickingACardShowsWhatIsKnownAboutIt(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> cards(robot).stream().anyMatch(c -> "overlay-b".equals(c.getUserData())));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#graphProgress").query().isVisible());
        WaitForAsyncUtils.waitForFxEvents();
        Node card = cards(robot).stream().filter(c -> "overlay-b".equals(c.getUserData())).findFirst().orElseThrow();
        assertThat(card.getScene()).as("card %s in a window", card).isNotNull();
        robot.clickOn(card);
        WaitForAsyncUtils.waitForFxEvents();
        String details = robot.lookup("#graphDetails").queryAs(Label.class).getText();
        assertThat(details).contains("node overlay-b (qcow2, format)", "overlay-b.qcow2", "assumed");
        assertThat(card.getStyleClass()).contains("selected");
    }
}

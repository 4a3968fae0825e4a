package dev.blockdeck.app;

import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.txn.ActionKind;
import dev.blockdeck.app.txn.TxnRecord;
import dev.blockdeck.app.txn.TxnTrace;
import dev.blockdeck.app.viewmodel.ActionRow;
import dev.blockdeck.engine.img.ImgMain;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction composer and timeline on the embedded engine, in iotest 202's layout: two qcow2 drives
 * whose nodes sit in one IOThread. Composed with the mouse (a card's context menu, the Add menu), applied,
 * then checked on the graph, the action list and the timeline. Headless under Monocle by default.
 */
@ExtendWith(ApplicationExtension.class)
class TransactionWindowTest {

    private Path dir;
    private MainApp app;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("bd-txn");
        for (int i = 0; i < 2; i++) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = ImgMain.run(List.of("create", "-f", "qcow2", dir.resolve("disk" + i + ".qcow2").toString(), "16M"),
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
            assertThat(rc).as("img create: %s", err).isZero();
        }
        Path scenario = dir.resolve("txn-202.args");
        Files.writeString(scenario, String.join("\n", "-name txn-202", "-M none", "-nodefaults", "-display none",
                "-object iothread,id=iothread0",
                "-drive if=none,id=drive0,node-name=disk0,format=qcow2,file=" + dir.resolve("disk0.qcow2"),
                "-drive if=none,id=drive1,node-name=disk1,format=qcow2,file=" + dir.resolve("disk1.qcow2")) + "\n");
        app = new MainApp(AppOptions.parse(List.of("--scenario", scenario.toString())));
        app.start(stage);
    }

    @Stop
    void stop() throws IOException {
        app.stop();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Both drives' nodes moved to iothread0 (iotest 202 does it over QMP: there is no command-line form). */
    private static TxnRobot in202Layout(FxRobot robot, MainApp app) throws Exception {
        TxnRobot t = new TxnRobot(robot, app);
        TxnRobot.waitFor("the graph", 30, () -> t.card("backend:drive1") != null);
        t.console("x-blockdev-set-iothread node-name=disk0 iothread=iothread0 force=true");
        t.console("x-blockdev-set-iothread node-name=disk1 iothread=iothread0 force=true");
        t.graphReadAgain(() -> robot.clickOn("#graphRefresh"));
        assertThat(t.cards()).containsEntry("node:disk0", "iothread0").containsEntry("node:disk1", "iothread0")
                .containsEntry("backend:drive0", "iothread0");
        return t;
    }

    @Test
    void twoSnapshotsInOneIothreadCommitAndTheirOverlaysAppear(FxRobot robot) throws Exception {
        TxnRobot t = in202Layout(robot, app);
        t.addFromCard("backend:drive0", ActionKind.SNAPSHOT_SYNC);
        assertThat(robot.lookup("#bottomTabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel()
                .getSelectedItem().getId()).as("adding shows the composer").isEqualTo("transactionTab");
        t.addForSelection("backend:drive1", ActionKind.SNAPSHOT_SYNC);
        String snap0 = dir.resolve("disk0-snap1.qcow2").toString();
        String snap1 = dir.resolve("disk1-snap1.qcow2").toString();
        assertThat(t.rows()).extracting(r -> r.action().description())
                .containsExactly("drive0 → " + snap0 + " (qcow2)", "drive1 → " + snap1 + " (qcow2)");

        // the form of the selected (second) action: a required field left empty is marked and blocks Apply
        TextField file = robot.lookup("#txnField-snapshot-file").queryAs(TextField.class);
        assertThat(file.getText()).isEqualTo(snap1);
        robot.interact(() -> file.setText(""));
        assertThat(robot.lookup("#txnApply").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(t.text("#txnProblems")).isEqualTo("#2 snapshot-file is required");
        TxnRobot.waitFor("the validation mark", 5, () -> t.validationMark("snapshot-file is required"));
        robot.interact(file::requestFocus);
        robot.write(snap1);
        assertThat(robot.lookup("#txnApply").queryAs(Button.class).isDisabled()).isFalse();

        TxnRecord r = t.apply();
        assertThat(r.outcome()).isEqualTo(TxnRecord.Outcome.COMMITTED);
        assertThat(t.text("#timelineBanner")).startsWith("✔  COMMITTED · 2 actions · ");
        assertThat(t.text("#txnMessage")).isEqualTo("Committed 2 actions; the graph is read again.");
        assertThat(t.rows()).isEmpty();
        // two rows, each prepared, committed and cleaned, in list order; each drained its node
        assertThat(robot.lookup(".timeline-row").queryAll()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            for (String phase : List.of("prepare", "commit", "clean")) {
                assertThat(t.bar(i, phase)).as("bar %s of action %s", phase, i).isNotNull();
            }
            assertThat(t.bar(i, "abort")).isNull();
        }
        assertThat(t.bar(1, "prepare").getX()).isGreaterThanOrEqualTo(t.bar(0, "prepare").getX());
        assertThat(robot.lookup(".drain-band").queryAll().stream().map(Node::getUserData).toList())
                .containsExactlyInAnyOrder("0:disk0", "1:disk1");
        assertThat(robot.lookup("#timelineNote").tryQuery()).isEmpty();

        // the graph was read again: each drive now has its overlay, in iothread0, over the old image
        TxnRobot.waitFor("the overlays", 15, () -> t.nodeWithFile(snap0) != null && t.nodeWithFile(snap1) != null
                && t.card(t.nodeWithFile(snap1).key()) != null);
        for (String[] drive : new String[][] {{"drive0", snap0, "disk0"}, {"drive1", snap1, "disk1"}}) {
            GraphNode overlay = t.nodeWithFile(drive[1]);
            assertThat(overlay.placement().iothread()).isEqualTo("iothread0");
            assertThat(t.cards()).containsEntry(overlay.key(), "iothread0");
            assertThat(t.state().edges()).extracting(GraphEdge::parentKey, GraphEdge::childKey, GraphEdge::role)
                    .contains(org.assertj.core.groups.Tuple.tuple("backend:" + drive[0], overlay.key(), "root"),
                            org.assertj.core.groups.Tuple.tuple(overlay.key(), "node:" + drive[2], "backing"));
            assertThat(Path.of(drive[1])).exists();
        }
    }

    @Test
    void aSnapshotAndAnAbortRollBackAndShowQemusError(FxRobot robot) throws Exception {
        TxnRobot t = in202Layout(robot, app);
        Map<String, String> before = t.cards();
        t.addFromCard("backend:drive0", ActionKind.SNAPSHOT_SYNC);
        t.addForSelection(null, ActionKind.ABORT);
        assertThat(t.rows()).extracting(r -> r.action().kind()).containsExactly(ActionKind.SNAPSHOT_SYNC, ActionKind.ABORT);

        TxnRecord r = t.applyThenReread();
        assertThat(r.outcome()).isEqualTo(TxnRecord.Outcome.ABORTED);

        // the error where the user looked: over the list and on the action that failed, in QEMU's words
        assertThat(t.text("#txnMessage"))
                .isEqualTo("Aborted, nothing changed: GenericError: Transaction aborted using Abort action");
        List<ActionRow> rows = t.rows();
        assertThat(rows.get(1).errorProperty().get()).isEqualTo("Transaction aborted using Abort action");
        assertThat(rows.get(0).statusProperty().get()).isEqualTo("rolled back");
        assertThat(robot.lookup(".txn-action-error").queryAll().stream().filter(Node::isVisible)
                .map(n -> ((Label) n).getText())).containsExactly("Transaction aborted using Abort action");

        // the graph is as it was
        assertThat(t.cards()).isEqualTo(before);

        // the timeline: aborted, the abort's prepare failed, aborts ran in reverse order, clean for every action
        assertThat(t.text("#timelineBanner")).isEqualTo("✖  ABORTED · GenericError: Transaction aborted using Abort action");
        assertThat(robot.lookup("#timelinePrepareFailed").queryAs(Label.class).isVisible()).isTrue();
        Rectangle abort0 = t.bar(0, "abort");
        Rectangle abort1 = t.bar(1, "abort");
        assertThat(abort0).isNotNull();
        assertThat(abort1).isNotNull();
        TxnTrace trace = r.trace();
        assertThat(trace.actions().get(1).phase("abort").orElseThrow().startNs())
                .isLessThan(trace.actions().get(0).phase("abort").orElseThrow().startNs());
        // drawn stretched by default, so the reverse order shows: the second action's abort left of the first's
        assertThat(abort1.getX() + abort1.getWidth()).isLessThanOrEqualTo(abort0.getX() + 0.5);
        assertThat(abort0.getWidth()).isGreaterThan(3);
        assertThat(t.bar(0, "commit")).isNull();
        assertThat(t.bar(0, "clean")).isNotNull();
        assertThat(t.bar(1, "clean")).isNotNull();
        assertThat(t.bar(0, "prepare").getX()).isLessThan(t.bar(1, "prepare").getX());
    }

    /** Alt+Up moves the selected action, Delete removes it. */
    @Test
    void theListIsReorderedFromTheKeyboard(FxRobot robot) throws Exception {
        TxnRobot t = new TxnRobot(robot, app);
        TxnRobot.waitFor("the graph", 30, () -> t.card("backend:drive1") != null);
        robot.clickOn("#transactionTab");
        t.addFromCard("node:disk0", ActionKind.BITMAP_ADD);
        t.addFromCard("node:disk1", ActionKind.BITMAP_ADD);
        robot.clickOn(robot.lookup(".txn-action").nth(1).queryAs(Node.class));
        robot.press(KeyCode.ALT, KeyCode.UP).release(KeyCode.UP, KeyCode.ALT);
        assertThat(t.rows()).extracting(r -> r.action().value("node")).containsExactly("disk1", "disk0");
        robot.type(KeyCode.DELETE);
        assertThat(t.rows()).extracting(r -> r.action().value("node")).containsExactly("disk0");
        TxnRecord r = t.apply();
        assertThat(r.outcome()).isEqualTo(TxnRecord.Outcome.COMMITTED);
        WaitForAsyncUtils.waitForFxEvents();
        TxnRobot.waitFor("the bitmap on the card", 15, () -> t.state().node("node:disk0").map(GraphNode::dirtyBitmaps).orElse(0) == 1);
    }
}

package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.txn.ActionKind;
import dev.blockdeck.app.txn.TxnRecord;
import dev.blockdeck.app.viewmodel.ActionRow;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transaction composer attached to a real QEMU 7.2 (skipped without it), in iotest 202's layout. QEMU
 * sends no phase trace: the timeline shows the outcome only and says so; QEMU's error is shown on the list.
 */
@ExtendWith(ApplicationExtension.class)
class QemuTransactionWindowTest {

    private QemuVm vm;
    private MainApp app;

    @Start
    void start(Stage stage) throws Exception {
        assumeTrue(QemuVm.available(), QemuVm.BINARY + " or qemu-img not found: skipping the transaction test against a real QEMU");
        vm = QemuVm.start(List.of(QemuVm.image("disk0.qcow2", "16M"), QemuVm.image("disk1.qcow2", "16M")),
                List.of("-M", "none", "-object", "iothread,id=iothread0",
                        "-drive", "if=none,id=drive0,node-name=disk0,format=qcow2,file=$DIR/disk0.qcow2",
                        "-drive", "if=none,id=drive1,node-name=disk1,format=qcow2,file=$DIR/disk1.qcow2"));
        for (String node : List.of("disk0", "disk1")) {
            vm.execute("x-blockdev-set-iothread", "{\"node-name\": \"" + node + "\", \"iothread\": \"iothread0\", \"force\": true}");
        }
        app = new MainApp(AppOptions.parse(List.of("--attach", vm.socket().toString())));
        app.start(stage);
    }

    @Stop
    void stop() {
        if (app != null) {
            app.stop();
        }
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void anAbortThenACommitOnQemuShowOutcomesOnly(FxRobot robot) throws Exception {
        TxnRobot t = new TxnRobot(robot, app);
        TxnRobot.waitFor("the graph", 30, () -> t.card("backend:drive1") != null);
        Map<String, String> before = t.cards();
        String snap0 = vm.dir().resolve("disk0-snap1.qcow2").toString();
        String snap1 = vm.dir().resolve("disk1-snap1.qcow2").toString();

        t.addFromCard("backend:drive0", ActionKind.SNAPSHOT_SYNC);
        t.addForSelection(null, ActionKind.ABORT);
        TxnRecord aborted = t.applyThenReread();
        assertThat(aborted.outcome()).isEqualTo(TxnRecord.Outcome.ABORTED);
        assertThat(aborted.trace()).isNull();
        assertThat(t.text("#txnMessage")).isEqualTo("Aborted, nothing changed: GenericError: Transaction aborted "
                + "using Abort action (QEMU does not say which action failed.)");
        assertThat(t.rows()).extracting(r -> r.statusProperty().get()).containsExactly("not applied", "not applied");
        assertThat(t.text("#timelineBanner")).isEqualTo("✖  ABORTED · GenericError: Transaction aborted using Abort action");
        assertThat(robot.lookup("#timelineNote").queryAs(Label.class).getText())
                .startsWith("Outcome only: this VM sent no phase trace");
        assertThat(robot.lookup(".phase-bar").queryAll()).isEmpty();
        assertThat(robot.lookup(".timeline-row").queryAll()).hasSize(2);
        assertThat(t.cards()).isEqualTo(before);

        // without the abort and with the other drive: both commit, and the graph (read again: QEMU sends no
        // event for a transaction) shows the overlays
        ActionRow abort = t.rows().get(1);
        robot.interact(() -> app.viewModel().transaction().selectedProperty().set(abort));
        robot.clickOn("#txnRemove");
        t.addForSelection("backend:drive1", ActionKind.SNAPSHOT_SYNC);
        assertThat(t.rows()).extracting(r -> r.action().value("snapshot-file")).containsExactly(snap0, snap1);
        TxnRecord committed = t.applyThenReread();
        assertThat(committed.outcome()).isEqualTo(TxnRecord.Outcome.COMMITTED);
        assertThat(t.text("#timelineBanner")).isEqualTo("✔  COMMITTED · 2 actions");
        assertThat(robot.lookup("#timelineNote").tryQuery()).isPresent();
        assertThat(t.text("#txnMessage")).isEqualTo("Committed 2 actions; the graph is read again. (This VM sends no phase trace.)");
        TxnRobot.waitFor("the overlays", 15, () -> t.nodeWithFile(snap0) != null && t.nodeWithFile(snap1) != null);
        GraphNode overlay = t.nodeWithFile(snap0);
        TxnRobot.waitFor("the overlay's card", 10, () -> t.card(overlay.key()) != null);

        JsonNode block = vm.execute("query-block", null);
        assertThat(block.findValuesAsText("file")).contains(snap0, snap1);
        assertThat(app.viewModel().transaction().records()).extracting(TxnRecord::outcome)
                .containsExactly(TxnRecord.Outcome.COMMITTED, TxnRecord.Outcome.ABORTED);
    }
}

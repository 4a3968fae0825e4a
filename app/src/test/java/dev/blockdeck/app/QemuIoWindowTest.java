package dev.blockdeck.app;

import dev.blockdeck.app.io.GuestWorkloadCommands;
import dev.blockdeck.app.io.IoHistory;
import javafx.scene.Node;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

import java.util.List;

import static dev.blockdeck.app.IoWindowTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The I/O tab attached to a real QEMU 7.2: the charts read its query-blockstats (the drive named by its device),
 * and the guest workload form is disabled and says why, since QEMU's query-commands has no such command.
 */
@ExtendWith(ApplicationExtension.class)
class QemuIoWindowTest extends AttachedQemuWindow {


    @BeforeAll
    static void startVm() throws Exception {
        startQemu("the I/O tab test", List.of(), List.of("-M", "q35", "-S", "-object", "iothread,id=iothread0",
                "-drive", "if=none,id=drive0,driver=null-co,size=1G",
                "-device", "virtio-blk-pci,id=vblk0,drive=drive0,iothread=iothread0"));
    }

    @Start
    void start(Stage stage) throws Exception {
        attach(stage);
    }

    @Stop
    void stop() {
        detach();
    }

    @Test
    void chartsReadQemuAndWorkloadsSayWhyNot(FxRobot robot) throws Exception {
        // what the form relies on: QEMU really has no such command
        assertThat(vm.execute("query-commands", null).findValuesAsText("name"))
                .contains("query-blockstats").doesNotContain(GuestWorkloadCommands.START, GuestWorkloadCommands.QUERY);

        waitFor("connected", 20, () -> robot.lookup("#connectionState").queryLabeled().getText().equals("Connected"));
        robot.push(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN));
        waitFor("QEMU's drive", 10, () -> app.viewModel().io().drives().equals(List.of("vblk0")));
        waitFor("a rate", 10, () -> app.viewModel().io().seriesProperty().get().stream().map(IoHistory.Series::name)
                .toList().equals(List.of("vblk0")));

        Node form = robot.lookup("#ioForm").query();
        waitFor("the form disabled", 10, form::isDisabled);
        String why = "This VM has no guest workloads: " + GuestWorkloadCommands.START
                + " is not in its query-commands (QEMU has none). They run on BlockDeck's embedded engine.";
        assertThat(robot.lookup("#ioUnavailable").queryLabeled().getText()).isEqualTo(why);
        assertThat(robot.lookup("#ioUnavailable").query().isVisible()).isTrue();
        Object tip = robot.lookup("#ioWorkloadPane").query().getProperties().get("javafx.scene.control.Tooltip");
        assertThat(tip).isInstanceOf(Tooltip.class);
        assertThat(((Tooltip) tip).getText()).isEqualTo(why);
        assertThat(robot.lookup("#ioStart").query().isDisabled()).isTrue();
        assertThat(robot.lookup("#ioProblems").query().isVisible()).as("no nagging about a form that cannot run").isFalse();

        // per IOThread, QEMU's placement is assumed from the device's link, and the tab says so
        robot.clickOn("#ioPerIothread");
        waitFor("the contexts", 10, () -> app.viewModel().io().seriesProperty().get().stream().map(IoHistory.Series::name)
                .toList().equals(List.of("main loop", "iothread0")));
        assertThat(robot.lookup("#ioStatus").queryLabeled().getText()).contains("IOThreads as the graph assumes them");
    }
}

package dev.blockdeck.app;

import dev.blockdeck.app.model.Completer;
import dev.blockdeck.app.viewmodel.EventLogViewModel;
import dev.blockdeck.app.viewmodel.QmpConsoleViewModel;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's panels attached to a real QEMU 7.2 (skipped without it): completion from QEMU's own schema,
 * the inspector on QEMU's entries, an IOThread edit that QEMU applies (checked on a second monitor) or
 * refuses in its own words, and QEMU's events in the log.
 */
@ExtendWith(ApplicationExtension.class)
class QemuPanelsWindowTest extends AttachedQemuWindow {


    @BeforeAll
    static void startVm() throws Exception {
        startQemu("the panels test", List.<String[]>of(QemuVm.image("disk.qcow2", "64M")),
                List.of("-M", "none", "-S", "-object", "iothread,id=iothread0",
                        "-blockdev", "driver=file,node-name=disk-file,filename=$DIR/disk.qcow2",
                        "-blockdev", "driver=qcow2,node-name=disk,file=disk-file"));
    }

    @Start
    void start(Stage stage) throws Exception {
        attach(stage);
    }

    @Stop
    void stop() {
        detach();
    }

    private static void waitFor(String what, long seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    private static Node card(FxRobot robot, String nodeName) {
        return robot.lookup(".node-card").queryAll().stream().filter(c -> nodeName.equals(c.getUserData()))
                .findFirst().orElse(null);
    }

    private static void ready(FxRobot robot) throws Exception {
        waitFor("the graph", 30, () -> card(robot, "disk") != null);
        waitFor("the schema", 10, () -> robot.lookup("#qmpSchema").queryAs(Label.class).getText().contains("query-qmp-schema"));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String inspector(FxRobot robot, String name) {
        return robot.lookup("#inspector-" + name).queryAs(TextField.class).getText();
    }

    private static void edit(FxRobot robot, String name, String value) {
        robot.clickOn("#inspector-" + name).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL)
                .write(value).type(KeyCode.ENTER);
    }

    @Test
    void completionComesFromQemusSchema(FxRobot robot) throws Exception {
        ready(robot);
        assertThat(robot.lookup("#qmpSchema").queryAs(Label.class).getText()).isEqualTo("216 commands (from query-qmp-schema)");
        robot.clickOn("#qmpCommandLine").write("query-na");
        waitFor("the completion list", 5, () -> robot.lookup("#qmpCompletions").tryQuery().map(Node::isVisible).orElse(false));
        @SuppressWarnings("unchecked")
        ListView<Completer.Completion> list = robot.lookup("#qmpCompletions").queryAs(ListView.class);
        assertThat(list.getItems()).extracting(Completer.Completion::label).containsExactly("query-name", "query-named-block-nodes");
        robot.type(KeyCode.ESCAPE);
        robot.write("med-block-nodes fl").type(KeyCode.TAB);
        assertThat(robot.lookup("#qmpCommandLine").queryAs(TextField.class).getText()).isEqualTo("query-named-block-nodes flat=");
    }

    @Test
    void theInspectorShowsQemusEntryAndQemuAppliesAnIothreadEdit(FxRobot robot) throws Exception {
        ready(robot);
        robot.clickOn(card(robot, "disk"));
        waitFor("the node's fields", 5, () -> robot.lookup("#inspector-node-name").tryQuery().isPresent());
        assertThat(inspector(robot, "node-name")).isEqualTo("disk");
        assertThat(inspector(robot, "drv")).isEqualTo("qcow2");
        assertThat(inspector(robot, "format-specific_data_compat")).isEqualTo("1.1");
        assertThat(inspector(robot, "virtual-size")).isEqualTo("67108864 (64 MiB)");

        robot.clickOn("#laneHeader-iothread0");
        waitFor("the IOThread's fields", 5, () -> robot.lookup("#inspector-poll-max-ns").tryQuery().isPresent());
        edit(robot, "poll-max-ns", "4096");
        waitFor("QEMU's new value", 10, () -> vm.execute("qom-get",
                "{\"path\": \"/objects/iothread0\", \"property\": \"poll-max-ns\"}").asLong() == 4096);
        waitFor("the sheet read again", 10, () -> inspector(robot, "poll-max-ns").equals("4096"));
        assertThat(vm.execute("query-iothreads", null).get(0).path("poll-max-ns").asLong()).isEqualTo(4096);

        edit(robot, "poll-shrink", "-1");
        waitFor("QEMU's refusal", 10, () -> robot.lookup("#inspectorMessage").queryAs(Label.class).getText().contains("failed"));
        assertThat(robot.lookup("#inspectorMessage").queryAs(Label.class).getText())
                .isEqualTo("qom-set poll-shrink failed: GenericError: poll-shrink value must be in range [0, 9223372036854775807]");
        assertThat(vm.execute("qom-get", "{\"path\": \"/objects/iothread0\", \"property\": \"poll-shrink\"}").asLong()).isZero();
        assertThat(inspector(robot, "poll-shrink")).isEqualTo("0");
    }

    @Test
    void qemusEventsReachTheLog(FxRobot robot) throws Exception {
        ready(robot);
        robot.clickOn("#qmpCommandLine").write("cont").type(KeyCode.ESCAPE).type(KeyCode.ENTER);
        @SuppressWarnings("unchecked")
        ListView<QmpConsoleViewModel.Entry> transcript = robot.lookup("#qmpTranscript").queryAs(ListView.class);
        waitFor("cont's answer", 10, () -> transcript.getItems().stream().anyMatch(e -> e.kind() == QmpConsoleViewModel.Kind.RETURN));
        robot.clickOn("Events");
        @SuppressWarnings("unchecked")
        TableView<EventLogViewModel.Entry> table = robot.lookup("#eventTable").queryAs(TableView.class);
        waitFor("RESUME", 10, () -> table.getItems().stream().anyMatch(e -> e.name().equals("RESUME")));
        vm.execute("stop", null); // from the other monitor: QEMU broadcasts its events to every monitor
        waitFor("STOP", 10, () -> table.getItems().stream().anyMatch(e -> e.name().equals("STOP")));
        assertThat(table.getItems()).extracting(EventLogViewModel.Entry::name).containsSequence("RESUME", "STOP");
    }
}

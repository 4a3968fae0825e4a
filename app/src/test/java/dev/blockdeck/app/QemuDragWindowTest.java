package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blockdeck.app.viewmodel.WireTraceViewModel;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import static dev.blockdeck.app.DragRobot.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console attached to a real QEMU 7.2 (started here; skipped without it): a device's drive cannot move, so a
 * drop shows the re-plug plan and leaves the VM alone; a bare node moves through x-blockdev-set-iothread (QEMU's
 * answer is read off the wire trace, since QEMU reports no AioContexts) and stays drawn where it went; an IOThread
 * made from the UI gets a lane and is listed by query-iothreads.
 */
@ExtendWith(ApplicationExtension.class)
class QemuDragWindowTest extends AttachedQemuWindow {

    private static final ObjectMapper JSON = new ObjectMapper();
    private DragRobot drag;

    @BeforeAll
    static void startVm() throws Exception {
        startQemu("the drag test", List.<String[]>of(QemuVm.image("a.qcow2", "64M")),
                List.of("-M", "q35", "-S", "-object", "iothread,id=iothread0", "-object", "iothread,id=iothread1",
                        "-device", "pcie-root-port,id=rp0,chassis=1",
                        "-blockdev", "driver=file,node-name=a-file,filename=$DIR/a.qcow2",
                        "-blockdev", "driver=qcow2,node-name=disk-a,file=a-file",
                        "-device", "virtio-blk-pci,id=vblk0,drive=disk-a,iothread=iothread0",
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

    /**
     * QEMU's answer to the last {@code command} the app sent whose arguments have {@code field} = {@code value}
     * (a JSON value as text, e.g. {@code "iothread1"} or {@code null}), from the wire trace.
     */
    private JsonNode answerTo(String command, String field, String value) throws Exception {
        List<WireTraceViewModel.Entry> all = WaitForAsyncUtils.asyncFx(
                (Callable<List<WireTraceViewModel.Entry>>) () -> new ArrayList<>(app.viewModel().wireTrace().all())).get();
        for (int i = all.size() - 1; i >= 0; i--) {
            JsonNode sent = JSON.readTree(all.get(i).json());
            if (all.get(i).sent() && command.equals(sent.path("execute").asText())
                    && value.equals(sent.path("arguments").path(field).toString())) {
                for (WireTraceViewModel.Entry a : all.subList(i + 1, all.size())) {
                    JsonNode answer = JSON.readTree(a.json());
                    if (!a.sent() && answer.path("id").equals(sent.path("id"))) {
                        return answer;
                    }
                }
                return null;
            }
        }
        throw new AssertionError(command + " with " + field + "=" + value + " was not sent");
    }

    @Test
    void aDeviceDriveCannotMoveSoThePlanIsShown(FxRobot robot) throws Exception {
        graph(robot, "backend:drive1");
        assertThat(drag.drawnLane("backend:drive1")).isEqualTo("main-loop");

        drag.dragToLane("backend:drive1", "iothread1");
        waitFor("the plan", 20, () -> robot.lookup("#planSteps").tryQuery().isPresent());
        String steps = robot.lookup("#planSteps").queryAs(TextArea.class).getText();
        assertThat(steps).contains("{\"execute\":\"device_del\",\"arguments\":{\"id\":\"vblk1\"}}",
                "drive_add 0 if=none,id=drive1,driver=null-co,size=2G",
                "\"id\":\"vblk1\",\"drive\":\"drive1\",\"bus\":\"rp0\",\"addr\":\"00.0\",\"iothread\":\"iothread1\","
                        + "\"serial\":\"data1\"",
                "-device virtio-blk-pci,id=vblk1,drive=drive1,bus=rp0,addr=00.0,iothread=iothread1,serial=data1");
        assertThat(robot.lookup("#planWhy").queryAs(Label.class).getText()).contains("is associated with a BlockBackend"
                + " and could be in use (use force=true to override this check)");
        assertThat(answerTo("x-blockdev-set-iothread", "iothread", "\"iothread1\"").path("error").path("class").asText())
                .isEqualTo("GenericError");
        // QEMU was left as it was
        assertThat(vm.execute("qom-get", "{\"path\": \"/machine/peripheral/vblk1\", \"property\": \"iothread\"}")
                .asText()).isEmpty();
        assertThat(app.viewModel().edits().canUndoProperty().get()).isFalse();
        robot.clickOn("Close");
        waitFor("the plan to close", 10, () -> robot.lookup("#planSteps").tryQuery().isEmpty());

        // vblk0 is on pcie.0: no hotplug there, the command line is all that is left
        drag.dragToLane("backend:/machine/peripheral/vblk0/virtio-backend", "main-loop");
        waitFor("the second plan", 20, () -> robot.lookup("#planSteps").tryQuery().isPresent());
        assertThat(robot.lookup("#planSteps").queryAs(TextArea.class).getText())
                .startsWith("vblk0 sits on bus pcie.0, which takes no hotplug")
                .contains("-device virtio-blk-pci,id=vblk0,drive=disk-a,bus=pcie.0,addr=02.0")
                .doesNotContain("device_del");
        robot.clickOn("Close");
    }

    @Test
    void aBareNodeMovesThroughSetIothreadAndUndoMovesItBack(FxRobot robot) throws Exception {
        vm.execute("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"null0\"}");
        robot.clickOn("#graphRefresh");
        graph(robot, "node:null0");
        assertThat(drag.drawnLane("node:null0")).isEqualTo("main-loop");

        drag.dragToLane("node:null0", "iothread1");
        waitFor("the card in iothread1", 20, () -> "iothread1".equals(drag.drawnLane("node:null0")));
        JsonNode moved = answerTo("x-blockdev-set-iothread", "iothread", "\"iothread1\"");
        assertThat(moved.path("return").isObject()).as("QEMU's answer %s", moved).isTrue();
        waitFor("the notice", 10, () -> drag.notice().startsWith("Moved null0 to iothread1"));
        assertThat(drag.notice()).contains("drawn where this console put it");
        // it stays there across reads, though QEMU cannot be asked
        robot.clickOn("#graphRefresh");
        drag.settled();
        assertThat(drag.drawnLane("node:null0")).isEqualTo("iothread1");

        robot.clickOn("#graphCanvas");
        robot.push(KeyCode.SHORTCUT, KeyCode.Z);
        waitFor("the card back", 20, () -> "main-loop".equals(drag.drawnLane("node:null0")));
        JsonNode back = answerTo("x-blockdev-set-iothread", "iothread", "null");
        assertThat(back.path("return").isObject()).as("QEMU's answer %s", back).isTrue();
        vm.execute("blockdev-del", "{\"node-name\": \"null0\"}");
    }

    @Test
    void anIothreadCreatedFromTheUiGetsALane(FxRobot robot) throws Exception {
        graph(robot, "backend:drive1");
        robot.clickOn("#graphAddIothread");
        waitFor("the dialog", 10, () -> robot.lookup("#iothreadId").tryQuery().isPresent());
        TextField id = robot.lookup("#iothreadId").queryAs(TextField.class);
        robot.interact(() -> id.setText("2fast"));
        assertThat(robot.lookup("#iothreadIdProblem").queryAs(Label.class).getText()).isEqualTo("An id starts with a letter.");
        assertThat(robot.lookup("#iothreadCreate").query().isDisabled()).isTrue();
        robot.interact(() -> id.setText("fast.io"));
        assertThat(robot.lookup("#iothreadCreate").query().isDisabled()).isFalse();
        robot.clickOn("#iothreadCreate");

        waitFor("the lane", 20, () -> drag.lane("fast.io") != null);
        Set<String> listed = new java.util.HashSet<>();
        vm.execute("query-iothreads", null).forEach(t -> listed.add(t.path("id").asText()));
        assertThat(listed).contains("fast.io", "iothread0", "iothread1");
        Node lane = drag.lane("fast.io");
        assertThat(robot.from(lane).lookup(".lane-empty").queryAs(Label.class).getText()).contains("no nodes known here");
        vm.execute("object-del", "{\"id\": \"fast.io\"}");
    }
}

package dev.blockdeck.app;

import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sessions opened from the File menu: attaching to a QEMU 7.2 by its socket path, and a scenario run on QEMU;
 * each comes up in a window of its own, connected.
 */
@ExtendWith(ApplicationExtension.class)
class OpenSessionWindowTest {

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

    private static Stage windowTitled(String part) {
        return Window.getWindows().stream().filter(w -> w instanceof Stage s && s.getTitle() != null
                && s.getTitle().contains(part)).map(w -> (Stage) w).findFirst().orElse(null);
    }

    private static String connectionState(Stage s) {
        Label l = (Label) s.getScene().lookup("#connectionState");
        return l == null ? "" : l.getText();
    }

    @Test
    void attachingByPathOpensAConnectedWindow(FxRobot robot) throws Exception {
        assumeTrue(QemuVm.available(), QemuVm.BINARY + " not found: skipping the attach-by-path window test");
        try (QemuVm vm = QemuVm.start(List.of(), List.of("-M", "none"))) {
            robot.clickOn("File").clickOn("#attachItem");
            robot.lookup(".text-input-dialog .text-field").queryTextInputControl().clear();
            robot.clickOn(".text-input-dialog .text-field").write(vm.socket().toString()).type(KeyCode.ENTER);
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> {
                Stage s = windowTitled("Attached · " + vm.socket());
                return s != null && connectionState(s).equals("Connected");
            }).get());
        }
    }

    @Test
    void aScenarioOpensOnQemuInItsOwnWindow(FxRobot robot) throws Exception {
        assumeTrue(QemuVm.available(), QemuVm.BINARY + " not found: skipping the scenario-on-QEMU window test");
        robot.clickOn("File").clickOn("#openScenarioQemuMenu").clickOn("#openScenarioQemu-demo");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> {
            Stage s = windowTitled("QEMU (qemu-system-x86_64) · demo.args");
            return s != null && connectionState(s).equals("Connected");
        }).get());
        Stage s = WaitForAsyncUtils.asyncFx(() -> windowTitled("QEMU (qemu-system-x86_64)")).get();
        String version = WaitForAsyncUtils.asyncFx(() -> ((Label) s.getScene().lookup("#qemuVersion")).getText()).get();
        assertThat(version).startsWith("QEMU 7.").doesNotContain("BlockDeck");
    }
}

package dev.blockdeck.app;

import dev.blockdeck.engine.EngineVersion;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real window on the real embedded engine (demo scenario), headless under Monocle by default
 * (app/pom.xml profile {@code headless}); on a display with {@code -Dheadless.off}.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleWindowTest {

    private MainApp app;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        app = new MainApp(AppOptions.parse(List.of()));
        app.start(stage);
    }

    @Stop
    void stop() {
        app.stop();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void showsTheEmbeddedEnginesGreetingAndStatus(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> !text(robot, "#connectionState").startsWith("Connecting"));
        assertThat(text(robot, "#connectionState"))
                .as("connection error: %s", text(robot, "#connectionError"))
                .isEqualTo("Connected");

        String expected = "QEMU " + EngineVersion.MAJOR + "." + EngineVersion.MINOR + "." + EngineVersion.MICRO;
        assertThat(text(robot, "#qemuVersion")).startsWith(expected).contains(EngineVersion.PACKAGE);

        Path socket = Path.of(text(robot, "#socketPath"));
        assertThat(socket.getFileName()).hasToString("qmp.sock");
        assertThat(Files.exists(socket)).isTrue();

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#runState").equals("running"));
        assertThat(text(robot, "#vmName")).isEqualTo("demo-vm");
        assertThat(stage.getTitle()).contains("demo.args");
    }

    @Test
    void closingTheWindowStopsTheEngine(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "#connectionState").equals("Connected"));
        Path socket = Path.of(text(robot, "#socketPath"));
        robot.interact(() -> stage.close());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !Files.exists(socket.getParent()));
    }
}

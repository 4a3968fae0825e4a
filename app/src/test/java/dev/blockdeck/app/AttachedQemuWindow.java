package dev.blockdeck.app;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;

import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A console window attached to a real QEMU 7.2 that the test class starts once, in its {@code @BeforeAll}, with
 * {@link #startQemu}; the class is skipped where QEMU is not installed. TestFX looks for {@code @Start} and
 * {@code @Stop} in the test class itself only, so each class keeps two one-line methods calling {@link #attach}
 * and {@link #detach}.
 */
abstract class AttachedQemuWindow {

    protected static QemuVm vm;
    protected MainApp app;

    /** Starts the class's QEMU; {@code what} names the test in the skip message. */
    static void startQemu(String what, List<String[]> images, List<String> args) throws Exception {
        assumeTrue(QemuVm.available(), QemuVm.BINARY + " or qemu-img not found: skipping " + what
                + " against a real QEMU");
        vm = QemuVm.start(images, args);
    }

    @AfterAll
    static void stopQemu() {
        if (vm != null) {
            vm.close();
            vm = null;
        }
    }

    /** Opens the console on the QEMU's monitor in {@code stage}. */
    void attach(Stage stage) throws Exception {
        app = new MainApp(AppOptions.parse(List.of("--attach", vm.socket().toString())));
        app.start(stage);
    }

    void detach() {
        app.stop();
    }
}

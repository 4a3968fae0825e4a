package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.app.session.QemuSessionLauncher;
import dev.blockdeck.app.session.Scenario;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.SessionLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A scenario run on a real QEMU 7.2 through the console's launcher: started, connected, and gone after close. */
class QemuSessionLauncherTest {

    @TempDir
    Path tmp;

    @Test
    void theDemoScenarioRunsOnQemuAndQuitsWithTheSession() throws Exception {
        assumeTrue(QemuVm.available(), QemuVm.BINARY + " not found: skipping the QEMU launcher test");
        List<Path> sockets = new ArrayList<>();
        SessionLauncher launcher = AppOptions.parse(List.of("--scenario", "demo", "--qemu")).launcher();
        assertThat(launcher.description()).isEqualTo("QEMU (qemu-system-x86_64) · demo.args");
        try (Session s = launcher.open(new SessionLauncher.Progress() {
            @Override
            public void socket(Path socket) {
                sockets.add(socket);
            }
        })) {
            JsonNode version = s.execute("query-version", null).get(10, TimeUnit.SECONDS);
            assertThat(version.path("qemu").path("major").asInt()).isGreaterThanOrEqualTo(7);
            assertThat(version.path("package").asText()).doesNotContain("BlockDeck");
            List<String> devices = new ArrayList<>();
            s.execute("query-block", null).get(10, TimeUnit.SECONDS).forEach(b -> devices.add(b.path("qdev").asText()));
            assertThat(devices).contains("/machine/peripheral/vblk0/virtio-backend",
                    "/machine/peripheral/vblk1/virtio-backend");
        }
        assertThat(sockets).hasSize(1);
        assertThat(sockets.get(0).getParent()).doesNotExist(); // QEMU quit and its private directory went
    }

    @Test
    void qemuRefusingTheCommandLineFailsWithItsOwnWords() throws Exception {
        assumeTrue(QemuVm.available(), QemuVm.BINARY + " not found: skipping the QEMU launcher test");
        Path args = tmp.resolve("bad.args");
        Files.writeString(args, "-M none\n-nodefaults\n-display none\n-blockdev driver=nonexistent,node-name=x\n");
        SessionLauncher launcher = new QemuSessionLauncher(Scenario.load(args.toString()), null);
        assertThatThrownBy(() -> launcher.open(SessionLauncher.Progress.NONE))
                .hasMessageContaining("QEMU exited with status 1")
                .hasMessageContaining("Parameter 'driver' does not accept value 'nonexistent'");
    }

    @Test
    void aMissingBinaryIsNamed() throws Exception {
        SessionLauncher launcher = new QemuSessionLauncher(Scenario.load("demo"), tmp.resolve("no-qemu").toString());
        assertThatThrownBy(() -> launcher.open(SessionLauncher.Progress.NONE))
                .hasMessageContaining("Could not run " + tmp.resolve("no-qemu"));
    }

    @Test
    void qemuAndAttachExcludeEachOther() {
        assertThatThrownBy(() -> AppOptions.parse(List.of("--attach", "/tmp/x.sock", "--qemu")))
                .hasMessageContaining("--attach and --qemu exclude each other");
        assertThat(AppOptions.parse(List.of("--qemu=/opt/q/bin/qemu-system-x86_64")).qemu())
                .isEqualTo("/opt/q/bin/qemu-system-x86_64");
    }
}

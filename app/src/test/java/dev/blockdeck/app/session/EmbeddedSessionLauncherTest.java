package dev.blockdeck.app.session;

import dev.blockdeck.engine.EngineVersion;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real engine, no screen. */
class EmbeddedSessionLauncherTest {

    @Test
    void opensTheDemoScenario() throws Exception {
        List<String> steps = new ArrayList<>();
        Path[] socket = new Path[1];
        Session session = new EmbeddedSessionLauncher(Scenario.load("demo")).open(new SessionLauncher.Progress() {
            @Override
            public void step(String message) {
                steps.add(message);
            }

            @Override
            public void socket(Path s) {
                socket[0] = s;
            }
        });
        try {
            assertThat(session.endpoint()).isEqualTo(socket[0].toString());
            assertThat(socket[0]).exists();
            assertThat(session.qemuVersion()).isEqualTo(new QemuVersion(EngineVersion.MAJOR, EngineVersion.MINOR,
                    EngineVersion.MICRO, EngineVersion.PACKAGE));
            assertThat(session.queryStatus().get(10, TimeUnit.SECONDS).status()).isEqualTo("running");
            assertThat(steps).hasSizeGreaterThanOrEqualTo(3);
            assertThat(session.description()).isEqualTo("Embedded engine · demo.args");
        } finally {
            session.close();
        }
        session.closed().get(10, TimeUnit.SECONDS);
        assertThat(socket[0].getParent()).doesNotExist();
        session.close(); // idempotent
    }

    @Test
    void reportsTheScenariosVmName() throws Exception {
        try (Session session = new EmbeddedSessionLauncher(Scenario.load("demo")).open(SessionLauncher.Progress.NONE)) {
            assertThat(session.queryName().get(10, TimeUnit.SECONDS)).isEqualTo(Optional.of("demo-vm"));
        }
    }

    @Test
    void aRefusedCommandLineFailsAndLeavesNothingBehind() {
        Path[] socket = new Path[1];
        Scenario bad = new Scenario("bad.args", "-no-such-option\n");
        assertThatThrownBy(() -> new EmbeddedSessionLauncher(bad).open(new SessionLauncher.Progress() {
            @Override
            public void socket(Path s) {
                socket[0] = s;
            }
        })).hasMessageContaining("no-such-option");
        assertThat(Files.exists(socket[0].getParent())).isFalse();
    }
}

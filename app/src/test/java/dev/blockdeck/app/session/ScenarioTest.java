package dev.blockdeck.app.session;

import dev.blockdeck.engine.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioTest {

    @Test
    void demoIsOnTheClassPath() throws IOException {
        Scenario demo = Scenario.load("demo");
        assertThat(demo.name()).isEqualTo("demo.args");
        assertThat(demo.args()).containsSubsequence("-name", "demo-vm").contains("-nodefaults");
        assertThat(Scenario.load("demo.args")).isEqualTo(demo);
    }

    @Test
    void theShippedScenariosAreListedFromTheClassPath() throws IOException {
        assertThat(ShippedScenarios.names()).startsWith("demo")
                .containsExactlyInAnyOrder("demo", "database", "stress-1000", "test-202");
        for (String name : ShippedScenarios.names()) {
            assertThat(Scenario.load(name).shortName()).isEqualTo(name);
        }
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void shippedScenariosLeaveTheMonitorToTheApp(String name) throws IOException {
        assertThat(Scenario.load(name).args()).doesNotContain("-qmp", "-monitor", "-chardev");
    }

    static List<String> shipped() throws IOException {
        return ShippedScenarios.names();
    }

    /** Every shipped scenario must be accepted by the engine as it is today (its images made first). */
    @ParameterizedTest
    @MethodSource("shipped")
    void shippedScenariosStartTheEngine(String name) throws Exception {
        try (PrivateSocketDir dir = PrivateSocketDir.create()) {
            Scenario scenario = Scenario.load(name);
            ScenarioImages.create(scenario.directives().images(), dir.path());
            List<String> args = new ArrayList<>(scenario.args(dir.path()));
            args.add("-qmp");
            args.add("unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off");
            try (Engine engine = Engine.start(args)) {
                assertThat(engine.unixSockets()).containsExactly(dir.resolve("qmp.sock"));
            }
        }
    }

    @Test
    void loadsAFileByPath(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("mine.args");
        Files.writeString(file, "# mine\n-name\nmine\n\n-M none\n");
        Scenario s = Scenario.load(file.toString());
        assertThat(s.name()).isEqualTo("mine.args");
        assertThat(s.args()).containsExactly("-name", "mine", "-M", "none");
    }

    @Test
    void unknownScenarioSaysWhatWasLookedFor() {
        assertThatThrownBy(() -> Scenario.load("no-such-scenario"))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-scenario");
    }

    @Test
    void privateSocketDirIsShortAndPrivate() throws IOException {
        Path path;
        try (PrivateSocketDir dir = PrivateSocketDir.create()) {
            path = dir.path();
            assertThat(dir.resolve("qmp.sock").toString().length()).isLessThan(100);
            assertThat(Files.getPosixFilePermissions(path))
                    .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
            Files.writeString(dir.resolve("left-over"), "x");
        }
        assertThat(path).doesNotExist();
    }
}

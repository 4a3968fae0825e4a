package dev.blockdeck.engine.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.ResourceLines;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * Guest devices against QEMU 7.2: each script of {@code resources/device/differential} runs on a fresh QEMU and a
 * fresh engine (mostly {@code -M q35 -S}: a VM that never ran, where QEMU's answers do not depend on its firmware),
 * on fresh raw images; the normalised transcripts must be equal. Start-up errors of {@code -device} and
 * {@code -global} lines ({@code resources/device/startup-errors.txt}) are compared the same way.
 */
class DeviceDifferentialTest {
    private static final String RESOURCES = "device/differential/";

    private Path dir;

    @BeforeEach
    void images() throws Exception {
        Qemu.requireBinary();
        dir = ShortTempDir.create("bdd");
        images(dir);
    }

    private static void images(Path dir) throws IOException, InterruptedException {
        for (String name : List.of("a.img", "b.img", "c.img")) {
            Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "raw", dir.resolve(name).toString(),
                    "1M").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
    }

    @AfterEach
    void cleanup() {
        ShortTempDir.delete(dir);
    }

    static Stream<Arguments> scripts() throws IOException, URISyntaxException {
        URL url = DeviceDifferentialTest.class.getClassLoader().getResource(RESOURCES);
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            for (Path p : s.sorted().toList()) {
                if (p.toString().endsWith(".qmp")) {
                    out.add(Arguments.of(p.getFileName().toString().replace(".qmp", ""), p));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void engineAnswersLikeQemu(String name, Path file) throws Exception {
        DeviceScript s = DeviceScript.read(file, dir);
        List<String> qemu;
        try (Qemu q = Qemu.start(s.args())) {
            qemu = s.run(q.socket());
        }
        ShortTempDir.delete(dir);
        Files.createDirectories(dir);
        images(dir);
        List<String> engine;
        try (EngineProcess e = EngineProcess.start(s.args())) {
            engine = s.run(e.socket());
        }
        assertThat(engine).containsExactlyElementsOf(qemu);
    }

    static Stream<Arguments> commandLines() throws IOException {
        return ResourceLines.of("device/startup-errors.txt").stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void startUpErrorsReadLikeQemus(String line) throws Exception {
        String[] args = line.replace("$DIR", dir.toString()).split("\\s+");
        assertThat(engineStartError(args)).isEqualTo(qemuStartError(args));
    }

    /** QEMU's start-up error for {@code args} ("PROG: ..." lines), or "started" if it came up. */
    private static String qemuStartError(String[] args) throws IOException, InterruptedException {
        return Qemu.startError(args);
    }

    private static String engineStartError(String[] args) {
        List<String> all = new ArrayList<>(List.of("-S"));
        all.addAll(List.of(args));
        try (EngineProcess e = EngineProcess.start(all.toArray(String[]::new))) {
            return "started";
        } catch (EngineStartException ex) {
            return ex.getMessage().strip().replace("blockdeck-engine: ", "PROG: ");
        }
    }
}

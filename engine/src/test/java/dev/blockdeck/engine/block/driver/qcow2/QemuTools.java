package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/** Runs QEMU's own tools (qemu-img, qemu-io) as the oracle; tests skip cleanly when they are not installed. */
public final class QemuTools {
    private QemuTools() {
    }

    /** Output and exit code of a finished tool run. */
    public record Run(int exit, String out, String err) {
    }

    public static boolean present(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    public static void require() {
        Assumptions.assumeTrue(present("qemu-img") && present("qemu-io"),
                "qemu-img/qemu-io are not installed: test skipped (apt-get install qemu-utils)");
    }

    public static Run run(Path cwd, String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of(cmd));
        ProcessBuilder pb = new ProcessBuilder(c);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Path errFile = Files.createTempFile("qemu-tool", ".err");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int rc = p.waitFor();
            String err = Files.readString(errFile);
            return new Run(rc, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(errFile);
        }
    }

    /** Runs and insists on exit code 0. */
    public static Run ok(Path cwd, String... cmd) throws IOException {
        Run r = run(cwd, cmd);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.out() + r.err());
        }
        return r;
    }
}

package dev.blockdeck.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real QEMU started for a test: the oracle the engine is compared with.
 * Sockets live in a short private directory because Unix socket paths are limited to ~107 bytes.
 */
public final class Qemu implements AutoCloseable {
    public static final String BINARY_PROPERTY = "blockdeck.qemu";

    private final Process process;
    private final Path dir;
    private final Path socket;

    private Qemu(Process process, Path dir, Path socket) {
        this.process = process;
        this.dir = dir;
        this.socket = socket;
    }

    /** The qemu-system-x86_64 binary, if installed (system property {@value #BINARY_PROPERTY} overrides). */
    public static Optional<Path> binary() {
        String override = System.getProperty(BINARY_PROPERTY);
        if (override != null) {
            return Optional.of(Path.of(override)).filter(Files::isExecutable);
        }
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, "qemu-system-x86_64");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Skips the calling test, with a clear message, when QEMU is not installed. */
    public static Path requireBinary() {
        Optional<Path> b = binary();
        Assumptions.assumeTrue(b.isPresent(),
                "qemu-system-x86_64 is not installed: differential test skipped (apt-get install qemu-system-x86)");
        return b.get();
    }

    /**
     * QEMU's start-up error for {@code -M none -nodefaults -display none -S} plus {@code args} (its "PROG: ..."
     * lines, program name replaced by PROG), or "started" if it came up.
     */
    public static String startError(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(requireBinary().toString(), "-M", "none", "-nodefaults",
                "-display", "none", "-S"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            return "started";
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        return out.replace("qemu-system-x86_64: ", "PROG: ");
    }

    /** Starts {@code qemu-system-x86_64 -M none -nodefaults -display none -qmp unix:...} plus {@code extraArgs}. */
    public static Qemu start(String... extraArgs) throws IOException {
        Path bin = requireBinary();
        Path dir = ShortTempDir.create("bdq");
        Path socket = dir.resolve("qmp.sock");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-M", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        Qemu q = new Qemu(p, dir, socket);
        q.awaitSocket();
        q.awaitMainLoop();
        return q;
    }

    /**
     * One throw-away session that negotiates and closes. QEMU accepts on its QMP socket while it is still
     * initialising; a client connected then can see start-up events (RESUME) ahead of the greeting. Once a
     * command has been answered the main loop runs, so the sessions a test opens next see a settled QEMU.
     */
    private void awaitMainLoop() throws IOException {
        try (RawQmpConnection c = openWhenListening()) {
            c.readLine(10_000);
            c.write("{\"execute\": \"qmp_capabilities\"}");
            for (String l = c.readLine(10_000); l != null && l.startsWith("{\"timestamp\""); l = c.readLine(10_000)) {
                // start-up events: skipped
            }
        }
    }

    /**
     * The socket file appears at bind(), a moment before QEMU listens; and QEMU may still exit after it (a bad
     * -drive is opened after the monitor): refused connections are retried while QEMU lives, and its exit is
     * reported with its own words.
     */
    private RawQmpConnection openWhenListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return RawQmpConnection.open(socket);
            } catch (java.net.ConnectException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    try {
                        process.waitFor(5, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("QEMU refused the connection"
                            + (process.isAlive() ? "" : " and exited: " + Files.readString(dir.resolve("qemu.log"))), e);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ie);
                }
            }
        }
    }

    private void awaitSocket() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new IOException("QEMU exited: " + Files.readString(dir.resolve("qemu.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("QEMU did not create " + socket);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    public Path socket() {
        return socket;
    }

    /** QEMU's stdout and stderr (HMP qemu-io prints there); complete once the process has exited. */
    public Path log() {
        return dir.resolve("qemu.log");
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ShortTempDir.delete(dir);
    }
}

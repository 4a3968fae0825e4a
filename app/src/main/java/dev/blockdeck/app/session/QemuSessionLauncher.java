package dev.blockdeck.app.session;

import dev.blockdeck.qmp.client.QmpClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario on a real QEMU: makes the scenario's images, starts {@code qemu-system-x86_64} with the
 * scenario's command line and a QMP socket in a private directory, connects like to any QEMU, sends the
 * scenario's start-up commands. Closing the session quits QEMU (killing it if it does not go) and removes the
 * directory with its images.
 */
public final class QemuSessionLauncher implements SessionLauncher {

    public static final String DEFAULT_BINARY = "qemu-system-x86_64";
    static final long TIMEOUT_SECONDS = 20;

    private final Scenario scenario;
    private final String binary;

    public QemuSessionLauncher(Scenario scenario, String binary) {
        this.scenario = scenario;
        this.binary = binary == null || binary.isBlank() ? DEFAULT_BINARY : binary;
    }

    /** {@value #DEFAULT_BINARY} on the PATH, if it is there. */
    public static java.util.Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return java.util.Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, DEFAULT_BINARY);
                if (Files.isExecutable(p)) {
                    return java.util.Optional.of(p);
                }
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public String description() {
        return "QEMU (" + Path.of(binary).getFileName() + ") · " + scenario.name();
    }

    @Override
    public Session open(Progress progress) throws Exception {
        PrivateSocketDir dir = PrivateSocketDir.create();
        Process qemu = null;
        QmpClient client = null;
        try {
            Path socket = dir.resolve("qmp.sock");
            List<String> cmd = new ArrayList<>(List.of(binary));
            cmd.addAll(ScenarioStartup.prepare(scenario, dir, socket, progress));
            Path log = dir.resolve("qemu.log");

            progress.step("Starting " + binary + " (" + scenario.name() + ")…");
            try {
                qemu = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IOException("Could not run " + binary + ": is QEMU installed (qemu-system-x86)?", e);
            }
            waitForSocket(qemu, socket, log);

            ScenarioStartup.Connected c = ScenarioStartup.connect(scenario, socket, progress, TIMEOUT_SECONDS);
            client = c.client();
            WireLog wire = c.wire();

            Process started = qemu;
            QmpClient connected = client;
            // a console ended by a signal closes no session: QEMU must not outlive it
            Thread reaper = new Thread(started::destroyForcibly, "blockdeck-qemu-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            return new QmpSession(client, wire, socket.toString(), description(), () -> {
                try {
                    quit(connected, started);
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(reaper);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs anyway; QEMU is gone already
                    }
                    dir.close();
                }
            });
        } catch (Exception | Error e) {
            if (client != null) {
                client.close();
            }
            if (qemu != null) {
                qemu.destroyForcibly();
                qemu.waitFor(5, TimeUnit.SECONDS);
            }
            try {
                dir.close();
            } catch (RuntimeException ignored) {
                // keep the original failure
            }
            throw e;
        }
    }

    /** QEMU creates its socket once it has parsed the command line; if it exits first, its own words say why. */
    private static void waitForSocket(Process qemu, Path socket, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.exists(socket)) {
            if (!qemu.isAlive()) {
                qemu.waitFor();
                throw new IOException("QEMU exited with status " + qemu.exitValue() + ": "
                        + Files.readString(log).strip());
            }
            if (System.nanoTime() > end) {
                throw new IOException("QEMU did not open its QMP socket within " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(20);
        }
    }

    private static void quit(QmpClient client, Process qemu) {
        try {
            client.execute("quit").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // gone already, or not answering: killed below
        }
        try {
            if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
                qemu.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            qemu.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

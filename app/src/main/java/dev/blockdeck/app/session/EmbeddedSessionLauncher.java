package dev.blockdeck.app.session;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.qmp.client.QmpClient;

import java.nio.file.Path;
import java.util.List;

/**
 * Starts the engine in this JVM on a scenario, with its QMP monitor on a Unix socket in a private
 * directory, then connects to it like to any QEMU.
 */
public final class EmbeddedSessionLauncher implements SessionLauncher {

    static final long TIMEOUT_SECONDS = 15;

    private final Scenario scenario;

    public EmbeddedSessionLauncher(Scenario scenario) {
        this.scenario = scenario;
    }

    @Override
    public String description() {
        return "Embedded engine · " + scenario.name();
    }

    @Override
    public Session open(Progress progress) throws Exception {
        PrivateSocketDir dir = PrivateSocketDir.create();
        Engine engine = null;
        QmpClient client = null;
        try {
            Path socket = dir.resolve("qmp.sock");
            List<String> args = ScenarioStartup.prepare(scenario, dir, socket, progress);

            progress.step("Starting the embedded engine (" + scenario.name() + ")…");
            engine = Engine.start(args);

            ScenarioStartup.Connected c = ScenarioStartup.connect(scenario, socket, progress, TIMEOUT_SECONDS);
            client = c.client();
            WireLog wire = c.wire();

            Engine started = engine;
            return new QmpSession(client, wire, socket.toString(), description(), () -> {
                try {
                    started.close();
                } finally {
                    dir.close();
                }
            });
        } catch (Exception | Error e) {
            if (client != null) {
                client.close();
            }
            if (engine != null) {
                engine.close();
            }
            try {
                dir.close();
            } catch (RuntimeException ignored) {
                // keep the original failure
            }
            throw e;
        }
    }
}

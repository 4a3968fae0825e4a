package dev.blockdeck.app.session;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.qmp.client.QmpClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
            progress.socket(socket);
            ScenarioDirectives directives = scenario.directives();
            if (!directives.images().isEmpty()) {
                // the private directory is removed with the session, so the images are too
                progress.step("Creating " + directives.images().size() + " image files…");
                ScenarioImages.create(directives.images(), dir.path());
            }
            List<String> args = new ArrayList<>(scenario.args(dir.path()));
            args.add("-qmp");
            args.add("unix:" + socket + ",server=on,wait=off");

            progress.step("Starting the embedded engine (" + scenario.name() + ")…");
            engine = Engine.start(args);

            progress.step("Connecting to " + socket + "…");
            client = QmpClient.connect(socket).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            WireLog wire = WireLog.attach(client);
            progress.step("Negotiating capabilities…");
            client.negotiate().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ScenarioSteps.run(client, directives.steps(), progress, TIMEOUT_SECONDS);

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

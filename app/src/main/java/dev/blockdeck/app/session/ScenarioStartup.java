package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.qmp.client.QmpClient;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What starting a scenario takes whatever runs it (the embedded engine or a real QEMU): its images and command
 * line with a QMP socket in the session's private directory, then the connection, capabilities and the
 * scenario's {@code #! qmp} lines.
 */
final class ScenarioStartup {

    /** A negotiated client and the wire log attached to it before its first byte. */
    record Connected(QmpClient client, WireLog wire) {
    }

    private ScenarioStartup() {
    }

    /** Makes the scenario's images in {@code dir} and returns its command line with {@code -qmp} on {@code socket}. */
    static List<String> prepare(Scenario scenario, PrivateSocketDir dir, Path socket, SessionLauncher.Progress progress)
            throws Exception {
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
        return args;
    }

    /** Connects, negotiates and sends the scenario's start-up commands; closes the client if any of it fails. */
    static Connected connect(Scenario scenario, Path socket, SessionLauncher.Progress progress, long timeoutSeconds)
            throws Exception {
        progress.step("Connecting to " + socket + "…");
        QmpClient client = QmpClient.connect(socket).get(timeoutSeconds, TimeUnit.SECONDS);
        try {
            WireLog wire = WireLog.attach(client);
            progress.step("Negotiating capabilities…");
            client.negotiate().get(timeoutSeconds, TimeUnit.SECONDS);
            runSteps(client, scenario.directives().steps(), progress, timeoutSeconds);
            return new Connected(client, wire);
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
    }

    /** The steps in order; the first refusal fails the start with the VM's words. */
    private static void runSteps(QmpClient client, List<ScenarioDirectives.Step> steps,
                                 SessionLauncher.Progress progress, long timeoutSeconds) throws Exception {
        if (steps.isEmpty()) {
            return;
        }
        progress.step("Sending the scenario's " + steps.size() + " start-up commands…");
        // pipelined: QMP answers in order, and one round trip each would add up over hundreds of moves
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (ScenarioDirectives.Step step : steps) {
            answers.add(client.execute(step.command(), step.arguments()));
        }
        for (int i = 0; i < steps.size(); i++) {
            try {
                answers.get(i).get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException("The scenario's start-up command " + steps.get(i) + " failed: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
    }
}

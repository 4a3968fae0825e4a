package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.qmp.client.QmpClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Sends a scenario's {@code #! qmp} lines once connected, for the engine and for a real QEMU alike. */
final class ScenarioSteps {

    private ScenarioSteps() {
    }

    /** The steps in order; the first refusal fails the start with the VM's words. */
    static void run(QmpClient client, List<ScenarioDirectives.Step> steps, SessionLauncher.Progress progress,
                    long timeoutSeconds) throws Exception {
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

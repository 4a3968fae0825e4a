package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.session.PrivateSocketDir;
import dev.blockdeck.qmp.client.QmpClient;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A console window on the embedded engine, running a scenario the test writes with a second QMP monitor of its
 * own ({@code ctl.sock}), through which the test checks what the console did. TestFX looks for {@code @Start} and
 * {@code @Stop} in the test class itself only, so each class keeps two one-line methods calling {@link #open} and
 * {@link #detach}.
 */
abstract class ControlledScenarioWindow {

    protected MainApp app;
    protected PrivateSocketDir dir;
    protected QmpClient control;

    /** Writes {@code scenarioText} and the control monitor to {@code NAME.args} and opens the console on it. */
    void open(Stage stage, String name, String scenarioText) throws Exception {
        dir = PrivateSocketDir.create();
        Path scenario = dir.resolve(name + ".args");
        Files.writeString(scenario, scenarioText + "\n-qmp unix:" + dir.resolve("ctl.sock") + ",server=on,wait=off\n");
        app = new MainApp(AppOptions.parse(List.of("--scenario", scenario.toString())));
        app.start(stage);
    }

    void detach() {
        app.stop();
    }

    /** Connects the test's own monitor (once the engine runs). */
    void connectControl() throws Exception {
        control = QmpClient.connect(dir.resolve("ctl.sock")).get(10, TimeUnit.SECONDS);
        control.negotiate().get(10, TimeUnit.SECONDS);
    }

    /** A command on the test's own monitor. */
    JsonNode qmp(String command, ObjectNode args) throws Exception {
        return control.execute(command, args).get(10, TimeUnit.SECONDS);
    }

    /** The {@code iothread} link of a guest device, as qom-get reads it. */
    String link(String device) throws Exception {
        return qmp("qom-get", JsonNodeFactory.instance.objectNode().put("path", "/machine/peripheral/" + device)
                .put("property", "iothread")).asText();
    }

    /** The engine's own answer: node-name → iothread ("main-loop" for null), or null for no such node. */
    String context(String node) throws Exception {
        for (JsonNode e : qmp("__dev.blockdeck_query-aio-contexts", null)) {
            if (node.equals(e.path("node-name").asText())) {
                return e.path("iothread").isNull() ? "main-loop" : e.path("iothread").asText();
            }
        }
        return null;
    }

    @AfterEach
    void closeControl() {
        if (control != null) {
            control.close();
            control = null;
        }
        if (dir != null) {
            dir.close();
        }
    }
}

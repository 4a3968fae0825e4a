package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.blockdeck.app.session.EmbeddedSessionLauncher;
import dev.blockdeck.app.session.PrivateSocketDir;
import dev.blockdeck.app.session.Scenario;
import dev.blockdeck.app.session.ScenarioDirectives;
import dev.blockdeck.app.session.ScenarioImages;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.SessionLauncher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped scenarios are real QEMU 7.2 command lines: QEMU accepts each one (images and {@code #! qmp}
 * lines included), and ends up with the same nodes, drivers, read-only flags, sizes, backing depths, devices
 * and IOThreads as the embedded engine. Slow-ish (QEMU plus the engine on 1,000 nodes): a few seconds.
 */
class ScenarioQemuTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "database", "stress-1000"})
    void qemuAndTheEngineBuildTheSameGraph(String name) throws Exception {
        assumeTrue(QemuVm.available(), QemuVm.BINARY + " not found: skipping the scenario check against a real QEMU");
        Scenario scenario = Scenario.load(name);
        ScenarioDirectives directives = scenario.directives();
        List<String> fromQemu;
        try (PrivateSocketDir images = PrivateSocketDir.create()) {
            ScenarioImages.create(directives.images(), images.path());
            try (QemuVm vm = QemuVm.start(List.of(), scenario.args(images.path()))) {
                for (ScenarioDirectives.Step step : directives.steps()) {
                    vm.execute(step.command(), step.arguments() == null ? null : step.arguments().toString());
                }
                fromQemu = summary(vm.execute("query-named-block-nodes", "{\"flat\": true}"),
                        vm.execute("query-block", null), vm.execute("query-iothreads", null));
            }
        }
        List<String> fromEngine;
        try (Session s = new EmbeddedSessionLauncher(scenario).open(SessionLauncher.Progress.NONE)) {
            fromEngine = summary(s.execute("query-named-block-nodes", JsonNodeFactory.instance.objectNode().put("flat", true))
                            .get(10, TimeUnit.SECONDS), s.execute("query-block", null).get(10, TimeUnit.SECONDS),
                    s.execute("query-iothreads", null).get(10, TimeUnit.SECONDS));
        }
        assertThat(fromEngine).hasSizeGreaterThan(5).containsExactlyInAnyOrderElementsOf(fromQemu);
    }

    /** One line per node, backend and IOThread, without what differs by machine (paths, thread ids). */
    private static List<String> summary(JsonNode nodes, JsonNode block, JsonNode iothreads) {
        List<String> lines = new ArrayList<>();
        for (JsonNode n : nodes) {
            String file = n.path("file").asText();
            lines.add("node " + n.path("node-name").asText() + " " + n.path("drv").asText() + " ro=" + n.path("ro")
                    + " size=" + n.path("image").path("virtual-size").asLong() + " depth=" + n.path("backing_file_depth")
                    + " file=" + (file.startsWith("/") ? file.substring(file.lastIndexOf('/') + 1) : file.startsWith("json:") ? "json" : file));
        }
        for (JsonNode b : block) {
            lines.add("backend " + b.path("device").asText() + " " + b.path("qdev").asText() + " "
                    + b.path("inserted").path("node-name").asText());
        }
        for (JsonNode t : iothreads) {
            lines.add("iothread " + t.path("id").asText());
        }
        // QEMU's generated node names (#blockNNN) carry a random part: compare that there is one
        return lines.stream().map(l -> l.replaceAll("#block[0-9]+", "#block")).toList();
    }
}

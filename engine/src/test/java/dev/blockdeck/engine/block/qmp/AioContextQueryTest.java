package dev.blockdeck.engine.block.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.QmpScript;

/** The downstream AioContext query follows x-blockdev-set-iothread moves of whole components. */
class AioContextQueryTest {
    @Test
    void reportsEachNodesContext() throws Exception {
        try (EngineProcess e = EngineProcess.start("-object", "iothread,id=io0")) {
            List<String> t = QmpScript.run(e.socket(), List.of(
                    "{\"execute\": \"qmp_capabilities\"}",
                    "{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": \"null-co\", \"node-name\": \"n0\"}}",
                    "{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": \"raw\", \"node-name\": \"r1\","
                            + " \"file\": {\"driver\": \"null-co\", \"node-name\": \"n1\"}}}",
                    "{\"execute\": \"x-blockdev-set-iothread\", \"arguments\": {\"node-name\": \"n1\", \"iothread\": \"io0\"}}",
                    "{\"execute\": \"" + AioContextQuery.NAME + "\", \"id\": 1}",
                    "{\"execute\": \"x-blockdev-set-iothread\", \"arguments\": {\"node-name\": \"r1\", \"iothread\": null}}",
                    "{\"execute\": \"" + AioContextQuery.NAME + "\", \"id\": 2}"));
            assertThat(t.get(5)).isEqualTo("{\"return\": [{\"node-name\": \"r1\", \"iothread\": \"io0\"}, "
                    + "{\"node-name\": \"n1\", \"iothread\": \"io0\"}, {\"node-name\": \"n0\", \"iothread\": null}], \"id\": 1}");
            assertThat(t.get(7)).isEqualTo("{\"return\": [{\"node-name\": \"r1\", \"iothread\": null}, "
                    + "{\"node-name\": \"n1\", \"iothread\": null}, {\"node-name\": \"n0\", \"iothread\": null}], \"id\": 2}");
        }
    }
}

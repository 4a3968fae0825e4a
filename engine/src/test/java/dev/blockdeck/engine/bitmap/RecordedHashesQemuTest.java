package dev.blockdeck.engine.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.client.QmpClient;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.RecordedBitmapHashes;
import dev.blockdeck.testutil.RecordedBitmapHashes.Case;
import dev.blockdeck.testutil.RecordedBitmapHashes.Expect;
import dev.blockdeck.testutil.RecordedBitmapHashes.Io;
import dev.blockdeck.testutil.RecordedBitmapHashes.Qmp;
import dev.blockdeck.testutil.RecordedBitmapHashes.Step;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * The recorded dirty bitmap contents still are what QEMU 7.2 produces: every case runs on a fresh QEMU, writes
 * through HMP's qemu-io, and the counts and x-debug-block-dirty-bitmap-sha256 must equal the recording. With
 * {@code -Dblockdeck.bitmap.record=PATH} the observed values are written to PATH as a new recording.
 */
class RecordedHashesQemuTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;

    @BeforeEach
    void images() throws Exception {
        Qemu.requireBinary();
        dir = ShortTempDir.create("bmq");
        Process p = new ProcessBuilder("qemu-img", "create", "-f", "raw", dir.resolve("a.img").toString(), "1M")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
    }

    @AfterEach
    void cleanup() {
        ShortTempDir.delete(dir);
    }

    @Test
    void qemuStillProducesTheRecording() throws Exception {
        RecordedBitmapHashes rec = RecordedBitmapHashes.load();
        Map<String, Expect> observed = new HashMap<>();
        for (Case c : rec.cases()) {
            try (Qemu q = Qemu.start(); QmpClient client = QmpClient.connect(q.socket()).get(10, TimeUnit.SECONDS)) {
                client.negotiate().get(10, TimeUnit.SECONDS);
                for (Step s : c.steps()) {
                    if (s instanceof Qmp qmp) {
                        ObjectNode cmd = (ObjectNode) JSON.readTree(qmp.json().replace("$DIR", dir.toString()));
                        execute(client, cmd);
                    } else if (s instanceof Io io) {
                        ObjectNode args = JSON.createObjectNode().put("command-line",
                                "qemu-io " + io.node() + " \"" + io.command() + "\"");
                        String out = client.execute("human-monitor-command", args).get(10, TimeUnit.SECONDS)
                                .asText();
                        assertThat(out).as("%s: qemu-io %s", c, io.command()).doesNotContain("failed", "error");
                    } else if (s instanceof Expect e) {
                        Expect got = observe(client, e);
                        observed.put(RecordedBitmapHashes.key(c, e), got);
                    }
                }
            }
        }
        String record = System.getProperty("blockdeck.bitmap.record");
        if (record != null) {
            rec.write(Path.of(record), observed);
        }
        for (Case c : rec.cases()) {
            for (Step s : c.steps()) {
                if (s instanceof Expect e) {
                    assertThat(observed.get(RecordedBitmapHashes.key(c, e))).as("%s %s/%s", c, e.node(), e.bitmap())
                            .isEqualTo(e);
                }
            }
        }
        assertThat(Files.exists(dir)).isTrue();
    }

    private static JsonNode execute(QmpClient client, ObjectNode cmd) throws Exception {
        String name = cmd.get("execute").asText();
        ObjectNode args = cmd.has("arguments") ? (ObjectNode) cmd.get("arguments") : JSON.createObjectNode();
        return client.execute(name, args).get(10, TimeUnit.SECONDS);
    }

    private static Expect observe(QmpClient client, Expect e) throws Exception {
        ObjectNode a = JSON.createObjectNode().put("node", e.node()).put("name", e.bitmap());
        String sha = client.execute("x-debug-block-dirty-bitmap-sha256", a).get(10, TimeUnit.SECONDS).get("sha256")
                .asText();
        JsonNode nodes = client.execute("query-named-block-nodes", JSON.createObjectNode().put("flat", true))
                .get(10, TimeUnit.SECONDS);
        long count = -1;
        for (JsonNode n : nodes) {
            if (n.get("node-name").asText().equals(e.node())) {
                for (JsonNode b : n.path("dirty-bitmaps")) {
                    if (b.path("name").asText().equals(e.bitmap())) {
                        count = b.get("count").asLong();
                    }
                }
            }
        }
        return new Expect(e.node(), e.bitmap(), count, sha);
    }
}

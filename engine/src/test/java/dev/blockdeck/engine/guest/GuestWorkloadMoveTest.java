package dev.blockdeck.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.testutil.EngineProcess;

/**
 * A free-running workload on a qcow2 and a raw drive keeps going, verified, while x-blockdev-set-iothread
 * (force=true) moves its drives between two IOThreads and the main loop; stop finds no failed verification and
 * no request completed off its drive's context, and QEMU's qemu-img finds the qcow2 image clean.
 */
class GuestWorkloadMoveTest {
    @TempDir
    Path dir;

    @Test
    void freeRunningWorkloadKeepsVerifyingWhileItsDrivesMove() throws Exception {
        QemuTools.require();
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "a.qcow2", "32M");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "raw", "b.raw", "32M");
        Path a = dir.resolve("a.qcow2");
        Path b = dir.resolve("b.raw");
        try (EngineProcess e = EngineProcess.start("-object", "iothread,id=io0", "-object", "iothread,id=io1",
                "-drive", "file=" + a + ",format=qcow2,if=none,id=da,node-name=na",
                "-drive", "file=" + b + ",format=raw,if=none,id=db,node-name=nb");
             QmpSession q = QmpSession.open(e.socket())) {
            q.ok("__dev.blockdeck_guest-workload-start", "{\"id\": \"w\", \"drives\": [\"da\", \"db\"], "
                    + "\"pattern\": \"random\", \"queue-depth\": 4, \"read-percent\": 50}");
            String[] where = {"\"io0\"", "\"io1\"", "null"};
            long opsBefore = 0;
            for (int i = 0; i < 12; i++) {
                q.ok("x-blockdev-set-iothread", "{\"node-name\": \"na\", \"iothread\": " + where[i % 3]
                        + ", \"force\": true}");
                q.ok("x-blockdev-set-iothread", "{\"node-name\": \"nb\", \"iothread\": " + where[(i + 1) % 3]
                        + ", \"force\": true}");
                assertThat(contexts(q)).containsEntry("na", where[i % 3].replace("\"", ""))
                        .containsEntry("nb", where[(i + 1) % 3].replace("\"", ""));
                long ops = workload(q).get("ops").asLong();
                waitForOps(q, ops + 50);
                if (i == 5) {
                    opsBefore = workload(q).get("ops").asLong();
                }
            }
            JsonNode running = workload(q);
            assertThat(running.get("running").asBoolean()).isTrue();
            assertThat(running.get("ops").asLong()).isGreaterThan(opsBefore);

            JsonNode fin = q.ok("__dev.blockdeck_guest-workload-stop", "{\"id\": \"w\"}");
            assertThat(fin.has("error")).as("first problem: %s", fin.path("error").asText()).isFalse();
            assertThat(fin.get("verify-failures").asLong()).isZero();
            assertThat(fin.get("errors").asLong()).isZero();
            assertThat(fin.get("running").asBoolean()).isFalse();
            assertThat(fin.get("reads").asLong()).isPositive();
            assertThat(fin.get("writes").asLong()).isPositive();
            assertThat(fin.get("ops").asLong()).isEqualTo(fin.get("reads").asLong() + fin.get("writes").asLong());
            assertThat(fin.get("bytes-written").asLong()).isEqualTo(fin.get("writes").asLong() * 4096);
            assertThat(fin.get("bytes-read").asLong()).isEqualTo(fin.get("reads").asLong() * 4096);
            assertThat(q.ok("__dev.blockdeck_query-guest-workloads", null)).isEmpty();
        }
        QemuTools.Run check = QemuTools.ok(dir, "qemu-img", "check", "a.qcow2");
        assertThat(check.out()).contains("No errors were found");
        // every block is a stamp or never written, read back through the engine's qcow2 reader and as raw
        CutChecker.Report r = CutChecker.checkChains(4096, Map.of("a", List.of(a), "b", List.of(b)));
        assertThat(r.damaged()).isEmpty();
        assertThat(r.stamps()).isPositive();
    }

    static JsonNode workload(QmpSession q) throws Exception {
        JsonNode list = q.ok("__dev.blockdeck_query-guest-workloads", null);
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    static void waitForOps(QmpSession q, long ops) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (workload(q).get("ops").asLong() < ops) {
            assertThat(System.nanoTime()).as("ops did not reach %d", ops).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static Map<String, String> contexts(QmpSession q) throws Exception {
        Map<String, String> m = new java.util.HashMap<>();
        for (JsonNode n : q.ok("__dev.blockdeck_query-aio-contexts", null)) {
            m.put(n.get("node-name").asText(), n.get("iothread").isNull() ? "null" : n.get("iothread").asText());
        }
        return m;
    }
}

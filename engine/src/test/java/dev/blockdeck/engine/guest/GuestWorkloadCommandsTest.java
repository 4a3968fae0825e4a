package dev.blockdeck.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.qmp.QmpCommandException;
import dev.blockdeck.testutil.EngineProcess;

/**
 * The guest commands' contract: what start refuses (and that a refused start leaves nothing behind), the
 * permissions a workload takes and gives back, a dependent workload that fills its drive and says so, and an
 * engine that quits while a workload runs.
 */
class GuestWorkloadCommandsTest {
    private static final String START = "__dev.blockdeck_guest-workload-start";
    private static final String STOP = "__dev.blockdeck_guest-workload-stop";
    private static final String QUERY = "__dev.blockdeck_query-guest-workloads";

    @TempDir
    Path dir;

    private EngineProcess engine() throws Exception {
        QemuTools.require();
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "a.qcow2", "16M");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "raw", "ro.raw", "1M");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "raw", "small.raw", "64K");
        return EngineProcess.start("-object", "iothread,id=io0",
                "-drive", "file=" + dir.resolve("a.qcow2") + ",format=qcow2,if=none,id=da,node-name=na",
                "-drive", "file=" + dir.resolve("ro.raw") + ",format=raw,if=none,id=dro,readonly=on",
                "-drive", "file=" + dir.resolve("small.raw") + ",format=raw,if=none,id=dsmall,node-name=ns",
                "-drive", "if=none,id=dempty");
    }

    @Test
    void startRefusesWhatItCannotDoAndLeavesNothingBehind() throws Exception {
        try (EngineProcess e = engine(); QmpSession q = QmpSession.open(e.socket())) {
            expect(q, "{\"id\": \"w\", \"drives\": [\"nope\"]}", "DeviceNotFound", "Device 'nope' not found");
            expect(q, "{\"id\": \"w\", \"drives\": [\"dempty\"]}", "GenericError", "Device 'dempty' has no medium");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\", \"dro\"]}", "GenericError", "Block node is read-only");
            expect(q, "{\"id\": \"w\", \"drives\": []}", "GenericError",
                    "Parameter 'drives' expects at least one drive");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\", \"da\"]}", "GenericError",
                    "Parameter 'drives' expects each drive at most once");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\"], \"block-size\": 1000}", "GenericError",
                    "Parameter 'block-size' expects a power of 2 between 512 and 1048576");
            expect(q, "{\"id\": \"w\", \"drives\": [\"dsmall\"], \"block-size\": 131072}", "GenericError",
                    "Parameter 'block-size' expects a size no larger than drive 'dsmall' (65536 bytes)");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\"], \"writers\": 2}", "GenericError",
                    "Parameter 'writers' expects to be used with 'dependent': true");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\"], \"dependent\": true, \"queue-depth\": 2}",
                    "GenericError", "Parameter 'queue-depth' expects to be used without 'dependent': true");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\"], \"dependent\": true, \"pattern\": \"random\"}",
                    "GenericError", "Parameter 'pattern' expects to be used without 'dependent': true");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\"], \"read-percent\": 101}", "GenericError",
                    "Parameter 'read-percent' expects a value between 0 and 100");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\"], \"queue-depth\": 0}", "GenericError",
                    "Parameter 'queue-depth' expects a value between 1 and 256");
            expect(q, "{\"id\": \"w\", \"drives\": [\"da\"], \"pattern\": \"zigzag\"}", "GenericError",
                    "Parameter 'pattern' does not accept value 'zigzag'");
            expect(q, "{\"id\": \"w\"}", "GenericError", "Parameter 'drives' is missing");
            QmpCommandException stop = q.error(STOP, "{\"id\": \"w\"}");
            assertThat(stop.getDesc()).isEqualTo("Guest workload 'w' not found");
            assertThat(q.ok(QUERY, null)).isEmpty();
            // the refused start with a read-only second drive gave the first its permissions back
            assertThat(rootPerm(q, "da")).containsExactly("consistent-read");

            long t0 = System.nanoTime();
            q.ok(START, "{\"id\": \"w\", \"drives\": [\"da\"], \"rate\": 200}");
            assertThat(rootPerm(q, "da")).containsExactly("write", "consistent-read");
            assertThat(q.error(START, "{\"id\": \"w\", \"drives\": [\"dsmall\"]}").getDesc())
                    .isEqualTo("Guest workload 'w' already exists");
            assertThat(q.error(START, "{\"id\": \"v\", \"drives\": [\"dsmall\", \"da\"]}").getDesc())
                    .isEqualTo("Drive 'da' is in use by guest workload 'w'");
            Thread.sleep(300);
            JsonNode fin = q.ok(STOP, "{\"id\": \"w\"}");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(fin.get("verify-failures").asLong()).isZero();
            assertThat(fin.get("ops").asLong()).as("paced at 200/s over %.2f s", seconds)
                    .isBetween(20L, (long) (200 * seconds) + 2);
            assertThat(rootPerm(q, "da")).containsExactly("consistent-read");
            // the id and the drive are free again
            q.ok(START, "{\"id\": \"w\", \"drives\": [\"da\"], \"rate\": 200}");
            q.ok(STOP, "{\"id\": \"w\"}");
        }
    }

    @Test
    void aDependentWorkloadThatFillsItsDriveStopsAndSaysSo() throws Exception {
        try (EngineProcess e = engine(); QmpSession q = QmpSession.open(e.socket())) {
            q.ok("x-blockdev-set-iothread", "{\"node-name\": \"ns\", \"iothread\": \"io0\", \"force\": true}");
            q.ok(START, "{\"id\": \"fill\", \"drives\": [\"dsmall\"], \"dependent\": true, \"writers\": 2, "
                    + "\"read-percent\": 30}");
            long deadline = System.nanoTime() + 20_000_000_000L;
            JsonNode w;
            while ((w = q.ok(QUERY, null).get(0)).get("running").asBoolean()) {
                assertThat(System.nanoTime()).as("the workload should end when the drive is full").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(w.get("error").asText()).matches("drive 'dsmall' is full \\(16 blocks of 4096 bytes\\): "
                    + "writer [01] stopped before its write \\d+");
            assertThat(w.get("writes").asLong()).isEqualTo(16);
            JsonNode fin = q.ok(STOP, "{\"id\": \"fill\"}");
            assertThat(fin.get("writes").asLong()).isEqualTo(16);
            assertThat(fin.get("verify-failures").asLong()).isZero();
            assertThat(fin.get("errors").asLong()).isZero();
        }
        CutChecker.Report r = CutChecker.checkChains(4096, Map.of("dsmall", List.of(dir.resolve("small.raw"))));
        assertThat(r.consistent()).as(r.describe()).isTrue();
        assertThat(r.stamps()).isEqualTo(16);
        assertThat(r.highest().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(16);
    }

    @Test
    void theEngineQuitsWhileAWorkloadRunsAndLeavesACleanImage() throws Exception {
        try (EngineProcess e = engine(); QmpSession q = QmpSession.open(e.socket())) {
            q.ok("x-blockdev-set-iothread", "{\"node-name\": \"na\", \"iothread\": \"io0\", \"force\": true}");
            q.ok(START, "{\"id\": \"w\", \"drives\": [\"da\"], \"pattern\": \"random\", \"queue-depth\": 8}");
            GuestWorkloadMoveTest.waitForOps(q, 200);
            q.ok("quit", null);
            assertThat(e.engine().terminated().get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        }
        assertThat(QemuTools.ok(dir, "qemu-img", "check", "a.qcow2").out()).contains("No errors were found");
        CutChecker.Report r = CutChecker.checkChains(4096, Map.of("da", List.of(dir.resolve("a.qcow2"))));
        assertThat(r.damaged()).isEmpty();
        assertThat(r.stamps()).isPositive();
    }

    private static void expect(QmpSession q, String args, String errorClass, String desc) throws Exception {
        QmpCommandException e = q.error(START, args);
        assertThat(e.getErrorClass() + ": " + e.getDesc()).as(args).isEqualTo(errorClass + ": " + desc);
    }

    /** The permissions the backend {@code backend} takes on its root, from x-debug-query-block-graph. */
    private static List<String> rootPerm(QmpSession q, String backend) throws Exception {
        JsonNode g = q.ok("x-debug-query-block-graph", null);
        long id = -1;
        for (JsonNode n : g.get("nodes")) {
            if (n.get("name").asText().equals(backend) && n.get("type").asText().equals("block-backend")) {
                id = n.get("id").asLong();
            }
        }
        List<String> perm = new ArrayList<>();
        for (JsonNode edge : g.get("edges")) {
            if (edge.get("parent").asLong() == id) {
                edge.get("perm").forEach(p -> perm.add(p.asText()));
            }
        }
        assertThat(perm).as("backend %s has a root edge", backend).isNotEmpty();
        return perm;
    }
}

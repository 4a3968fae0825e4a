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
import dev.blockdeck.testutil.EngineProcess;

/**
 * The end-to-end use of the guest: a dependent workload on two drives in IOThreads, snapshot sets taken with one
 * {@code transaction} of two {@code blockdev-snapshot-sync} actions while the drives also move between IOThreads.
 * Every snapshot set passes the cut checker, the full chains hold every write the workload completed, a set made
 * of layers from different moments does not pass, and QEMU's tools agree: qemu-img check finds every image clean
 * and the chains converted to raw by qemu-img check the same.
 */
class ConsistentCutTest {
    private static final int SETS = 8;

    @TempDir
    Path dir;

    @Test
    void snapshotSetsOfADependentWorkloadAreConsistentCuts() throws Exception {
        QemuTools.require();
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "a0.qcow2", "64M");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "b0.qcow2", "64M");
        List<Path> chainA = new ArrayList<>(List.of(dir.resolve("a0.qcow2")));
        List<Path> chainB = new ArrayList<>(List.of(dir.resolve("b0.qcow2")));
        JsonNode fin;
        try (EngineProcess e = EngineProcess.start("-object", "iothread,id=io0", "-object", "iothread,id=io1",
                "-drive", "file=" + chainA.get(0) + ",format=qcow2,if=none,id=da,node-name=a0",
                "-drive", "file=" + chainB.get(0) + ",format=qcow2,if=none,id=db,node-name=b0");
             QmpSession q = QmpSession.open(e.socket())) {
            q.ok("x-blockdev-set-iothread", "{\"node-name\": \"a0\", \"iothread\": \"io0\", \"force\": true}");
            q.ok("__dev.blockdeck_guest-workload-start", "{\"id\": \"cut\", \"drives\": [\"da\", \"db\"], "
                    + "\"dependent\": true, \"writers\": 3, \"read-percent\": 20}");
            for (int k = 1; k <= SETS; k++) {
                GuestWorkloadMoveTest.waitForOps(q, GuestWorkloadMoveTest.workload(q).get("ops").asLong() + 40);
                Path sa = dir.resolve("a" + k + ".qcow2");
                Path sb = dir.resolve("b" + k + ".qcow2");
                q.ok("transaction", "{\"actions\": ["
                        + snapshot("da", sa, "a" + k) + ", " + snapshot("db", sb, "b" + k) + "]}");
                chainA.add(sa);
                chainB.add(sb);
                String[] where = {"\"io1\"", "null", "\"io0\""};
                q.ok("x-blockdev-set-iothread", "{\"node-name\": \"b" + k + "\", \"iothread\": " + where[k % 3]
                        + ", \"force\": true}");
            }
            GuestWorkloadMoveTest.waitForOps(q, GuestWorkloadMoveTest.workload(q).get("ops").asLong() + 40);
            fin = q.ok("__dev.blockdeck_guest-workload-stop", "{\"id\": \"cut\"}");
        }
        assertThat(fin.has("error")).as("first problem: %s", fin.path("error").asText()).isFalse();
        assertThat(fin.get("verify-failures").asLong()).isZero();
        assertThat(fin.get("errors").asLong()).isZero();
        assertThat(fin.get("reads").asLong()).isPositive();
        long writes = fin.get("writes").asLong();

        for (Path p : chainA) {
            assertThat(QemuTools.ok(dir, "qemu-img", "check", p.getFileName().toString()).out())
                    .contains("No errors were found");
        }
        for (Path p : chainB) {
            assertThat(QemuTools.ok(dir, "qemu-img", "check", p.getFileName().toString()).out())
                    .contains("No errors were found");
        }

        // set k = the layers frozen by snapshot k (base .. k-1); the last set is the whole chains
        int lastStamps = -1;
        CutChecker.Report full = null;
        try (CutChecker c = new CutChecker(4096)) {
            for (int k = 0; k <= SETS; k++) {
                c.addLayer("da", chainA.get(k));
                c.addLayer("db", chainB.get(k));
                CutChecker.Report r = c.check();
                assertThat(r.consistent()).as("set %d: %s", k + 1, r.describe()).isTrue();
                assertThat(r.stamps()).as("set %d grows", k + 1).isGreaterThan(lastStamps);
                lastStamps = r.stamps();
                full = r;
            }
        }
        assertThat(full.stamps()).as("every completed write is in the chains").isEqualTo(writes);
        assertThat(full.highest().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(writes);
        assertThat(full.highest()).containsOnlyKeys(0, 1, 2);

        // layers from different moments: drive a as of the first set, drive b as it ended. Writers alternate
        // drives, so b holds successors of writes that a's early layers lack.
        CutChecker.Report torn = CutChecker.checkChains(4096, Map.of("da", chainA.subList(0, 1), "db", chainB));
        assertThat(torn.violations()).isNotEmpty();

        // QEMU reads the chains too: converted to raw by qemu-img, the final set checks the same
        QemuTools.ok(dir, "qemu-img", "convert", "-O", "raw", chainA.get(SETS).getFileName().toString(), "a.raw");
        QemuTools.ok(dir, "qemu-img", "convert", "-O", "raw", chainB.get(SETS).getFileName().toString(), "b.raw");
        CutChecker.Report raw = CutChecker.checkChains(4096,
                Map.of("da", List.of(dir.resolve("a.raw")), "db", List.of(dir.resolve("b.raw"))));
        assertThat(raw).isEqualTo(full);
    }

    /**
     * The control: snapshots of the two drives taken by two commands, with the workload running in between, are
     * not a cut, and the checker says so (writers that went on from a to b in between left successors in b's
     * frozen layer whose predecessors a's lacks).
     */
    @Test
    void snapshotsTakenOneAfterTheOtherAreNotACut() throws Exception {
        QemuTools.require();
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "a0.qcow2", "64M");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "b0.qcow2", "64M");
        Path a0 = dir.resolve("a0.qcow2");
        Path b0 = dir.resolve("b0.qcow2");
        try (EngineProcess e = EngineProcess.start("-object", "iothread,id=io0",
                "-drive", "file=" + a0 + ",format=qcow2,if=none,id=da,node-name=a0",
                "-drive", "file=" + b0 + ",format=qcow2,if=none,id=db,node-name=b0");
             QmpSession q = QmpSession.open(e.socket())) {
            q.ok("x-blockdev-set-iothread", "{\"node-name\": \"b0\", \"iothread\": \"io0\", \"force\": true}");
            q.ok("__dev.blockdeck_guest-workload-start", "{\"id\": \"torn\", \"drives\": [\"da\", \"db\"], "
                    + "\"dependent\": true, \"writers\": 2, \"read-percent\": 0}");
            GuestWorkloadMoveTest.waitForOps(q, 20);
            q.ok("blockdev-snapshot-sync", "{\"device\": \"da\", \"snapshot-file\": \"" + dir.resolve("a1.qcow2")
                    + "\", \"format\": \"qcow2\"}");
            GuestWorkloadMoveTest.waitForOps(q, GuestWorkloadMoveTest.workload(q).get("ops").asLong() + 40);
            q.ok("blockdev-snapshot-sync", "{\"device\": \"db\", \"snapshot-file\": \"" + dir.resolve("b1.qcow2")
                    + "\", \"format\": \"qcow2\"}");
            JsonNode fin = q.ok("__dev.blockdeck_guest-workload-stop", "{\"id\": \"torn\"}");
            assertThat(fin.get("verify-failures").asLong()).isZero();
        }
        CutChecker.Report r = CutChecker.checkChains(4096, Map.of("da", List.of(a0), "db", List.of(b0)));
        assertThat(r.violations()).as(r.describe()).isNotEmpty();
        assertThat(r.damaged()).isEmpty();
    }

    private static String snapshot(String device, Path file, String nodeName) {
        return "{\"type\": \"blockdev-snapshot-sync\", \"data\": {\"device\": \"" + device + "\", \"snapshot-file\": \""
                + file + "\", \"snapshot-node-name\": \"" + nodeName + "\", \"format\": \"qcow2\"}}";
    }
}

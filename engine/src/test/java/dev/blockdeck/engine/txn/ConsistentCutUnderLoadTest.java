package dev.blockdeck.engine.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.engine.guest.CutChecker;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * The consistent cut under load: 8 drives over 2 IOThreads run a dependent guest workload (a writer's next write
 * goes to another drive and is issued only after its previous one completed, each stamped with the writer's
 * sequence number); 200 transactions snapshot all 8 drives while it runs. Afterwards every snapshot set is read
 * back and no write is present whose causal predecessor is missing. Every QMP call runs under the 5 s watchdog.
 */
class ConsistentCutUnderLoadTest {
    private static final int DRIVES = 8;
    private static final int SETS = 200;
    private static final int BLOCK = 65536; // whole clusters: a new layer never reads down a 200-deep chain

    @TempDir
    Path dir;

    @Test
    void twoHundredSnapshotSetsOfEightDrivesAreAllConsistentCuts() throws Exception {
        QemuTools.require();
        List<String> args = new ArrayList<>(List.of("-object", "iothread,id=io0", "-object", "iothread,id=io1"));
        List<List<Path>> chains = new ArrayList<>();
        for (int d = 0; d < DRIVES; d++) {
            Path base = dir.resolve("d" + d + "-0.qcow2");
            QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "2G");
            args.addAll(List.of("-drive", "file=" + base + ",format=qcow2,if=none,id=drv" + d + ",node-name=n" + d));
            chains.add(new ArrayList<>(List.of(base)));
        }
        JsonNode fin;
        try (EngineProcess e = EngineProcess.start(args.toArray(String[]::new));
             WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            for (int d = 0; d < DRIVES; d++) {
                q.ok("x-blockdev-set-iothread", "{\"node-name\":\"n" + d + "\",\"iothread\":\"io" + (d % 2)
                        + "\",\"force\":true}");
            }
            StringBuilder drives = new StringBuilder();
            for (int d = 0; d < DRIVES; d++) {
                drives.append(d == 0 ? "" : ",").append("\"drv").append(d).append('"');
            }
            q.ok("__dev.blockdeck_guest-workload-start", "{\"id\":\"load\",\"drives\":[" + drives + "],"
                    + "\"dependent\":true,\"writers\":4,\"read-percent\":0,\"block-size\":" + BLOCK + "}");
            long lastOps = 0;
            java.util.Random rnd = new java.util.Random(202);
            for (int k = 1; k <= SETS; k++) {
                StringBuilder actions = new StringBuilder();
                // the actions come in a different order each time: a writer's next drive is then often one that a
                // later action drains, which is where a cut that let moved devices resume early would tear
                List<Integer> order = new ArrayList<>();
                for (int d = 0; d < DRIVES; d++) {
                    order.add(d);
                }
                java.util.Collections.shuffle(order, rnd);
                for (int d : order) {
                    Path next = dir.resolve("d" + d + "-" + k + ".qcow2");
                    chains.get(d).add(next);
                    actions.append(actions.length() == 0 ? "" : ",").append("{\"type\":\"blockdev-snapshot-sync\",\"data\":{")
                            .append("\"device\":\"drv").append(d).append("\",\"snapshot-file\":\"").append(next)
                            .append("\",\"format\":\"qcow2\"}}");
                }
                q.ok("transaction", "{\"actions\":[" + actions + "]}");
                long ops = q.ok("__dev.blockdeck_query-guest-workloads", null).get(0).get("ops").asLong();
                if (k % 50 == 0) {
                    assertThat(ops).as("the workload keeps running between transactions").isGreaterThan(lastOps);
                    lastOps = ops;
                }
            }
            fin = q.ok("__dev.blockdeck_guest-workload-stop", "{\"id\":\"load\"}");
        }
        assertThat(fin.has("error")).as("first problem: %s", fin.path("error").asText()).isFalse();
        assertThat(fin.get("errors").asLong()).isZero();
        assertThat(fin.get("verify-failures").asLong()).isZero();
        long writes = fin.get("writes").asLong();
        assertThat(writes).isGreaterThan(SETS);

        // set k = every drive's chain up to the layer snapshot k froze (layers 0 .. k-1); set SETS+1 = all
        int violations = 0;
        CutChecker.Report last = null;
        try (CutChecker c = new CutChecker(BLOCK)) {
            for (int k = 0; k <= SETS; k++) {
                for (int d = 0; d < DRIVES; d++) {
                    c.addLayer("drv" + d, chains.get(d).get(k));
                }
                CutChecker.Report r = c.check();
                violations += r.violations().size();
                assertThat(r.damaged()).as("set %d", k + 1).isEmpty();
                assertThat(r.consistent()).as("set %d: %s", k + 1, r.describe()).isTrue();
                last = r;
            }
        }
        assertThat(violations).isZero();
        assertThat(last.stamps()).as("the full chains hold every completed write").isEqualTo(writes);
        for (int d = 0; d < DRIVES; d += 3) {
            Path top = chains.get(d).get(SETS);
            assertThat(QemuTools.run(dir, "qemu-img", "check", top.getFileName().toString()).exit()).isZero();
        }
    }
}

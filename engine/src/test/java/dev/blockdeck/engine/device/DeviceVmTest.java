package dev.blockdeck.engine.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.qmp.QmpEvent;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * What devices do in a running VM, where the engine's synthetic guest drives them (QEMU without a guest OS has no
 * equivalent, so these are engine tests): the dataplane follows the run state, the live move, workloads named by
 * device id, unplug answered by the guest, an iothread deleted under a device.
 */
class DeviceVmTest {
    private Path dir;

    @BeforeEach
    void images() throws Exception {
        dir = ShortTempDir.create("bdv");
        for (String n : List.of("a.img", "b.img")) {
            Files.write(dir.resolve(n), new byte[4 << 20]);
        }
    }

    @AfterEach
    void cleanup() {
        ShortTempDir.delete(dir);
    }

    private EngineProcess engine(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-M", "q35", "-object", "iothread,id=io0", "-object",
                "iothread,id=io1", "-drive", "if=none,id=d0,format=raw,node-name=n0,file=" + dir.resolve("a.img"),
                "-drive", "if=none,id=d1,format=raw,node-name=n1,file=" + dir.resolve("b.img"),
                "-device", "pcie-root-port,id=rp0,chassis=1",
                "-device", "virtio-blk-pci,drive=d0,iothread=io0,id=vd0"));
        args.addAll(List.of(extra));
        return EngineProcess.start(args.toArray(String[]::new));
    }

    static Map<String, String> contexts(WatchdogQmp q) {
        Map<String, String> m = new HashMap<>();
        for (JsonNode n : q.ok("__dev.blockdeck_query-aio-contexts", null)) {
            m.put(n.get("node-name").asText(), n.get("iothread").isNull() ? "main" : n.get("iothread").asText());
        }
        return m;
    }

    @Test
    void dataplaneRunsInTheIothreadWhileTheVmRuns() throws Exception {
        try (EngineProcess e = engine(); WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            assertThat(contexts(q)).containsEntry("n0", "io0").containsEntry("n1", "main");
            assertThat(q.call("x-blockdev-set-iothread", "{\"node-name\": \"n0\", \"iothread\": null, \"force\": true}")
                    .toString()).contains("Cannot change iothread of active block backend");
            q.ok("stop", null);
            assertThat(contexts(q)).containsEntry("n0", "main");
            q.ok("x-blockdev-set-iothread", "{\"node-name\": \"n0\", \"iothread\": null, \"force\": true}");
            q.ok("cont", null);
            assertThat(contexts(q)).containsEntry("n0", "io0");
            assertThat(q.ok("qom-get", "{\"path\": \"vd0\", \"property\": \"iothread\"}").asText())
                    .isEqualTo("/objects/io0");
        }
    }

    @Test
    void liveMoveTakesTheQueueTheBackendAndTheComponentAlong() throws Exception {
        try (EngineProcess e = engine(); WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            q.ok("__dev.blockdeck_guest-workload-start", "{\"id\": \"w\", \"drives\": [\"vd0\"],"
                    + " \"pattern\": \"random\", \"queue-depth\": 4}");
            String[] where = {"io1", null, "io0", "io1", null};
            for (String t : where) {
                q.ok(DeviceCommands.SET_IOTHREAD, "{\"id\": \"vd0\", \"iothread\": "
                        + (t == null ? "null" : "\"" + t + "\"") + "}");
                assertThat(contexts(q)).containsEntry("n0", t == null ? "main" : t);
                assertThat(q.ok("qom-get", "{\"path\": \"vd0\", \"property\": \"iothread\"}").asText())
                        .isEqualTo(t == null ? "" : "/objects/" + t);
                waitForOps(q, 200);
            }
            JsonNode fin = q.ok("__dev.blockdeck_guest-workload-stop", "{\"id\": \"w\"}");
            assertThat(fin.has("error")).as("%s", fin).isFalse();
            assertThat(fin.get("verify-failures").asLong()).isZero();
            assertThat(fin.get("reads").asLong()).isPositive();
            JsonNode stats = q.ok("query-blockstats", null).get(0).get("stats");
            assertThat(stats.get("rd_operations").asLong()).isEqualTo(fin.get("reads").asLong());
            assertThat(stats.get("wr_operations").asLong()).isEqualTo(fin.get("writes").asLong());
            // the move is the device's: moving its node from outside still refuses, as QEMU does
            assertThat(q.call("x-blockdev-set-iothread",
                    "{\"node-name\": \"n0\", \"iothread\": \"io0\", \"force\": true}").toString())
                    .contains("Cannot change iothread of active block backend");
        }
    }

    @Test
    void liveMoveErrors() throws Exception {
        try (EngineProcess e = engine(); WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            assertThat(q.call(DeviceCommands.SET_IOTHREAD, "{\"id\": \"nope\", \"iothread\": null}").toString())
                    .contains("DeviceNotFound").contains("Device 'nope' not found");
            assertThat(q.call(DeviceCommands.SET_IOTHREAD, "{\"id\": \"rp0\", \"iothread\": null}").toString())
                    .contains("DeviceNotFound");
            assertThat(q.call(DeviceCommands.SET_IOTHREAD, "{\"id\": \"vd0\", \"iothread\": \"nope\"}").toString())
                    .contains("Cannot find iothread nope");
            assertThat(q.call(DeviceCommands.SET_IOTHREAD, "{\"id\": \"vd0\", \"iothread\": 3}").toString())
                    .contains("Invalid parameter type for 'iothread', expected: StrOrNull");
            assertThat(contexts(q)).containsEntry("n0", "io0");
        }
    }

    @Test
    void theRunningGuestAnswersUnplugRequests() throws Exception {
        try (EngineProcess e = engine(); WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            LinkedBlockingQueue<QmpEvent> events = new LinkedBlockingQueue<>();
            q.client().addEventListener(events::add);
            q.ok("device_add", "{\"driver\": \"virtio-blk-pci\", \"bus\": \"rp0\", \"drive\": \"d1\", \"id\": \"hot\","
                    + " \"iothread\": \"io1\"}");
            assertThat(contexts(q)).as("a running guest starts a hot-plugged device at once")
                    .containsEntry("n1", "io1");
            q.ok("device_del", "{\"id\": \"hot\"}");
            QmpEvent first = events.poll(5, TimeUnit.SECONDS);
            QmpEvent second = events.poll(5, TimeUnit.SECONDS);
            assertThat(first.data().get("path").asText()).isEqualTo("/machine/peripheral/hot/virtio-backend");
            assertThat(second.data().get("device").asText()).isEqualTo("hot");
            assertThat(q.ok("query-block", null).toString()).doesNotContain("\"d1\"");
            assertThat(contexts(q)).doesNotContainKey("n1");
        }
    }

    @Test
    void pendingUnplugsGoWhenTheVmStarts() throws Exception {
        try (EngineProcess e = engine("-S"); WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            LinkedBlockingQueue<QmpEvent> events = new LinkedBlockingQueue<>();
            q.client().addEventListener(events::add);
            q.ok("device_add", "{\"driver\": \"virtio-blk-pci\", \"bus\": \"rp0\", \"drive\": \"d1\","
                    + " \"id\": \"hot\"}");
            q.ok("device_del", "{\"id\": \"hot\"}");
            assertThat(q.call("device_del", "{\"id\": \"hot\"}").toString())
                    .contains("Device hot is already in the process of unplug");
            q.ok("cont", null);
            List<String> names = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                names.add(events.poll(5, TimeUnit.SECONDS).name());
            }
            assertThat(names).containsExactly("RESUME", "DEVICE_DELETED", "DEVICE_DELETED");
            assertThat(q.ok("qom-list", "{\"path\": \"/machine/peripheral\"}").toString()).doesNotContain("hot");
        }
    }

    @Test
    void anIothreadDeletedUnderADeviceKeepsRunningForIt() throws Exception {
        try (EngineProcess e = engine(); WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            q.ok("__dev.blockdeck_guest-workload-start", "{\"id\": \"w\", \"drives\": [\"d0\"]}");
            q.ok("object-del", "{\"id\": \"io0\"}");
            assertThat(q.ok("qom-get", "{\"path\": \"vd0\", \"property\": \"iothread\"}").asText()).isEmpty();
            waitForOps(q, 100);
            JsonNode fin = q.ok("__dev.blockdeck_guest-workload-stop", "{\"id\": \"w\"}");
            assertThat(fin.has("error")).as("%s", fin).isFalse();
            // nodes moved into the orphaned thread's context keep working; object-del of a bare thread still refuses
            q.ok("x-blockdev-set-iothread", "{\"node-name\": \"n1\", \"iothread\": \"io1\", \"force\": true}");
            assertThat(q.call("object-del", "{\"id\": \"io1\"}").toString()).contains("is in use");
        }
    }

    static void waitForOps(WatchdogQmp q, long more) throws InterruptedException {
        long start = ops(q);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ops(q) < start + more) {
            assertThat(System.nanoTime()).as("workload stalled").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static long ops(WatchdogQmp q) {
        long n = 0;
        for (JsonNode w : q.ok("__dev.blockdeck_query-guest-workloads", null)) {
            n += w.get("ops").asLong();
        }
        return n;
    }
}

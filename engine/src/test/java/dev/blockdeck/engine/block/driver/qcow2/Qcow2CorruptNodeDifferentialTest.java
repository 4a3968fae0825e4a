package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.qmp.client.QmpClient;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.QmpScript;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.Transcripts;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * What is left of a qcow2 node after a fatal corruption, against QEMU 7.2 (which sets {@code bs->drv = NULL}): the
 * request that found it fails with EIO, every later read and write with ENOMEDIUM; query-named-block-nodes fails
 * ("is ejected"), query-block shows the drive without {@code inserted}, snapshots find no medium. QEMU's requests go
 * through HMP qemu-io, whose messages land in QEMU's log; the engine's through guest workloads, whose first error
 * query-guest-workloads reports.
 */
class Qcow2CorruptNodeDifferentialTest {
    private static final Pattern FAILED = Pattern.compile("^(?:read|write) failed: (.*)$", Pattern.MULTILINE);
    private static final String WORKLOADS = "__dev.blockdeck_query-guest-workloads";

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Qemu.requireBinary();
        QemuTools.require();
        dir = ShortTempDir.create("qcd");
    }

    @AfterEach
    void tearDown() {
        ShortTempDir.delete(dir);
    }

    /** Data at 0 and 512k, and L1[0] pointing 0x200 past its L2 table: the first access there is fatal. */
    private Path brokenImage(String name) throws Exception {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", name, "1M");
        QemuTools.ok(dir, "qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 64k", "-c", "write -P 0x33 512k 64k",
                name);
        Path p = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.allocate(8);
            ch.read(h, 40);
            long l1 = h.getLong(0);
            ByteBuffer e = ByteBuffer.allocate(8);
            ch.read(e, l1);
            ch.write(ByteBuffer.allocate(8).putLong(0, e.getLong(0) + 0x200), l1);
        }
        return p;
    }

    /** The same questions to both, once the node is gone. */
    private List<String> afterwards() {
        String ov = dir.resolve("ov.qcow2").toString();
        return List.of("{\"execute\": \"qmp_capabilities\"}",
                "{\"execute\": \"query-named-block-nodes\", \"arguments\": {\"flat\": true}}",
                "{\"execute\": \"query-named-block-nodes\"}",
                "{\"execute\": \"query-block\"}",
                "{\"execute\": \"blockdev-snapshot-internal-sync\", \"arguments\": {\"device\": \"drv0\", \"name\": \"s\"}}",
                "{\"execute\": \"blockdev-snapshot-sync\", \"arguments\": {\"node-name\": \"n0\", \"snapshot-file\": \""
                        + ov + "\", \"snapshot-node-name\": \"ov\"}}",
                "{\"execute\": \"blockdev-snapshot-sync\", \"arguments\": {\"device\": \"drv0\", \"snapshot-file\": \""
                        + ov + "\"}}",
                "{\"execute\": \"quit\"}");
    }

    private static String drive(Path img) {
        return "if=none,id=drv0,format=qcow2,node-name=n0,file=" + img;
    }

    @Test
    void aCorruptNodeIsEjectedAsInQemu() throws Exception {
        Path q = brokenImage("q.qcow2");
        JsonNode qemuEvent;
        List<String> qemuAfter;
        List<String> qemuErrors = new ArrayList<>();
        try (Qemu vm = Qemu.start("-drive", drive(q))) {
            QmpClient c = QmpClient.connect(vm.socket()).get(10, TimeUnit.SECONDS);
            c.negotiate().get(10, TimeUnit.SECONDS);
            CompletableFuture<JsonNode> ev = new CompletableFuture<>();
            c.addEventListener(e -> {
                if (e.name().equals("BLOCK_IMAGE_CORRUPTED")) {
                    ev.complete(e.data());
                }
            });
            for (String io : List.of("write -P 0x22 0 512", "write -P 0x22 512k 512", "read 512k 512", "flush")) {
                c.execute("human-monitor-command", JsonNodeFactory.instance.objectNode()
                        .put("command-line", "qemu-io drv0 \"" + io + "\"")).get(10, TimeUnit.SECONDS);
            }
            qemuEvent = ev.get(10, TimeUnit.SECONDS);
            c.close();
            qemuAfter = Transcripts.normalize(QmpScript.run(vm.socket(), afterwards()));
            assertThat(vm.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            Matcher m = FAILED.matcher(Files.readString(vm.log()));
            while (m.find()) {
                qemuErrors.add(m.group(1).strip());
            }
        }
        // the write that found it, the write and the read after it; the flush succeeds silently
        assertThat(qemuErrors).containsExactly("Input/output error", "No medium found", "No medium found");
        assertThat(qemuEvent.get("fatal").booleanValue()).isTrue();

        Path e = brokenImage("e.qcow2");
        JsonNode engineEvent;
        List<String> engineErrors = new ArrayList<>();
        List<String> engineAfter;
        try (EngineProcess engine = EngineProcess.start("-drive", drive(e))) {
            try (WatchdogQmp qmp = WatchdogQmp.connect(engine.socket())) {
                CompletableFuture<JsonNode> ev = new CompletableFuture<>();
                qmp.client().addEventListener(x -> {
                    if (x.name().equals("BLOCK_IMAGE_CORRUPTED")) {
                        ev.complete(x.data());
                    }
                });
                engineErrors.add(firstError(qmp, "w1", 0));
                engineEvent = ev.get(10, TimeUnit.SECONDS);
                engineErrors.add(firstError(qmp, "w2", 0));
                engineErrors.add(firstError(qmp, "w3", 100));
            }
            // without the engine's downstream events (QMP clients ignore events they do not know)
            engineAfter = Transcripts.normalize(QmpScript.run(engine.socket(), afterwards())).stream()
                    .filter(l -> !l.contains("\"event\": \"__dev.blockdeck_")).toList();
        }
        assertThat(engineEvent.toString()).isEqualTo(qemuEvent.toString());
        assertThat(engineErrors).containsExactlyElementsOf(qemuErrors);
        assertThat(engineAfter).containsExactlyElementsOf(qemuAfter);
        assertThat(qemuAfter).anyMatch(l -> l.contains("Block device n0 is ejected"));
        for (String img : new String[] {"q.qcow2", "e.qcow2"}) {
            String info = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "-U", img).out();
            assertThat(info).as(img).contains("\"corrupt\": true");
        }
    }

    /**
     * A corrupt read-only backing: nothing is fatal there (QEMU: "fatal": false, one event, the corrupt bit not
     * set); every request that reaches the bad table fails with EIO, the node stays in the graph and in queries.
     */
    @Test
    void corruptionInAReadOnlyBackingIsNotFatal() throws Exception {
        Path q = brokenImage("qb.qcow2");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-b", "qb.qcow2", "-F", "qcow2", "qo.qcow2");
        List<JsonNode> qemuEvents = new ArrayList<>();
        List<String> qemuErrors = new ArrayList<>();
        String qemuNodes;
        try (Qemu vm = Qemu.start(chainArgs(q, dir.resolve("qo.qcow2")))) {
            QmpClient c = QmpClient.connect(vm.socket()).get(10, TimeUnit.SECONDS);
            c.negotiate().get(10, TimeUnit.SECONDS);
            c.addEventListener(e -> {
                if (e.name().equals("BLOCK_IMAGE_CORRUPTED")) {
                    qemuEvents.add(e.data());
                }
            });
            for (String io : List.of("read 0 512", "write -P 0x22 0 512")) {
                c.execute("human-monitor-command", JsonNodeFactory.instance.objectNode()
                        .put("command-line", "qemu-io drv0 \"" + io + "\"")).get(10, TimeUnit.SECONDS);
            }
            qemuNodes = nodesAndRo(c.execute("query-named-block-nodes", null).get(10, TimeUnit.SECONDS));
            c.execute("quit", null).get(10, TimeUnit.SECONDS);
            c.close();
            assertThat(vm.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            Matcher m = FAILED.matcher(Files.readString(vm.log()));
            while (m.find()) {
                qemuErrors.add(m.group(1).strip());
            }
        }
        assertThat(qemuErrors).containsExactly("Input/output error", "Input/output error");
        assertThat(qemuEvents).hasSize(1);

        Path e = brokenImage("eb.qcow2");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-b", "eb.qcow2", "-F", "qcow2", "eo.qcow2");
        List<JsonNode> engineEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> engineErrors = new ArrayList<>();
        String engineNodes;
        try (EngineProcess engine = EngineProcess.start(chainArgs(e, dir.resolve("eo.qcow2")));
                WatchdogQmp qmp = WatchdogQmp.connect(engine.socket())) {
            qmp.client().addEventListener(x -> {
                if (x.name().equals("BLOCK_IMAGE_CORRUPTED")) {
                    engineEvents.add(x.data());
                }
            });
            engineErrors.add(firstError(qmp, "w1", 100));
            engineErrors.add(firstError(qmp, "w2", 0));
            engineNodes = nodesAndRo(qmp.ok("query-named-block-nodes", null));
        }
        assertThat(engineErrors).containsExactlyElementsOf(qemuErrors);
        assertThat(engineEvents.toString()).isEqualTo(qemuEvents.toString().replace("qb.qcow2", "eb.qcow2"));
        assertThat(engineNodes).isEqualTo(qemuNodes);
        for (String img : new String[] {"qb.qcow2", "eb.qcow2"}) {
            String info = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "-U", img).out();
            assertThat(info).as(img).contains("\"corrupt\": false");
        }
    }

    private static String[] chainArgs(Path backing, Path overlay) {
        return new String[] {"-blockdev", "driver=qcow2,node-name=bk,read-only=on,file.driver=file,file.filename="
                + backing, "-drive", "if=none,id=drv0,format=qcow2,node-name=top,file=" + overlay + ",backing=bk"};
    }

    /** "node-name ro" per node of a query-named-block-nodes answer (generated names without their number). */
    private static String nodesAndRo(JsonNode nodes) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : nodes) {
            String name = n.get("node-name").asText().replaceAll("^#block\\d+$", "#block");
            sb.append(name).append(' ').append(n.get("ro").asBoolean()).append('\n');
        }
        return sb.toString();
    }

    /** Runs a one-request-at-a-time guest workload on drv0 until it fails, and returns its first error's errno text. */
    private static String firstError(WatchdogQmp qmp, String id, int readPercent) throws InterruptedException {
        qmp.ok("__dev.blockdeck_guest-workload-start", "{\"id\":\"" + id + "\",\"drives\":[\"drv0\"],"
                + "\"block-size\":512,\"pattern\":\"sequential\",\"read-percent\":" + readPercent
                + ",\"queue-depth\":1}");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String error = null;
        while (error == null && System.nanoTime() < end) {
            for (JsonNode w : qmp.ok(WORKLOADS, null)) {
                if (w.get("id").asText().equals(id) && w.has("error")) {
                    error = w.get("error").asText();
                }
            }
            Thread.sleep(5);
        }
        qmp.call("__dev.blockdeck_guest-workload-stop", "{\"id\":\"" + id + "\"}");
        assertThat(error).as("workload %s failed", id).isNotNull();
        return error.substring(error.lastIndexOf("failed: ") + "failed: ".length()).strip();
    }
}

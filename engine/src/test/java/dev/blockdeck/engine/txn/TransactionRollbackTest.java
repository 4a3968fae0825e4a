package dev.blockdeck.engine.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * A 5-action transaction over drives in the main loop and two IOThreads (backends of -drive and bare nodes, one
 * overlay that another node already uses, bitmaps with bits in them) fails at each position with each kind of failing
 * action (external and internal snapshots, every bitmap action, abort, a blkdebug-injected I/O error): afterwards the
 * graph (nodes, backends, edges with permissions, AioContexts, the images' snapshot lists), every bitmap (listing and
 * sha256) and every image's guest data are exactly as before (its bytes too, unless an internal snapshot was made and
 * deleted again, which leaves freed clusters as QEMU does). One engine serves
 * every case, so each rollback must also leave a state the next transaction can start from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionRollbackTest {
    private Path dir;
    private EngineProcess engine;
    private WatchdogQmp qmp;
    // bitmap actions name nodes, not backends: after an earlier action snapshotted a backend, its name means the
    // overlay (QEMU resolves names when each prepare runs)
    private String drv0Node;
    private String drv1Node;
    private String drv2Node;

    @BeforeAll
    void start() throws Exception {
        QemuTools.require();
        dir = ShortTempDir.create("trb");
        for (String n : List.of("d0", "d1", "d2", "n3", "n4", "ovA", "ovB", "based", "spare")) {
            QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", n + ".qcow2", "4M");
        }
        QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", "-b", "based.qcow2", "-F", "qcow2", "withback.qcow2");
        List<String> args = new ArrayList<>(List.of("-object", "iothread,id=io0", "-object", "iothread,id=io1"));
        for (int i = 0; i < 3; i++) {
            args.addAll(List.of("-drive", "if=none,id=drv" + i + ",format=qcow2,file=" + dir.resolve("d" + i + ".qcow2")));
        }
        // drv3 sits on blkdebug: once written to, every flush of its image fails (fault injection)
        QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", "faulty.qcow2", "4M");
        String faulty = "{\"driver\":\"qcow2\",\"file\":{\"driver\":\"blkdebug\",\"image\":{\"driver\":\"file\","
                + "\"filename\":\"" + dir.resolve("faulty.qcow2") + "\"},\"inject-error\":[{\"event\":\"flush_to_disk\","
                + "\"state\":2,\"errno\":5,\"iotype\":\"flush\"}],\"set-state\":[{\"event\":\"pwritev\",\"state\":1,"
                + "\"new_state\":2}]}}";
        args.addAll(List.of("-drive", "if=none,id=drv3,file=json:" + faulty.replace(",", ",,")));
        engine = EngineProcess.start(args.toArray(String[]::new));
        qmp = WatchdogQmp.connect(engine.socket());
        for (String n : List.of("n3", "n4", "ovA", "ovB", "spare")) {
            qmp.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"" + n + "\",\"file\":{\"driver\":\"file\","
                    + "\"filename\":\"" + dir.resolve(n + ".qcow2") + "\"}}");
        }
        // ovB is used by a raw node that only writes through it: a legal overlay whose parent must stay put
        qmp.ok("blockdev-add", "{\"driver\":\"raw\",\"node-name\":\"user\",\"file\":\"ovB\"}");
        qmp.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"withback\",\"file\":{\"driver\":\"file\","
                + "\"filename\":\"" + dir.resolve("withback.qcow2") + "\"}}");
        drv0Node = qmp.ok("query-block", null).get(0).get("inserted").get("node-name").textValue();
        drv1Node = qmp.ok("query-block", null).get(1).get("inserted").get("node-name").textValue();
        drv2Node = qmp.ok("query-block", null).get(2).get("inserted").get("node-name").textValue();
        qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"" + drv1Node + "\",\"iothread\":\"io0\",\"force\":true}");
        qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"" + drv2Node + "\",\"iothread\":\"io1\",\"force\":true}");
        qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"n3\",\"iothread\":\"io0\"}");
        qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"n4\",\"iothread\":\"io1\"}");
        // bitmaps with bits in them (a guest workload writes through the backends), and one on a bare node
        qmp.ok("block-dirty-bitmap-add", "{\"node\":\"" + drv0Node + "\",\"name\":\"bA\",\"granularity\":4096}");
        qmp.ok("block-dirty-bitmap-add", "{\"node\":\"" + drv1Node + "\",\"name\":\"bB\"}");
        qmp.ok("block-dirty-bitmap-add", "{\"node\":\"n3\",\"name\":\"bC\",\"disabled\":true}");
        qmp.ok("__dev.blockdeck_guest-workload-start", "{\"id\":\"w\",\"drives\":[\"drv0\",\"drv1\",\"drv2\"],"
                + "\"block-size\":4096,\"read-percent\":0,\"pattern\":\"random\"}");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (qmp.ok("__dev.blockdeck_query-guest-workloads", null).get(0).get("writes").asLong() < 200) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        qmp.ok("__dev.blockdeck_guest-workload-stop", "{\"id\":\"w\"}");
        qmp.ok("__dev.blockdeck_guest-workload-start", "{\"id\":\"f\",\"drives\":[\"drv3\"],\"read-percent\":0}");
        while (qmp.ok("__dev.blockdeck_query-guest-workloads", null).get(0).get("writes").asLong() < 50) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        JsonNode stopped = qmp.ok("__dev.blockdeck_guest-workload-stop", "{\"id\":\"f\"}");
        assertThat(stopped.path("error").asText()).as("the injected fault is live").contains("flush failed");
    }

    @AfterAll
    void stop() {
        try {
            // the control: the five good actions together commit (so each failure above really was the only one)
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                all.append(i == 0 ? "" : ",").append(good(i));
            }
            assertThat(qmp.call("transaction", "{\"actions\":[" + all + "]}").toString()).isEqualTo("{\"return\":{}}");
        } finally {
            closeAll();
        }
    }

    private void closeAll() {
        if (qmp != null) {
            qmp.close();
        }
        if (engine != null) {
            engine.close();
        }
        ShortTempDir.delete(dir);
    }

    /** Five actions of every kind that succeed: snapshots of both kinds and bitmap changes that all commit. */
    private String good(int i) {
        return switch (i) {
            case 0 -> sync("{\"device\":\"drv0\",\"snapshot-file\":\"" + dir.resolve("s0.qcow2") + "\"}");
            case 1 -> "{\"type\":\"blockdev-snapshot-internal-sync\",\"data\":{\"device\":\"n4\",\"name\":\"inside\"}},"
                    + "{\"type\":\"block-dirty-bitmap-clear\",\"data\":{\"node\":\"" + drv1Node + "\",\"name\":\"bB\"}},"
                    + "{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"drv1\",\"overlay\":\"ovA\"}}";
            case 2 -> "{\"type\":\"block-dirty-bitmap-merge\",\"data\":{\"node\":\"n3\",\"target\":\"bC\","
                    + "\"bitmaps\":[{\"node\":\"" + drv0Node + "\",\"name\":\"bA\"}]}},"
                    + "{\"type\":\"block-dirty-bitmap-enable\",\"data\":{\"node\":\"n3\",\"name\":\"bC\"}},"
                    + sync("{\"node-name\":\"n3\",\"snapshot-file\":\"" + dir.resolve("s3.qcow2")
                    + "\",\"snapshot-node-name\":\"s3\"}");
            case 3 -> "{\"type\":\"block-dirty-bitmap-add\",\"data\":{\"node\":\"" + drv2Node + "\",\"name\":\"fresh\"}},"
                    + "{\"type\":\"block-dirty-bitmap-remove\",\"data\":{\"node\":\"" + drv0Node + "\",\"name\":\"bA\"}},"
                    + sync("{\"device\":\"drv2\",\"snapshot-file\":\"" + dir.resolve("s2.qcow2")
                    + "\",\"snapshot-node-name\":\"s2\"}");
            default -> "{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"n4\",\"overlay\":\"ovB\"}}";
        };
    }

    private static String sync(String data) {
        return "{\"type\":\"blockdev-snapshot-sync\",\"data\":" + data + "}";
    }

    private static final Map<String, String> FAILURES = new LinkedHashMap<>();

    static {
        FAILURES.put("snapshot-sync into a missing directory",
                "{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"drv0\",\"snapshot-file\":\"/nonexistent/x.qcow2\"}}");
        FAILURES.put("snapshot onto an overlay that has a backing",
                "{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"spare\",\"overlay\":\"withback\"}}");
        FAILURES.put("abort", "{\"type\":\"abort\",\"data\":{}}");
        FAILURES.put("internal snapshot with an empty name",
                "{\"type\":\"blockdev-snapshot-internal-sync\",\"data\":{\"device\":\"spare\",\"name\":\"\"}}");
        FAILURES.put("snapshot whose flush fails (blkdebug)",
                "{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"drv3\",\"snapshot-file\":\"/tmp/never.qcow2\"}}");
        FAILURES.put("bitmap-add of an existing name",
                "{\"type\":\"block-dirty-bitmap-add\",\"data\":{\"node\":\"DRV1NODE\",\"name\":\"bB\"}}");
        FAILURES.put("bitmap-merge from a missing bitmap",
                "{\"type\":\"block-dirty-bitmap-merge\",\"data\":{\"node\":\"n3\",\"target\":\"bC\","
                        + "\"bitmaps\":[\"nope\"]}}");
        FAILURES.put("bitmap-clear on a missing node",
                "{\"type\":\"block-dirty-bitmap-clear\",\"data\":{\"node\":\"gone\",\"name\":\"bC\"}}");
        FAILURES.put("bitmap-remove of a missing bitmap",
                "{\"type\":\"block-dirty-bitmap-remove\",\"data\":{\"node\":\"DRV0NODE\",\"name\":\"nope\"}}");
        FAILURES.put("bitmap-enable of a missing bitmap",
                "{\"type\":\"block-dirty-bitmap-enable\",\"data\":{\"node\":\"n4\",\"name\":\"nope\"}}");
        FAILURES.put("bitmap-disable of a missing bitmap",
                "{\"type\":\"block-dirty-bitmap-disable\",\"data\":{\"node\":\"n4\",\"name\":\"nope\"}}");
    }

    /** The failing action of {@code kind}; it names nodes no good action changes, so it fails at any position. */
    private String failure(String kind) {
        return FAILURES.get(kind).replace("DRV0NODE", drv0Node).replace("DRV1NODE", drv1Node);
    }

    private static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("snapshot-sync into a missing directory", "Could not create '/nonexistent/x.qcow2': No such file or directory"),
            Map.entry("snapshot onto an overlay that has a backing", "The overlay already has a backing image"),
            Map.entry("abort", "Transaction aborted using Abort action"),
            Map.entry("internal snapshot with an empty name", "Name is empty"),
            Map.entry("snapshot whose flush fails (blkdebug)", "An IO error has occurred"),
            Map.entry("bitmap-add of an existing name", "Bitmap already exists: bB"),
            Map.entry("bitmap-merge from a missing bitmap", "Dirty bitmap 'nope' not found"),
            Map.entry("bitmap-clear on a missing node", "Node 'gone' not found"),
            Map.entry("bitmap-remove of a missing bitmap", "Dirty bitmap 'nope' not found"),
            Map.entry("bitmap-enable of a missing bitmap", "Dirty bitmap 'nope' not found"),
            Map.entry("bitmap-disable of a missing bitmap", "Dirty bitmap 'nope' not found"));

    Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : FAILURES.keySet()) {
            for (int pos = 0; pos < 5; pos++) {
                out.add(Arguments.of(kind, pos));
            }
        }
        return out.stream();
    }

    private Map<String, Object> state() throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("nodes", withoutFileSizes(qmp.ok("query-named-block-nodes", null)));
        s.put("block", withoutFileSizes(qmp.ok("query-block", null)));
        s.put("graph", qmp.ok("x-debug-query-block-graph", null));
        s.put("contexts", qmp.ok("__dev.blockdeck_query-aio-contexts", null));
        for (JsonNode n : qmp.ok("query-named-block-nodes", null)) {
            for (JsonNode b : n.path("dirty-bitmaps")) {
                s.put("bitmap " + n.get("node-name").textValue() + "/" + b.get("name").textValue(),
                        qmp.ok("x-debug-block-dirty-bitmap-sha256", "{\"node\":\"" + n.get("node-name").textValue()
                                + "\",\"name\":\"" + b.get("name").textValue() + "\"}"));
            }
        }
        for (Path f : images()) {
            s.put(f.getFileName().toString(), HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        }
        return s;
    }

    /**
     * The queries without what follows from the image files' length and allocation (actual-size, a protocol node's
     * virtual-size): the bytes are compared on their own below, and an internal snapshot made and deleted again
     * leaves its freed clusters in the file, in QEMU too.
     */
    private static JsonNode withoutFileSizes(JsonNode n) {
        JsonNode copy = n.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("actual-size");
            if ("file".equals(o.path("format").asText())) {
                o.remove("virtual-size");
            }
            o.forEach(TransactionRollbackTest::strip);
        } else if (n.isArray()) {
            n.forEach(TransactionRollbackTest::strip);
        }
    }

    private List<Path> images() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().filter(f -> f.toString().endsWith(".qcow2")
                    && !f.getFileName().toString().startsWith("s") && !f.getFileName().toString().startsWith("before-"))
                    .toList();
        }
    }

    /**
     * An image whose bytes changed must still hold the same guest data (an internal snapshot created and deleted
     * again leaves freed clusters behind, as in QEMU) and be consistent; the rest must be byte-identical.
     */
    private void assertImageKept(String name) throws Exception {
        QemuTools.ok(dir, "qemu-img", "compare", "-U", "before-" + name, name);
        assertThat(QemuTools.run(dir, "qemu-img", "check", "-U", name).exit()).as(name + " consistent").isZero();
    }

    @ParameterizedTest(name = "{0} at position {1}")
    @MethodSource("cases")
    void failedTransactionLeavesEverythingAsItWas(String kind, int position) throws Exception {
        Map<String, Object> before = state();
        for (Path f : images()) {
            Files.copy(f, dir.resolve("before-" + f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        StringBuilder actions = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            actions.append(i == 0 ? "" : ",").append(i == position ? failure(kind) : good(i));
        }
        ObjectNode answer = qmp.call("transaction", "{\"actions\":[" + actions + "]}");
        assertThat(answer.has("error")).as(answer.toString()).isTrue();
        assertThat(answer.get("error").get("desc").textValue()).as("the failure comes from the injected action")
                .isEqualTo(EXPECTED.get(kind));
        Map<String, Object> after = state();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String k : before.keySet()) {
            if (k.endsWith(".qcow2") && !after.get(k).equals(before.get(k))) {
                assertImageKept(k);
                continue;
            }
            assertThat(String.valueOf(after.get(k))).as(k).isEqualTo(String.valueOf(before.get(k)));
        }
        JsonNode user = null;
        for (JsonNode e : qmp.ok("x-debug-query-block-graph", null).get("nodes")) {
            if (e.get("name").textValue().equals("user")) {
                user = e;
            }
        }
        assertThat(user).isNotNull();
    }
}

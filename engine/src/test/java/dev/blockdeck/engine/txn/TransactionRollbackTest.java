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
 * action (snapshots of both kinds, every bitmap action, abort): afterwards the graph (nodes, backends, edges with
 * permissions, AioContexts), every bitmap (listing and sha256) and every image's bytes are exactly as before. One engine serves
 * every case, so each rollback must also leave a state the next transaction can start from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionRollbackTest {
    private Path dir;
    private EngineProcess engine;
    private WatchdogQmp qmp;

    @BeforeAll
    void start() throws Exception {
        QemuTools.require();
        dir = ShortTempDir.create("trb");
        for (String n : List.of("d0", "d1", "d2", "n3", "n4", "ovA", "ovB", "based")) {
            QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", n + ".qcow2", "4M");
        }
        QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", "-b", "based.qcow2", "-F", "qcow2", "withback.qcow2");
        List<String> args = new ArrayList<>(List.of("-object", "iothread,id=io0", "-object", "iothread,id=io1"));
        for (int i = 0; i < 3; i++) {
            args.addAll(List.of("-drive", "if=none,id=drv" + i + ",format=qcow2,file=" + dir.resolve("d" + i + ".qcow2")));
        }
        engine = EngineProcess.start(args.toArray(String[]::new));
        qmp = WatchdogQmp.connect(engine.socket());
        for (String n : List.of("n3", "n4", "ovA", "ovB")) {
            qmp.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"" + n + "\",\"file\":{\"driver\":\"file\","
                    + "\"filename\":\"" + dir.resolve(n + ".qcow2") + "\"}}");
        }
        // ovB is used by a raw node that only writes through it: a legal overlay whose parent must stay put
        qmp.ok("blockdev-add", "{\"driver\":\"raw\",\"node-name\":\"user\",\"file\":\"ovB\"}");
        qmp.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"withback\",\"file\":{\"driver\":\"file\","
                + "\"filename\":\"" + dir.resolve("withback.qcow2") + "\"}}");
        String drv1Node = qmp.ok("query-block", null).get(1).get("inserted").get("node-name").textValue();
        String drv2Node = qmp.ok("query-block", null).get(2).get("inserted").get("node-name").textValue();
        qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"" + drv1Node + "\",\"iothread\":\"io0\",\"force\":true}");
        qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"" + drv2Node + "\",\"iothread\":\"io1\",\"force\":true}");
        qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"n3\",\"iothread\":\"io0\"}");
        qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"n4\",\"iothread\":\"io1\"}");
        // bitmaps with bits in them (a guest workload writes through the backends), and one on a bare node
        qmp.ok("block-dirty-bitmap-add", "{\"node\":\"drv0\",\"name\":\"bA\",\"granularity\":4096}");
        qmp.ok("block-dirty-bitmap-add", "{\"node\":\"drv1\",\"name\":\"bB\"}");
        qmp.ok("block-dirty-bitmap-add", "{\"node\":\"n3\",\"name\":\"bC\",\"disabled\":true}");
        qmp.ok("__dev.blockdeck_guest-workload-start", "{\"id\":\"w\",\"drives\":[\"drv0\",\"drv1\",\"drv2\"],"
                + "\"block-size\":4096,\"read-percent\":0,\"pattern\":\"random\"}");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (qmp.ok("__dev.blockdeck_query-guest-workloads", null).get(0).get("writes").asLong() < 200) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        qmp.ok("__dev.blockdeck_guest-workload-stop", "{\"id\":\"w\"}");
    }

    @AfterAll
    void stop() {
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
            case 1 -> "{\"type\":\"block-dirty-bitmap-clear\",\"data\":{\"node\":\"drv1\",\"name\":\"bB\"}},"
                    + "{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"drv1\",\"overlay\":\"ovA\"}}";
            case 2 -> "{\"type\":\"block-dirty-bitmap-merge\",\"data\":{\"node\":\"n3\",\"target\":\"bC\","
                    + "\"bitmaps\":[{\"node\":\"drv0\",\"name\":\"bA\"}]}},"
                    + "{\"type\":\"block-dirty-bitmap-enable\",\"data\":{\"node\":\"n3\",\"name\":\"bC\"}},"
                    + sync("{\"node-name\":\"n3\",\"snapshot-file\":\"" + dir.resolve("s3.qcow2")
                    + "\",\"snapshot-node-name\":\"s3\"}");
            case 3 -> "{\"type\":\"block-dirty-bitmap-add\",\"data\":{\"node\":\"drv2\",\"name\":\"fresh\"}},"
                    + "{\"type\":\"block-dirty-bitmap-remove\",\"data\":{\"node\":\"drv0\",\"name\":\"bA\"}},"
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
                "{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"n3\",\"overlay\":\"withback\"}}");
        FAILURES.put("abort", "{\"type\":\"abort\",\"data\":{}}");
        FAILURES.put("bitmap-add of an existing name",
                "{\"type\":\"block-dirty-bitmap-add\",\"data\":{\"node\":\"drv1\",\"name\":\"bB\"}}");
        FAILURES.put("bitmap-merge from a missing bitmap",
                "{\"type\":\"block-dirty-bitmap-merge\",\"data\":{\"node\":\"n3\",\"target\":\"bC\","
                        + "\"bitmaps\":[\"nope\"]}}");
        FAILURES.put("bitmap-clear on a missing node",
                "{\"type\":\"block-dirty-bitmap-clear\",\"data\":{\"node\":\"gone\",\"name\":\"bC\"}}");
        FAILURES.put("bitmap-remove of a missing bitmap",
                "{\"type\":\"block-dirty-bitmap-remove\",\"data\":{\"node\":\"drv0\",\"name\":\"nope\"}}");
        FAILURES.put("bitmap-disable of a missing bitmap",
                "{\"type\":\"block-dirty-bitmap-disable\",\"data\":{\"node\":\"n4\",\"name\":\"nope\"}}");
    }

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
        s.put("nodes", qmp.ok("query-named-block-nodes", null));
        s.put("block", qmp.ok("query-block", null));
        s.put("graph", qmp.ok("x-debug-query-block-graph", null));
        s.put("contexts", qmp.ok("__dev.blockdeck_query-aio-contexts", null));
        for (JsonNode n : qmp.ok("query-named-block-nodes", null)) {
            for (JsonNode b : n.path("dirty-bitmaps")) {
                s.put("bitmap " + n.get("node-name").textValue() + "/" + b.get("name").textValue(),
                        qmp.ok("x-debug-block-dirty-bitmap-sha256", "{\"node\":\"" + n.get("node-name").textValue()
                                + "\",\"name\":\"" + b.get("name").textValue() + "\"}"));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (f.toString().endsWith(".qcow2") && !f.getFileName().toString().startsWith("s")) {
                    s.put(f.getFileName().toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                }
            }
        }
        return s;
    }

    @ParameterizedTest(name = "{0} at position {1}")
    @MethodSource("cases")
    void failedTransactionLeavesEverythingAsItWas(String kind, int position) throws Exception {
        Map<String, Object> before = state();
        StringBuilder actions = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            actions.append(i == 0 ? "" : ",").append(i == position ? FAILURES.get(kind) : good(i));
        }
        ObjectNode answer = qmp.call("transaction", "{\"actions\":[" + actions + "]}");
        assertThat(answer.has("error")).as(answer.toString()).isTrue();
        Map<String, Object> after = state();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String k : before.keySet()) {
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

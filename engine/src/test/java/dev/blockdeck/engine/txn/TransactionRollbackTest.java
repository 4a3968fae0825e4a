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
 * overlay that another node already uses) fails at each position with each kind of failing action: afterwards the
 * graph (nodes, backends, edges with permissions) and every image's bytes are exactly as before. One engine serves
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

    private String good(int i) {
        return switch (i) {
            case 0 -> sync("{\"device\":\"drv0\",\"snapshot-file\":\"" + dir.resolve("s0.qcow2") + "\"}");
            case 1 -> "{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"drv1\",\"overlay\":\"ovA\"}}";
            case 2 -> sync("{\"node-name\":\"n3\",\"snapshot-file\":\"" + dir.resolve("s3.qcow2")
                    + "\",\"snapshot-node-name\":\"s3\"}");
            case 3 -> sync("{\"device\":\"drv2\",\"snapshot-file\":\"" + dir.resolve("s2.qcow2")
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

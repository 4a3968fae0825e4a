package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.bitmap.actions.BitmapActions;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.RawQmpConnection;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * The bitmap transaction actions against QEMU 7.2's {@code transaction}: each case of
 * {@code resources/bitmap/transactions.txt} runs on a live QEMU and on an in-process engine, where the actions
 * run through the engine's {@code transaction} command (the actions come from {@link BitmapActions}).
 * The answers and the bitmaps afterwards (listing and hashes) must be equal.
 */
class BitmapTransactionDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RW = BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE);

    private record Case(String name, List<String[]> steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Path dir;

    @BeforeEach
    void setUp() {
        Qemu.requireBinary();
        dir = ShortTempDir.create("bmt");
    }

    @AfterEach
    void cleanup() {
        ShortTempDir.delete(dir);
    }

    static Stream<Case> cases() {
        String text;
        try (InputStream in = BitmapTransactionDifferentialTest.class.getClassLoader()
                .getResourceAsStream("bitmap/transactions.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            String[] w = l.split(" ", 2);
            if (w[0].equals("case")) {
                out.add(new Case(w[1], new ArrayList<>()));
            } else {
                out.get(out.size() - 1).steps().add(w);
            }
        }
        return out.stream();
    }

    /** One side of the comparison. */
    private interface Side {
        JsonNode qmp(String json) throws Exception;

        void io(String node, String command) throws Exception;

        JsonNode transaction(ObjectNode txn) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void engineActionsDoWhatQemusTransactionDoes(Case c) throws Exception {
        List<JsonNode> qemu = new ArrayList<>();
        try (Qemu q = Qemu.start(); RawQmpConnection conn = RawQmpConnection.open(q.socket())) {
            conn.readLine(10_000);
            qemuAnswer(conn, "{\"execute\": \"qmp_capabilities\"}");
            run(c, new Side() {
                @Override
                public JsonNode qmp(String json) throws Exception {
                    return qemuAnswer(conn, json);
                }

                @Override
                public void io(String node, String command) throws Exception {
                    ObjectNode cmd = JSON.createObjectNode().put("execute", "human-monitor-command");
                    cmd.putObject("arguments").put("command-line", "qemu-io " + node + " \"" + command + "\"");
                    assertThat(qemuAnswer(conn, cmd.toString()).path("return").asText()).doesNotContain("failed");
                }

                @Override
                public JsonNode transaction(ObjectNode txn) throws Exception {
                    ObjectNode cmd = JSON.createObjectNode().put("execute", "transaction");
                    cmd.set("arguments", txn);
                    return qemuAnswer(conn, cmd.toString());
                }
            }, qemu);
        }
        List<JsonNode> engine = new ArrayList<>();
        try (BlockRig rig = new BlockRig()) {
            Map<String, BlockBackend> backends = new HashMap<>();
            run(c, new Side() {
                @Override
                public JsonNode qmp(String json) throws Exception {
                    JsonNode cmd = JSON.readTree(json);
                    return rig.qmp(cmd.get("execute").asText(),
                            cmd.has("arguments") ? cmd.get("arguments").toString() : null);
                }

                @Override
                public void io(String node, String command) {
                    BlockBackend blk = backends.computeIfAbsent(node, n -> rig.backend(n, RW, BlockPerm.ALL));
                    String[] w = command.split(" ");
                    long off = Long.parseLong(w[1]);
                    int len = Integer.parseInt(w[2]);
                    BlockRig.await(blk.pwrite(off, ByteBuffer.allocate(len), 0));
                }

                @Override
                public JsonNode transaction(ObjectNode txn) {
                    return engineTransaction(rig, txn);
                }
            }, engine);
        }
        assertThat(reparsed(engine)).containsExactlyElementsOf(reparsed(qemu));
    }

    /** Runs the steps; every txn answer and check result goes into {@code out}. */
    private void run(Case c, Side side, List<JsonNode> out) throws Exception {
        for (String[] s : c.steps()) {
            switch (s[0]) {
                case "qmp" -> {
                    JsonNode a = side.qmp(s[1].replace("$DIR", dir.toString()));
                    assertThat(a.has("return")).as("%s: %s -> %s", c, s[1], a).isTrue();
                }
                case "io" -> {
                    String[] io = s[1].split(" ", 2);
                    side.io(io[0], io[1]);
                }
                case "txn" -> out.add(side.transaction((ObjectNode) JSON.readTree(s[1])));
                case "check" -> {
                    JsonNode nodes = side.qmp("{\"execute\": \"query-named-block-nodes\", \"arguments\": "
                            + "{\"flat\": true}}").get("return");
                    out.add(nodes);
                    for (JsonNode n : nodes) {
                        for (JsonNode b : n.path("dirty-bitmaps")) {
                            ObjectNode cmd = JSON.createObjectNode().put("execute",
                                    "x-debug-block-dirty-bitmap-sha256");
                            cmd.putObject("arguments").put("node", n.get("node-name").asText())
                                    .put("name", b.get("name").asText());
                            out.add(side.qmp(cmd.toString()));
                        }
                    }
                }
                default -> throw new IllegalArgumentException(s[0]);
            }
        }
    }

    /** Same number types on both sides (the engine builds longs, parsing gives ints); member order is ignored. */
    private static List<JsonNode> reparsed(List<JsonNode> l) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : l) {
            out.add(JSON.readTree(n.toString()));
        }
        return out;
    }

    private static JsonNode qemuAnswer(RawQmpConnection conn, String json) throws IOException {
        conn.write(json + "\n");
        while (true) {
            String line = conn.readLine(10_000);
            assertThat(line).as("answer to %s", json).isNotNull();
            JsonNode n = JSON.readTree(line);
            if (!n.has("event")) {
                return n;
            }
        }
    }

    /** The engine's own QMP {@code transaction} command with these actions. */
    private static JsonNode engineTransaction(BlockRig rig, ObjectNode txn) {
        ObjectNode answer = rig.qmp("transaction", txn.toString());
        answer.remove("id");
        return answer;
    }
}

package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.blockdeck.testutil.RecordedBitmapHashes;
import dev.blockdeck.testutil.RecordedBitmapHashes.Case;
import dev.blockdeck.testutil.RecordedBitmapHashes.Expect;
import dev.blockdeck.testutil.RecordedBitmapHashes.Io;
import dev.blockdeck.testutil.RecordedBitmapHashes.Qmp;
import dev.blockdeck.testutil.RecordedBitmapHashes.Step;

/**
 * The engine ends with QEMU's dirty bitmaps after the same writes: every recorded case runs through the engine's
 * graph (QMP commands through the dispatcher, writes through a BlockBackend on the node, on an IOThread), and the
 * counts and hashes must equal what QEMU 7.2 printed (recorded-hashes.txt, re-checked by RecordedHashesQemuTest).
 */
class RecordedHashesEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RW = BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE);

    @TempDir
    Path dir;

    static Stream<Case> cases() {
        return RecordedBitmapHashes.load().cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void engineEndsWithQemusBitmaps(Case c) throws Exception {
        Files.write(dir.resolve("a.img"), new byte[1 << 20]);
        try (BlockRig rig = new BlockRig()) {
            rig.iothread("io0");
            Map<String, BlockBackend> backends = new HashMap<>();
            boolean moved = false;
            for (Step s : c.steps()) {
                if (s instanceof Qmp q) {
                    JsonNode cmd = JSON.readTree(q.json().replace("$DIR", dir.toString()));
                    rig.ok(cmd.get("execute").asText(), cmd.has("arguments") ? cmd.get("arguments").toString() : null);
                } else if (s instanceof Io io) {
                    if (!moved) {
                        // writes complete on an IOThread while the main loop queries: the real arrangement
                        for (BlockNode n : rig.onMain(() -> List.copyOf(rig.graph.nodes()))) {
                            if (n.parentEdges().isEmpty()) {
                                rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"" + n.name()
                                        + "\", \"iothread\": \"io0\"}");
                            }
                        }
                        moved = true;
                    }
                    BlockBackend blk = backends.computeIfAbsent(io.node(), n -> rig.backend(n, RW, BlockPerm.ALL));
                    BlockRig.await(issue(blk, io));
                } else if (s instanceof Expect e) {
                    BlockNode bs = rig.node(e.node());
                    long count = bs.dirtyBitmaps().find(e.bitmap()).orElseThrow().count();
                    JsonNode sha = rig.ok("x-debug-block-dirty-bitmap-sha256",
                            "{\"node\": \"" + e.node() + "\", \"name\": \"" + e.bitmap() + "\"}");
                    assertThat(new Expect(e.node(), e.bitmap(), count, sha.get("sha256").asText()))
                            .as("%s %s/%s", c, e.node(), e.bitmap()).isEqualTo(e);
                    JsonNode listed = rig.ok("query-named-block-nodes", "{\"flat\": true}");
                    assertThat(listed.toString()).contains("\"name\":\"" + e.bitmap() + "\",\"count\":" + count);
                }
            }
        }
    }

    private static java.util.concurrent.CompletableFuture<Void> issue(BlockBackend blk, Io io) {
        if (io.isDiscard()) {
            return blk.pdiscard(io.offset(), io.length());
        }
        if (io.zeroes()) {
            return blk.pwriteZeroes(io.offset(), io.length(), io.mayUnmap() ? BlockRequest.MAY_UNMAP : 0);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) io.length());
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 0xcd); // qemu-io's default pattern
        }
        return blk.pwrite(io.offset(), buf, 0);
    }
}

package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.BlockAcctStats.Type;

/**
 * Graph rules that no QMP command of this step reaches in QEMU without a device (so they are checked here
 * against QEMU's texts): permission conflicts, read-only nodes, node names, context refusals; and the I/O
 * accounting behind query-blockstats.
 */
class GraphRulesTest {
    private static final int CR = BlockPerm.CONSISTENT_READ.bit();
    private static final int W = BlockPerm.WRITE.bit();
    private static final int WU = BlockPerm.WRITE_UNCHANGED.bit();
    private static final int RS = BlockPerm.RESIZE.bit();

    @TempDir
    Path dir;

    @Test
    void permissionConflictMessageIsQemus() {
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"src\"}");
            // a device-like writer that does not share write, then a second writer
            BlockBackend dev = rig.backend("src", CR | W, CR | WU | RS);
            rig.onMain(() -> rig.graph.setBackendName(dev, "drive0"));
            assertThatThrownBy(() -> rig.backend("src", CR | W, BlockPerm.ALL)).isInstanceOf(BlockException.class)
                    .hasMessage("Permission conflict on node 'src': permissions 'write' are both required by an "
                            + "unnamed block device (uses node 'src' as 'root' child) and unshared by block device "
                            + "'drive0' (uses node 'src' as 'root' child).");
            // a reader that does not share consistent-read... and one that needs it
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"t\"}");
            rig.backend("t", 0, W | WU | RS);
            assertThatThrownBy(() -> rig.backend("t", CR, BlockPerm.ALL))
                    .hasMessage("Permission conflict on node 't': permissions 'consistent read' are both required by "
                            + "an unnamed block device (uses node 't' as 'root' child) and unshared by an unnamed block"
                            + " device (uses node 't' as 'root' child).");
            // the failed attach left nothing behind
            assertThat(rig.node("t").parentEdges()).hasSize(1);
        }
    }

    @Test
    void writersNeedWritableNodesAndPermissionsFlowThroughRaw() {
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"ro\", \"read-only\": true,"
                    + " \"file\": {\"driver\": \"null-co\", \"node-name\": \"ron\"}}");
            assertThatThrownBy(() -> rig.backend("ro", CR | W, BlockPerm.ALL)).hasMessage("Block node is read-only");
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"rw\","
                    + " \"file\": {\"driver\": \"null-co\", \"node-name\": \"rwn\"}}");
            BlockBackend b = rig.backend("rw", CR | W, CR | WU | RS);
            BdrvChild file = rig.node("rw").file();
            assertThat(file.perm()).isEqualTo(CR | W);
            assertThat(file.sharedPerm()).isEqualTo(CR | WU | RS);
            assertThat(rig.ok("x-debug-query-block-graph", null).toString())
                    .contains("\"perm\":[\"write\",\"consistent-read\"]");
            rig.onMain(() -> rig.graph.setBackendPerm(b, CR, BlockPerm.ALL));
            assertThat(file.perm()).isEqualTo(CR);
            assertThat(file.sharedPerm()).isEqualTo(BlockPerm.ALL);
            // raw with a window is a data child: resize is never shared
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"win\", \"offset\": 512,"
                    + " \"file\": {\"driver\": \"null-co\"}}");
            assertThat(rig.node("win").file().perm()).isZero();
            assertThat(rig.node("win").file().sharedPerm()).isEqualTo(CR | W | WU);
        }
    }

    @Test
    void namesAndNodeNameRules() {
        assertThat(NodeNames.wellFormed("a1-._b")).isTrue();
        assertThat(NodeNames.wellFormed("1a")).isFalse();
        assertThat(NodeNames.wellFormed("")).isFalse();
        assertThat(NodeNames.wellFormed("a b")).isFalse();
        assertThat(NodeNames.wellFormed("\u00e9t\u00e9")).isFalse();
        assertThat(NodeNames.tooLong("a".repeat(31))).isFalse();
        assertThat(NodeNames.tooLong("a".repeat(32))).isTrue();
        NodeNames n = new NodeNames();
        assertThat(n.generate()).matches("#block0\\d\\d");
        assertThat(n.generate()).matches("#block1\\d\\d");
        assertThat(BlockPerm.names(BlockPerm.ALL)).isEqualTo("consistent read, write, write unchanged, resize");
        assertThat(BlockPerm.qapiList(CR | RS)).containsExactly("resize", "consistent-read");
    }

    @Test
    void anActiveBackendRefusesToMove() {
        try (BlockRig rig = new BlockRig()) {
            rig.iothread("io0");
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"file\": {\"driver\": \"null-co\","
                    + " \"node-name\": \"n\"}}");
            BlockBackend dev = rig.backend("r", CR | W, CR | WU | RS);
            rig.onMain(() -> rig.graph.attachDevice(dev, () -> "vblk0"));
            // through its file child (no BlockBackend parent there, so no force needed): the check phase refuses
            assertThat(rig.qmp("x-blockdev-set-iothread", "{\"node-name\": \"n\", \"iothread\": \"io0\"}")
                    .at("/error/desc").asText()).isEqualTo("Cannot change iothread of active block backend");
            assertThat(rig.node("n").quiesceCounter()).as("the refused check ended its drains").isZero();
            assertThat(rig.node("r").aioContext()).isSameAs(rig.graph.mainContext());
            // a device that can follow (a downstream extension) moves with the component
            BlockDevice movable = new BlockDevice() {
                @Override
                public String attachedDeviceId() {
                    return "vblk1";
                }

                @Override
                public boolean allowsContextChange(dev.blockdeck.engine.aio.AioContext target) {
                    return true;
                }
            };
            rig.onMain(() -> {
                rig.graph.detachDevice(dev);
                rig.graph.attachDevice(dev, movable);
            });
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"n\", \"iothread\": \"io0\"}");
            assertThat(dev.aioContext().name()).isEqualTo("io0");
            assertThat(rig.onMain(() -> rig.graph.usesContext(dev.aioContext()))).isTrue();
        }
    }

    @Test
    void backendAccountingFeedsTheStatistics() throws Exception {
        Path img = dir.resolve("s.img");
        Files.write(img, new byte[1 << 20]);
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"file\": {\"driver\": \"file\","
                    + " \"filename\": \"" + img + "\"}}");
            BlockBackend blk = rig.backend("r", CR | W, BlockPerm.ALL);
            rig.onMain(() -> {
                rig.graph.setBackendName(blk, "d0");
                blk.stats().setup(true, true);
            });
            BlockRig.await(blk.pwrite(0, BlockRig.pattern(4096, 1), 0));
            BlockRig.await(blk.pwrite(8192, BlockRig.pattern(512, 2), 0));
            BlockRig.await(blk.pread(512, ByteBuffer.allocate(1024)));
            BlockRig.await(blk.flush());
            assertThatThrownBy(() -> BlockRig.await(blk.pread(2_000_000, ByteBuffer.allocate(512))))
                    .hasRootCauseInstanceOf(BlockIOException.class);
            BlockAcctStats.Snapshot s = blk.stats().snapshot();
            assertThat(s.bytes(Type.WRITE)).isEqualTo(4608);
            assertThat(s.ops(Type.WRITE)).isEqualTo(2);
            assertThat(s.bytes(Type.READ)).isEqualTo(1024);
            assertThat(s.ops(Type.FLUSH)).isEqualTo(1);
            assertThat(s.invalid(Type.READ)).isEqualTo(1);
            assertThat(s.idleTimeNs()).isGreaterThanOrEqualTo(0);

            JsonNode st = rig.ok("query-blockstats", null).get(0);
            assertThat(st.get("device").asText()).isEqualTo("d0");
            assertThat(st.at("/stats/wr_bytes").asLong()).isEqualTo(4608);
            assertThat(st.at("/stats/wr_operations").asLong()).isEqualTo(2);
            assertThat(st.at("/stats/rd_bytes").asLong()).isEqualTo(1024);
            assertThat(st.at("/stats/flush_operations").asLong()).isEqualTo(1);
            assertThat(st.at("/stats/invalid_rd_operations").asLong()).isEqualTo(1);
            assertThat(st.at("/stats/wr_highest_offset").asLong()).isEqualTo(8704);
            assertThat(st.at("/stats/wr_total_time_ns").asLong()).isPositive();
            assertThat(st.at("/stats").has("idle_time_ns")).isTrue();
            assertThat(st.at("/parent/stats/wr_highest_offset").asLong()).as("node level").isEqualTo(8704);
            assertThat(st.at("/parent/stats/wr_bytes").asLong()).as("node level has no byte counters").isZero();
            // the data is in the file
            rig.onMain(() -> rig.graph.drainBackend(blk));
            byte[] disk = Files.readAllBytes(img);
            assertThat(disk[8192]).isEqualTo(BlockRig.pattern(512, 2).get(0));
        }
    }

    @Test
    void detectZeroesAndDiscardReachTheFile() throws Exception {
        Path img = dir.resolve("z.img");
        byte[] ones = new byte[65536];
        java.util.Arrays.fill(ones, (byte) 1);
        Files.write(img, ones);
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"discard\": \"unmap\","
                    + " \"detect-zeroes\": \"unmap\", \"file\": {\"driver\": \"file\", \"node-name\": \"f\","
                    + " \"filename\": \"" + img + "\"}}");
            BlockBackend blk = rig.backend("r", CR | W, BlockPerm.ALL);
            BlockRig.await(blk.pwrite(0, ByteBuffer.allocate(4096), 0));
            BlockRig.await(blk.pdiscard(8192, 4096));
            BlockRig.await(blk.pread(0, ByteBuffer.allocate(512)));
            JsonNode nodes = rig.ok("query-blockstats", "{\"query-nodes\": true}");
            JsonNode f = null;
            for (JsonNode n : nodes) {
                if (n.path("node-name").asText().equals("f")) {
                    f = n;
                }
            }
            assertThat(f.at("/driver-specific/discard-nb-ok").asLong()).isEqualTo(1);
            assertThat(f.at("/driver-specific/discard-bytes-ok").asLong()).isEqualTo(4096);
            rig.onMain(() -> rig.graph.drainBackend(blk));
            byte[] disk = Files.readAllBytes(img);
            assertThat(disk[0]).isZero();
            assertThat(disk[8192]).isZero();
            assertThat(disk[4096]).isEqualTo((byte) 1);
        }
    }
}

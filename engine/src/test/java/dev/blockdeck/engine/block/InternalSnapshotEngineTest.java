package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.testutil.Qemu;

/**
 * Internal snapshots in the running engine: a snapshot taken while guest writes stream in from an IOThread is a
 * consistent cut (for every writer, exactly a prefix of its acknowledged writes), the image stays clean for
 * {@code qemu-img check}, and the writes after the snapshot never reach it. Also the rollback QEMU 7.2 cannot do
 * (it aborts on an assertion): an internal snapshot of an overlay added earlier in the same failing transaction.
 */
class InternalSnapshotEngineTest {
    private static final int RW = BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE);
    private static final int SLOT = 4096;
    private static final int SLOTS_PER_WRITER = 64;
    private static final int WRITERS = 3;

    @TempDir
    Path dir;

    private String tool(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    /** A slot's content: writer, sequence number, then filler derived from both. */
    private static ByteBuffer stamp(int writer, int seq) {
        ByteBuffer b = ByteBuffer.allocate(SLOT);
        b.putInt(0, writer).putInt(4, seq);
        for (int i = 8; i < SLOT; i++) {
            b.put(i, (byte) (writer * 131 + seq * 7 + i));
        }
        return b;
    }

    private static long offset(int writer, int slot) {
        return ((long) writer * SLOTS_PER_WRITER + slot) * SLOT;
    }

    @Test
    void aSnapshotOfALiveDriveIsAConsistentCut() throws Exception {
        Qemu.requireBinary();
        tool("qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=4096", "live.qcow2", "4M");
        List<List<Integer>> acked = new ArrayList<>();
        try (BlockRig rig = new BlockRig()) {
            rig.iothread("io0");
            rig.ok("blockdev-add", "{\"driver\": \"qcow2\", \"node-name\": \"q\", \"file\": {\"driver\": \"file\","
                    + " \"filename\": \"" + dir.resolve("live.qcow2") + "\"}}");
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"q\", \"iothread\": \"io0\"}");
            BlockBackend blk = rig.backend("q", RW, BlockPerm.ALL);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                List<Integer> mine = new ArrayList<>();
                acked.add(mine);
                Thread t = new Thread(() -> {
                    // sequential per writer: write n is issued only after write n-1 was acknowledged
                    for (int seq = 0; !stop.get(); seq++) {
                        int slot = seq % SLOTS_PER_WRITER;
                        BlockRig.await(blk.pwrite(offset(writer, slot), stamp(writer, seq), 0));
                        synchronized (mine) {
                            mine.add(seq);
                        }
                    }
                }, "writer" + w);
                threads.add(t);
                t.start();
            }
            Thread.sleep(300);
            rig.ok("blockdev-snapshot-internal-sync", "{\"device\": \"q\", \"name\": \"cut\"}");
            Thread.sleep(300);
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
            JsonNode nodes = rig.ok("query-named-block-nodes", null);
            assertThat(nodes.toString()).contains("\"name\":\"cut\"");
            rig.onMain(() -> rig.graph.deleteBackend(blk));
        }
        assertThat(tool("qemu-img", "check", "live.qcow2")).contains("No errors were found on the image.");
        tool("qemu-img", "convert", "-O", "raw", "-l", "snapshot.name=cut", "live.qcow2", "cut.raw");
        tool("qemu-img", "convert", "-O", "raw", "live.qcow2", "now.raw");
        ByteBuffer cut = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("cut.raw")));
        ByteBuffer now = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("now.raw")));
        for (int w = 0; w < WRITERS; w++) {
            List<Integer> mine = acked.get(w);
            int last = mine.get(mine.size() - 1);
            assertThat(last).as("writer %d kept writing after the snapshot", w).isGreaterThan(SLOTS_PER_WRITER);
            // the highest sequence number in the snapshot: everything before it must be there, nothing after
            int k = -1;
            for (int s = 0; s < SLOTS_PER_WRITER; s++) {
                ByteBuffer b = cut.slice((int) offset(w, s), SLOT);
                if (b.getInt(0) == w && b.getInt(4) >= 0) {
                    k = Math.max(k, b.getInt(4));
                }
            }
            assertThat(k).as("writer %d wrote before the snapshot", w).isGreaterThanOrEqualTo(0).isLessThan(last);
            for (int s = 0; s < SLOTS_PER_WRITER; s++) {
                int expected = k - Math.floorMod(k - s, SLOTS_PER_WRITER);
                ByteBuffer want = expected < 0 ? ByteBuffer.allocate(SLOT) : stamp(w, expected);
                assertThat(cut.slice((int) offset(w, s), SLOT)).as("writer %d slot %d in the cut", w, s)
                        .isEqualTo(want);
                int latest = last - Math.floorMod(last - s, SLOTS_PER_WRITER);
                assertThat(now.slice((int) offset(w, s), SLOT)).as("writer %d slot %d now", w, s)
                        .isEqualTo(stamp(w, latest));
            }
        }
    }

    /**
     * QEMU 7.2 aborts (bdrv_do_drained_end: quiesce_counter > 0) when a transaction that snapshots a device
     * externally and then internally on the new overlay fails; the engine rolls both back and answers the error.
     */
    @Test
    void rollsBackAnInternalSnapshotOfANewOverlay() throws Exception {
        Qemu.requireBinary();
        tool("qemu-img", "create", "-q", "-f", "qcow2", "d1.qcow2", "10M");
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"qcow2\", \"node-name\": \"d1\", \"file\": {\"driver\": \"file\","
                    + " \"filename\": \"" + dir.resolve("d1.qcow2") + "\"}}");
            JsonNode answer = rig.qmp("transaction", "{\"actions\": [{\"type\": \"blockdev-snapshot-sync\", \"data\":"
                    + " {\"node-name\": \"d1\", \"snapshot-file\": \"" + dir.resolve("o2.qcow2") + "\","
                    + " \"snapshot-node-name\": \"o2\"}}, {\"type\": \"blockdev-snapshot-internal-sync\","
                    + " \"data\": {\"device\": \"o2\", \"name\": \"t7\"}}, {\"type\": \"abort\", \"data\": {}}]}");
            assertThat(answer.path("error").path("desc").asText()).isEqualTo("Transaction aborted using Abort action");
            assertThat(rig.onMain(() -> rig.graph.findNode("o2").isPresent())).isFalse();
            BlockNode d1 = rig.node("d1");
            assertThat(rig.onMain(d1::quiesceCounter)).isZero();
            assertThat(rig.onMain(d1::isReadOnly)).isFalse();
            rig.ok("blockdev-snapshot-internal-sync", "{\"device\": \"d1\", \"name\": \"after\"}");
        }
        assertThat(tool("qemu-img", "snapshot", "-l", "o2.qcow2")).isEmpty();
        assertThat(tool("qemu-img", "check", "o2.qcow2")).contains("No errors were found on the image.");
        assertThat(tool("qemu-img", "snapshot", "-l", "d1.qcow2")).contains(" after ");
    }
}

package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Create;

/**
 * A qcow2 node in a real graph (file node, worker pool): reads and in-place writes of allocated clusters reach its
 * file child many at a time, while allocating writes reach it one request at a time (each allocation's metadata
 * and data I/O in order, allocations one after the other).
 */
class Qcow2NodeConcurrencyTest {
    private static final int CLUSTER = 65536;
    private static final int ALLOCATED = 64;

    @TempDir
    Path dir;

    /** The most requests the file node had at once, per kind of phase. */
    private static final class Peak implements BlockNode.RequestObserver {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        @Override
        public void request(BlockNode node, String op, long offset, long bytes) {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        @Override
        public void completed(BlockNode node, String op) {
            now.decrementAndGet();
        }

        int reset() {
            return max.getAndSet(0);
        }
    }

    private static ByteBuffer fill(int len, int v) {
        ByteBuffer b = ByteBuffer.allocate(len);
        for (int i = 0; i < len; i++) {
            b.put(i, (byte) v);
        }
        return b;
    }

    @Test
    void mappedIoOverlapsAtTheFileWhileAllocationsDoNot() throws Exception {
        Path img = dir.resolve("c.qcow2");
        Qcow2Create.Options o = new Qcow2Create.Options();
        o.size = 2L * ALLOCATED * CLUSTER;
        try (FileChannelHostFile f = FileChannelHostFile.create(img)) {
            Qcow2Create.create(f, o);
        }
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"q\",\"file\":{\"driver\":\"file\","
                    + "\"node-name\":\"f\",\"filename\":\"" + img + "\"}}");
            BlockBackend blk = rig.backend("q", BlockPerm.CONSISTENT_READ.bit() | BlockPerm.WRITE.bit(),
                    BlockPerm.ALL);
            for (int c = 0; c < ALLOCATED; c++) {
                BlockRig.await(blk.pwrite((long) c * CLUSTER, fill(CLUSTER, c + 1), 0));
            }
            Peak peak = new Peak();
            rig.node("f").setRequestObserver(peak);

            int readPeak = 0;
            int writePeak = 0;
            for (int round = 0; round < 5; round++) {
                List<CompletableFuture<Void>> fs = new ArrayList<>();
                List<ByteBuffer> bufs = new ArrayList<>();
                for (int c = 0; c < ALLOCATED; c += 2) {
                    ByteBuffer b = ByteBuffer.allocate(4096);
                    bufs.add(b);
                    fs.add(blk.pread((long) c * CLUSTER + 8192, b));
                }
                fs.forEach(BlockRig::await);
                for (int i = 0; i < bufs.size(); i++) {
                    assertThat(bufs.get(i).array()).isEqualTo(fill(4096, 2 * i + 1).array());
                }
                readPeak = Math.max(readPeak, peak.reset());
                fs.clear();
                for (int c = 1; c < ALLOCATED; c += 2) {
                    fs.add(blk.pwrite((long) c * CLUSTER, fill(4096, 0x70 + round), 0));
                }
                fs.forEach(BlockRig::await);
                writePeak = Math.max(writePeak, peak.reset());
            }
            assertThat(readPeak).as("reads of allocated clusters in flight together at the file").isGreaterThan(1);
            assertThat(writePeak).as("in-place writes in flight together at the file").isGreaterThan(1);

            List<CompletableFuture<Void>> allocs = new ArrayList<>();
            for (int c = ALLOCATED; c < 2 * ALLOCATED; c++) {
                allocs.add(blk.pwrite((long) c * CLUSTER + 512, fill(1024, c), 0));
            }
            allocs.forEach(BlockRig::await);
            assertThat(peak.reset()).as("allocating writes: one file request at a time").isEqualTo(1);

            ByteBuffer back = ByteBuffer.allocate(CLUSTER);
            BlockRig.await(blk.pread((long) (ALLOCATED + 3) * CLUSTER, back));
            byte[] want = new byte[CLUSTER];
            fill(1024, ALLOCATED + 3).get(0, want, 512, 1024);
            assertThat(back.array()).isEqualTo(want);
            rig.node("f").setRequestObserver(null);
            rig.onMain(() -> rig.graph.deleteBackend(blk));
        }
    }
}

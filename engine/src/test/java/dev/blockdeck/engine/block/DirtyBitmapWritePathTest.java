package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.blockdeck.engine.bitmap.DirtyBitmap;
import dev.blockdeck.engine.bitmap.HBitmap;

/**
 * How the write path feeds dirty bitmaps: every layer marks its own bitmaps at its own offsets, discards mark
 * only where the driver discards, a read-only bitmap blocks writes, and marking on an IOThread while the main
 * loop adds, clears, merges and queries loses no bit.
 */
class DirtyBitmapWritePathTest {
    private static final int RW = BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE);

    @TempDir
    Path dir;

    private static void add(BlockRig rig, String node, String name, long granularity) {
        rig.ok("block-dirty-bitmap-add", "{\"node\": \"" + node + "\", \"name\": \"" + name + "\", \"granularity\": "
                + granularity + "}");
    }

    private static DirtyBitmap bitmap(BlockRig rig, String node, String name) {
        return rig.node(node).dirtyBitmaps().find(name).orElseThrow();
    }

    @Test
    void discardsMarkOnlyWhereTheDriverDiscards() throws Exception {
        Files.write(dir.resolve("a.img"), new byte[1 << 20]);
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"discard\": \"unmap\", \"file\": "
                    + "{\"driver\": \"file\", \"node-name\": \"f\", \"discard\": \"unmap\", \"filename\": \""
                    + dir.resolve("a.img") + "\"}}");
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"n\", \"discard\": \"unmap\"}");
            add(rig, "r", "r", 512);
            add(rig, "f", "f", 512);
            add(rig, "n", "n", 512);
            BlockRig.await(rig.backend("r", RW, BlockPerm.ALL).pdiscard(4096, 1024));
            BlockRig.await(rig.backend("n", RW, BlockPerm.ALL).pdiscard(4096, 1024));
            assertThat(bitmap(rig, "r", "r").count()).isEqualTo(1024);
            assertThat(bitmap(rig, "f", "f").count()).isEqualTo(1024);
            assertThat(bitmap(rig, "n", "n").count()).as("null-co has no discard: QEMU marks nothing").isZero();
        }
    }

    @Test
    void aReadOnlyBitmapRefusesWritesAndDiscardsAndMarksNothing() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"n\", \"discard\": \"unmap\"}");
            add(rig, "n", "ro", 512);
            add(rig, "n", "rw", 512);
            BlockBackend blk = rig.backend("n", RW, BlockPerm.ALL);
            bitmap(rig, "n", "ro").setReadonly(true);
            for (CompletableFuture<Void> f : List.of(blk.pwrite(0, ByteBuffer.allocate(512), 0),
                    blk.pwriteZeroes(0, 512, 0), blk.pdiscard(0, 512))) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    throw new AssertionError("a write passed a read-only bitmap");
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(BlockIOException.class);
                    assertThat(((BlockIOException) e.getCause()).errno()).isEqualTo(BlockIOException.Errno.EPERM);
                }
            }
            assertThat(bitmap(rig, "n", "rw").count()).isZero();
            bitmap(rig, "n", "ro").setReadonly(false);
            BlockRig.await(blk.pwrite(0, ByteBuffer.allocate(512), 0));
            assertThat(bitmap(rig, "n", "rw").count()).isEqualTo(512);
        }
    }

    @Test
    void marksFromAnIoThreadRaceNothingTheMainLoopDoes() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            rig.iothread("io0");
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"n\", \"size\": 67108864}");
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"n\", \"iothread\": \"io0\"}");
            add(rig, "n", "stable", 4096);
            BlockBackend blk = rig.backend("n", RW, BlockPerm.ALL);
            HBitmap expected = new HBitmap(64 << 20, 12);
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> failures = new ArrayList<>();
            Thread churn = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    try {
                        String name = "t" + (i++ % 4);
                        rig.qmp("block-dirty-bitmap-add", "{\"node\": \"n\", \"name\": \"" + name + "\"}");
                        rig.ok("query-named-block-nodes", null);
                        rig.ok("block-dirty-bitmap-merge", "{\"node\": \"n\", \"target\": \"" + name
                                + "\", \"bitmaps\": [\"stable\"]}");
                        rig.ok("block-dirty-bitmap-clear", "{\"node\": \"n\", \"name\": \"" + name + "\"}");
                        rig.ok("x-debug-block-dirty-bitmap-sha256", "{\"node\": \"n\", \"name\": \"stable\"}");
                        if (i % 3 == 0) {
                            rig.ok("block-dirty-bitmap-remove", "{\"node\": \"n\", \"name\": \"" + name + "\"}");
                        }
                    } catch (Throwable t) {
                        synchronized (failures) {
                            failures.add(t);
                        }
                        return;
                    }
                }
            }, "churn");
            churn.start();
            java.util.Random r = new java.util.Random(3);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                long off = r.nextInt(64 << 20);
                int len = 1 + r.nextInt(20000);
                len = (int) Math.min(len, (64L << 20) - off);
                expected.set(off, len);
                writes.add(blk.pwrite(off, ByteBuffer.allocate(len), 0));
                if (writes.size() > 64) {
                    BlockRig.await(writes.remove(0));
                }
            }
            writes.forEach(BlockRig::await);
            stop.set(true);
            churn.join(30_000);
            assertThat(failures).isEmpty();
            DirtyBitmap stable = bitmap(rig, "n", "stable");
            assertThat(stable.count()).isEqualTo(expected.count());
            assertThat(stable.sha256()).isEqualTo(expected.sha256());
        }
    }
}

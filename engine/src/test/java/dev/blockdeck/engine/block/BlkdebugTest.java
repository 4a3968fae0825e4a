package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.block.BlockIOException.Errno;

/**
 * blkdebug through the graph, on real files: what qemu-io cannot show (a request failing at once or after a
 * loop turn, flush outcomes, a read-only node's flush, events from a format driver through its child edge,
 * an IOThread) and errno edge cases. The I/O semantics themselves are compared with QEMU in
 * {@link BlkdebugIoDifferentialTest}.
 */
class BlkdebugTest {
    private static final int CR = BlockPerm.CONSISTENT_READ.bit();
    private static final int W = BlockPerm.WRITE.bit();

    @TempDir
    Path dir;

    private String image() throws Exception {
        Path img = dir.resolve("a.img");
        if (!Files.exists(img)) {
            Files.write(img, new byte[64 * 1024]);
        }
        return img.toString();
    }

    /** raw "r" over blkdebug "d" (with {@code options}) over the file. */
    private void add(BlockRig rig, String options, boolean readOnly) throws Exception {
        rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"read-only\": " + readOnly + ","
                + " \"file\": {\"driver\": \"blkdebug\", \"node-name\": \"d\", \"image\": {\"driver\": \"file\","
                + " \"filename\": \"" + image() + "\"}" + (options.isEmpty() ? "" : ", " + options) + "}}");
    }

    private static Errno errno(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            while (!(t instanceof BlockIOException) && t.getCause() != null) {
                t = t.getCause();
            }
            return ((BlockIOException) t).errno();
        }
    }

    /** Issues a read on node {@code d} from its context thread; says whether its future was done on return. */
    private static boolean doneOnReturn(BlockRig rig, CompletableFuture<Void>[] out) {
        BlockNode d = rig.node("d");
        return rig.onMain(() -> {
            out[0] = d.preadv(null, 0, ByteBuffer.allocate(512), 0);
            return out[0].isDone();
        });
    }

    @Test
    void immediatelyFailsBeforeReturningOtherwiseAfterALoopTurn() throws Exception {
        for (boolean immediately : new boolean[] {true, false}) {
            try (BlockRig rig = new BlockRig()) {
                add(rig, "\"inject-error\": [{\"event\": \"none\", \"errno\": 5, \"immediately\": " + immediately
                        + "}]", false);
                @SuppressWarnings("unchecked")
                CompletableFuture<Void>[] f = new CompletableFuture[1];
                assertThat(doneOnReturn(rig, f)).as("immediately=%s", immediately).isEqualTo(immediately);
                assertThat(errno(f[0])).isEqualTo(Errno.EIO);
            }
        }
    }

    @Test
    void flushFailsOnlyWhenBlkdebugHasWritesToFlush() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            add(rig, "\"inject-error\": [{\"event\": \"none\", \"iotype\": \"flush\", \"errno\": 28}]", false);
            BlockBackend blk = rig.backend("r", CR | W, BlockPerm.ALL);
            assertThat(errno(blk.flush())).as("nothing written yet").isNull();
            assertThat(errno(blk.pwrite(0, BlockRig.pattern(512, 1), 0))).isNull();
            assertThat(errno(blk.flush())).isEqualTo(Errno.ENOSPC);
            assertThat(errno(blk.flush())).as("a failed flush leaves the writes unflushed").isEqualTo(Errno.ENOSPC);
            assertThat(errno(blk.pread(0, ByteBuffer.allocate(512)))).as("flush rules spare reads").isNull();
        }
    }

    @Test
    void aReadOnlyNodeHasNothingToFlushAndSignalsNothing() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            add(rig, "\"inject-error\": [{\"event\": \"flush_to_os\", \"errno\": 5}]", true);
            BlockBackend blk = rig.backend("r", CR, BlockPerm.ALL);
            assertThat(errno(blk.flush())).isNull();
            assertThat(errno(blk.pread(0, ByteBuffer.allocate(512)))).as("no flush_to_os armed the rule").isNull();
        }
    }

    @Test
    void aFormatSignalsEventsThroughItsChildEdge() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            add(rig, "\"inject-error\": [{\"event\": \"l2_load\", \"iotype\": \"read\", \"errno\": 5, "
                    + "\"once\": true}]", false);
            BlockBackend blk = rig.backend("r", CR | W, BlockPerm.ALL);
            BlockNode raw = rig.node("r");
            assertThat(errno(blk.pread(0, ByteBuffer.allocate(512)))).isNull();
            rig.onMain(() -> raw.file().debugEvent(DebugEvents.L2_LOAD));
            assertThat(errno(blk.pread(0, ByteBuffer.allocate(512)))).isEqualTo(Errno.EIO);
            assertThat(errno(blk.pread(0, ByteBuffer.allocate(512)))).as("once").isNull();
            assertThatThrownBy(() -> rig.onMain(() -> raw.file().debugEvent("no_such_event")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void errnoZeroPassesAnErrnoLinuxLacksFailsWithEio() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            add(rig, "\"inject-error\": [{\"event\": \"none\", \"sector\": 0, \"errno\": 0},"
                    + " {\"event\": \"none\", \"sector\": 1, \"errno\": 41}, {\"event\": \"none\", \"sector\": 2,"
                    + " \"errno\": 122}]", false);
            BlockBackend blk = rig.backend("r", CR | W, BlockPerm.ALL);
            assertThat(errno(blk.pread(0, ByteBuffer.allocate(512)))).isNull();
            assertThat(errno(blk.pread(512, ByteBuffer.allocate(512)))).isEqualTo(Errno.EIO);
            assertThat(errno(blk.pread(1024, ByteBuffer.allocate(512)))).isEqualTo(Errno.EDQUOT);
            assertThat(Errno.EDQUOT.text()).isEqualTo("Disk quota exceeded");
        }
    }

    @Test
    void rulesWorkInAnIothreadAndDeferredFailuresCompleteThere() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            IoThread io = rig.iothread("io0");
            add(rig, "\"inject-error\": [{\"event\": \"write_aio\", \"errno\": 28, \"once\": true}]", false);
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"r\", \"iothread\": \"io0\"}");
            BlockBackend blk = rig.backend("r", CR | W, BlockPerm.ALL);
            CompletableFuture<Void> w = blk.pwrite(0, BlockRig.pattern(4096, 2), 0);
            assertThat(errno(w)).isEqualTo(Errno.ENOSPC);
            assertThat(errno(blk.pwrite(0, BlockRig.pattern(4096, 3), 0))).as("once").isNull();
            boolean[] onIothread = new boolean[1];
            rig.node("d").setRequestObserver((node, op, offset, bytes) -> onIothread[0] = io.context().inThread());
            ByteBuffer back = ByteBuffer.allocate(4096);
            assertThat(errno(blk.pread(0, back))).isNull();
            assertThat(back).isEqualTo(BlockRig.pattern(4096, 3));
            assertThat(onIothread[0]).isTrue();
        }
    }
}

package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.blockdeck.engine.block.BlockIOException.Errno;
import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * Every kind of request on a qcow2 node after a fatal corruption, as QEMU 7.2 answers them through qemu-io
 * (recorded: the request that finds it EIO; then write, write -z, discard, read ENOMEDIUM; flush succeeds): the node
 * is ejected, and so is what stands on it, while the file node below it still works.
 */
class Qcow2EjectedNodeTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        QemuTools.require();
        dir = ShortTempDir.create("qej");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "c.qcow2", "1M");
        QemuTools.ok(dir, "qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 64k", "c.qcow2");
        try (FileChannel ch = FileChannel.open(dir.resolve("c.qcow2"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.allocate(8);
            ch.read(h, 40);
            ByteBuffer e = ByteBuffer.allocate(8);
            ch.read(e, h.getLong(0));
            ch.write(ByteBuffer.allocate(8).putLong(0, e.getLong(0) + 0x200), h.getLong(0));
        }
    }

    @AfterEach
    void tearDown() {
        ShortTempDir.delete(dir);
    }

    private static Errno errno(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return ((BlockIOException) e.getCause()).errno();
        }
    }

    @Test
    void everyRequestAfterAFatalCorruptionFindsNoMedium() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"q\",\"discard\":\"unmap\",\"file\":{"
                    + "\"driver\":\"file\",\"node-name\":\"f\",\"filename\":\"" + dir.resolve("c.qcow2") + "\"}}");
            rig.ok("blockdev-add", "{\"driver\":\"raw\",\"node-name\":\"r\",\"file\":\"q\"}");
            BlockBackend blk = rig.backend("r", BlockPerm.CONSISTENT_READ.bit() | BlockPerm.WRITE.bit(),
                    BlockPerm.ALL);
            BlockBackend file = rig.backend("f", BlockPerm.CONSISTENT_READ.bit(), BlockPerm.ALL);

            assertThat(errno(blk.pwrite(0, ByteBuffer.allocate(512), 0))).isEqualTo(Errno.EIO);
            assertThat(rig.node("q").isEjected()).isTrue();
            assertThat(errno(blk.pwrite(0, ByteBuffer.allocate(512), 0))).isEqualTo(Errno.ENOMEDIUM);
            assertThat(errno(blk.pwriteZeroes(512 << 10, 512, 0))).isEqualTo(Errno.ENOMEDIUM);
            assertThat(errno(blk.pdiscard(512 << 10, 64 << 10))).isEqualTo(Errno.ENOMEDIUM);
            assertThat(errno(blk.pread(512 << 10, ByteBuffer.allocate(512)))).isEqualTo(Errno.ENOMEDIUM);
            assertThat(errno(blk.flush())).isNull();
            // the raw node above is not inserted either; the file below is
            assertThat(rig.node("r").isEjected()).isFalse();
            assertThat(rig.onMain(() -> rig.node("r").isInserted())).isFalse();
            assertThat(errno(file.pread(0, ByteBuffer.allocate(512)))).isNull();

            assertThat(rig.qmp("query-named-block-nodes", null).toString())
                    .contains("Block device q is ejected");
            rig.onMain(() -> {
                rig.graph.deleteBackend(blk);
                rig.graph.deleteBackend(file);
            });
            rig.ok("blockdev-del", "{\"node-name\":\"r\"}");
            rig.ok("blockdev-del", "{\"node-name\":\"q\"}");
            assertThat(rig.ok("query-named-block-nodes", null)).isEmpty();
        }
        String info = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "c.qcow2").out();
        assertThat(info).contains("\"corrupt\": true");
    }
}

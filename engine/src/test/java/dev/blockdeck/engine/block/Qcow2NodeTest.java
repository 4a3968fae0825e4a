package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * qcow2 as a graph node: an overlay over a backing image QEMU wrote, opened with blockdev-add, driven with random
 * guest writes and reads (partial clusters, so copy-on-write reads the backing) on the main loop or an IOThread,
 * checked against a model; afterwards qemu-img finds the image clean and equal to the model.
 */
class Qcow2NodeTest {
    private static final int SIZE = 4 << 20;
    private Path dir;

    @BeforeEach
    void images() throws Exception {
        QemuTools.require();
        dir = ShortTempDir.create("bq2");
        QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", "base.qcow2", "4M");
        QemuTools.ok(dir, "qemu-io", "-f", "qcow2", "-c", "write -P 0xaa 0 1M", "-c", "write -P 0x55 2M 512k",
                "base.qcow2");
        QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2");
    }

    @AfterEach
    void cleanup() {
        ShortTempDir.delete(dir);
    }

    @ParameterizedTest(name = "iothread={0}")
    @ValueSource(booleans = {false, true})
    void randomGuestIoMatchesAModelAndQemuImg(boolean iothread) throws Exception {
        byte[] model = new byte[SIZE];
        for (int i = 0; i < (1 << 20); i++) {
            model[i] = (byte) 0xaa;
        }
        for (int i = 2 << 20; i < (2 << 20) + (512 << 10); i++) {
            model[i] = (byte) 0x55;
        }
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"top\",\"file\":{\"driver\":\"file\","
                    + "\"filename\":\"" + dir.resolve("top.qcow2") + "\"}}");
            if (iothread) {
                rig.iothread("io0");
                rig.ok("x-blockdev-set-iothread", "{\"node-name\":\"top\",\"iothread\":\"io0\"}");
            }
            BlockBackend blk = rig.backend("top", BlockPerm.CONSISTENT_READ.bit() | BlockPerm.WRITE.bit(),
                    BlockPerm.ALL);
            Random rnd = new Random(42);
            for (int i = 0; i < 200; i++) {
                int off = rnd.nextInt(SIZE / 512) * 512;
                int len = Math.min(SIZE - off, (1 + rnd.nextInt(64)) * 512);
                if (rnd.nextInt(3) == 0) {
                    ByteBuffer got = ByteBuffer.allocate(len);
                    BlockRig.await(blk.pread(off, got));
                    for (int j = 0; j < len; j++) {
                        assertThat(got.get(j)).as("byte %d", off + j).isEqualTo(model[off + j]);
                    }
                } else {
                    ByteBuffer data = BlockRig.pattern(len, i);
                    for (int j = 0; j < len; j++) {
                        model[off + j] = data.get(j);
                    }
                    BlockRig.await(blk.pwrite(off, data, 0));
                }
            }
            ByteBuffer all = ByteBuffer.allocate(SIZE);
            BlockRig.await(blk.pread(0, all));
            assertThat(all.array()).isEqualTo(model);
            rig.onMain(() -> rig.graph.deleteBackend(blk));
        }
        Files.write(dir.resolve("model.raw"), model);
        assertThat(QemuTools.run(dir, "qemu-img", "check", "top.qcow2").exit()).isZero();
        QemuTools.ok(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", "top.qcow2", "model.raw");
    }
}

package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Images written by QEMU's tools read back byte for byte through the core (QEMU's raw conversion as reference). */
class Qcow2QemuWrittenTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        QemuTools.require();
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("v3 64k", "cluster_size=65536", 1L),
                Arguments.of("v2 64k", "compat=0.10", 2L),
                Arguments.of("v2 512", "compat=0.10,cluster_size=512", 3L),
                Arguments.of("extended l2 64k", "extended_l2=on", 4L),
                Arguments.of("extended l2 2M", "extended_l2=on,cluster_size=2M", 5L),
                Arguments.of("refcount 1 bit 4k", "refcount_bits=1,cluster_size=4096", 6L),
                Arguments.of("refcount 64 bits 1k", "refcount_bits=64,cluster_size=1024", 7L),
                Arguments.of("lazy refcounts", "lazy_refcounts=on", 8L));
    }

    /** qemu-io writes, write -z (with and without unmap) and discards; the core reads what QEMU reads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void readsWhatQemuIoWrote(String name, String opts, long seed) throws IOException {
        Random rnd = new Random(seed);
        long size = 16L << 20;
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", opts, "t.qcow2", String.valueOf(size));
        List<String> cmds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long off = rnd.nextInt((int) (size / 512)) * 512L;
            int len = (int) Math.min(size - off, 512L * (1 + rnd.nextInt(300)));
            int k = rnd.nextInt(8);
            if (k == 0) {
                cmds.add("write -z " + off + " " + len);
            } else if (k == 1) {
                cmds.add("write -z -u " + off + " " + len);
            } else if (k == 2) {
                cmds.add("discard " + off + " " + len);
            } else {
                cmds.add("write -P " + (1 + rnd.nextInt(250)) + " " + off + " " + len);
            }
        }
        qemuIo("t.qcow2", cmds);
        assertReadsLikeQemu("t.qcow2", null);
    }

    private void qemuIo(String image, List<String> cmds) throws IOException {
        List<String> c = new ArrayList<>(List.of("qemu-io"));
        for (String s : cmds) {
            c.add("-c");
            c.add(s);
        }
        c.add(image);
        QemuTools.ok(dir, c.toArray(String[]::new));
    }

    /** Compares the whole guest view from the core with {@code qemu-img convert -O raw}. */
    private void assertReadsLikeQemu(String image, BackingReader backing) throws IOException {
        QemuTools.ok(dir, "qemu-img", "convert", "-O", "raw", image, image + ".raw");
        byte[] want = Files.readAllBytes(dir.resolve(image + ".raw"));
        Qcow2Image.Options o = new Qcow2Image.Options();
        o.readOnly = true;
        o.backing = backing;
        try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(dir.resolve(image), true), o)) {
            byte[] got = new byte[(int) q.size()];
            // odd-sized reads across cluster boundaries
            int pos = 0;
            Random r = new Random(7);
            while (pos < got.length) {
                int n = Math.min(got.length - pos, 1 + r.nextInt(300_000));
                q.read(pos, ByteBuffer.wrap(got, pos, n));
                pos += n;
            }
            assertThat(got.length).isEqualTo(want.length);
            for (int i = 0; i < got.length; i += 4096) {
                int n = Math.min(4096, got.length - i);
                if (!java.util.Arrays.equals(got, i, i + n, want, i, i + n)) {
                    throw new AssertionError("guest data differs from qemu-img convert at offset " + i);
                }
            }
        }
    }

    private void makeCompressible(Path raw, long size, long seed) throws IOException {
        Random rnd = new Random(seed);
        byte[] all = new byte[(int) size];
        for (int i = 0; i < all.length; i += 4096) {
            int kind = rnd.nextInt(4);
            if (kind == 0) {
                continue; // zeros
            }
            for (int j = 0; j < 4096 && i + j < all.length; j++) {
                all[i + j] = kind == 1 ? (byte) (j / 64) : (byte) rnd.nextInt(kind == 2 ? 4 : 256);
            }
        }
        Files.write(raw, all);
    }

    /** Compressed clusters (zlib and zstd, several cluster sizes) made by qemu-img convert -c. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("compressedCases")
    void readsCompressedClusters(String type, int cs) throws IOException {
        long size = 8L << 20;
        makeCompressible(dir.resolve("src.raw"), size, cs);
        QemuTools.ok(dir, "qemu-img", "convert", "-c", "-f", "raw", "-O", "qcow2", "-o",
                "compression_type=" + type + ",cluster_size=" + cs, "src.raw", "c.qcow2");
        assertReadsLikeQemu("c.qcow2", null);
        // then overwrite parts (COW out of compressed clusters, freeing their sectors) and let QEMU judge
        Random rnd = new Random(cs);
        byte[] ref = Files.readAllBytes(dir.resolve("src.raw"));
        try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(dir.resolve("c.qcow2"), false),
                new Qcow2Image.Options())) {
            for (int i = 0; i < 60; i++) {
                int off = rnd.nextInt((int) size - 1);
                int len = Math.min((int) size - off, 1 + rnd.nextInt(3 * cs));
                if (rnd.nextInt(4) == 0) {
                    q.writeZeroes(off, len, true);
                    java.util.Arrays.fill(ref, off, off + len, (byte) 0);
                } else {
                    byte[] b = new byte[len];
                    rnd.nextBytes(b);
                    q.write(off, ByteBuffer.wrap(b));
                    System.arraycopy(b, 0, ref, off, len);
                }
            }
        }
        Files.write(dir.resolve("ref.raw"), ref);
        QemuTools.Run check = QemuTools.run(dir, "qemu-img", "check", "c.qcow2");
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        QemuTools.ok(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", "c.qcow2", "ref.raw");
    }

    static Stream<Arguments> compressedCases() {
        return Stream.of(Arguments.of("zlib", 65536), Arguments.of("zlib", 4096), Arguments.of("zlib", 2 << 20),
                Arguments.of("zstd", 65536), Arguments.of("zstd", 16384));
    }

    /** A backing chain written by qemu-io reads the same through chained cores. */
    @Test
    void readsBackingChainWrittenByQemu() throws IOException {
        long size = 8L << 20;
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "b0.qcow2", String.valueOf(size));
        qemuIo("b0.qcow2", List.of("write -P 1 0 3M", "write -P 2 5M 1M"));
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=4096", "-b", "b0.qcow2",
                "-F", "qcow2", "b1.qcow2");
        qemuIo("b1.qcow2", List.of("write -P 3 1M 100k", "write -z 2M 64k", "write -P 4 4095 10000"));
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "-b", "b1.qcow2",
                "-F", "qcow2", "b2.qcow2");
        qemuIo("b2.qcow2", List.of("write -P 5 3000 5000", "write -z 6M 4k", "write -P 6 7M 2k"));
        Qcow2Image.Options o0 = new Qcow2Image.Options();
        o0.readOnly = true;
        try (Qcow2Image b0 = Qcow2Image.open(FileChannelHostFile.open(dir.resolve("b0.qcow2"), true), o0)) {
            Qcow2Image.Options o1 = new Qcow2Image.Options();
            o1.readOnly = true;
            o1.backing = b0.asBackingReader();
            try (Qcow2Image b1 = Qcow2Image.open(FileChannelHostFile.open(dir.resolve("b1.qcow2"), true), o1)) {
                assertReadsLikeQemu("b2.qcow2", b1.asBackingReader());
            }
        }
    }

    /** An image with lazy refcounts killed mid-write is dirty; a read-write open repairs it as QEMU does. */
    @Test
    void repairsDirtyLazyRefcountImage() throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on", "d.qcow2", "64M");
        QemuTools.run(dir, "qemu-io", "-c", "write -P 7 0 3M", "-c", "write -P 8 40M 1M", "-c", "sigraise 9",
                "d.qcow2");
        QemuTools.Run before = QemuTools.run(dir, "qemu-img", "check", "d.qcow2");
        assertThat(before.exit()).isEqualTo(2);
        QemuTools.ok(dir, "qemu-img", "convert", "-O", "raw", "d.qcow2", "d.raw");
        try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(dir.resolve("d.qcow2"), false),
                new Qcow2Image.Options())) {
            assertThat(q.isDirty()).isFalse();
            q.write(10 << 20, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        QemuTools.Run after = QemuTools.run(dir, "qemu-img", "check", "d.qcow2");
        assertThat(after.exit()).as(after.out() + after.err()).isZero();
        byte[] ref = Files.readAllBytes(dir.resolve("d.raw"));
        ref[10 << 20] = 1;
        ref[(10 << 20) + 1] = 2;
        ref[(10 << 20) + 2] = 3;
        Files.write(dir.resolve("d.raw"), ref);
        QemuTools.ok(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", "d.qcow2", "d.raw");
    }
}

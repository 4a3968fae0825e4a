package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images the core writes (random writes, write-zeroes and discards at many offsets and sizes, over backing chains,
 * every cluster size, refcount widths, extended L2, v2) pass {@code qemu-img check} without errors or leaks after a
 * clean close, and {@code qemu-img compare} finds them equal to a raw file written with the same data.
 */
class Qcow2RoundTripTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        QemuTools.require();
    }

    static Stream<Arguments> layouts() {
        List<Arguments> l = new ArrayList<>();
        long seed = 1;
        for (int cs : new int[] {512, 1024, 4096, 16384, 65536, 262144, 2 << 20}) {
            for (int rb : new int[] {1, 16, 64}) {
                l.add(Arguments.of(cs, rb, false, 3, 0, seed++));
            }
        }
        l.add(Arguments.of(65536, 16, true, 3, 0, seed++));
        l.add(Arguments.of(16384, 8, true, 3, 1, seed++));
        l.add(Arguments.of(2 << 20, 2, true, 3, 2, seed++));
        l.add(Arguments.of(65536, 16, false, 2, 0, seed++));
        l.add(Arguments.of(4096, 16, false, 2, 1, seed++));
        l.add(Arguments.of(65536, 32, false, 3, 1, seed++));
        l.add(Arguments.of(512, 4, false, 3, 2, seed++));
        l.add(Arguments.of(65536, 16, false, 3, 3, seed++));
        return l.stream();
    }

    /** Writes the same random operations to a qcow2 image (over a chain of {@code chain} backing files) and a raw file. */
    @ParameterizedTest(name = "cluster {0}, refcount_bits {1}, extended_l2 {2}, v{3}, chain {4}")
    @MethodSource("layouts")
    void writesMatchRawAndPassCheck(int cs, int rb, boolean extL2, int version, int chain, long seed)
            throws IOException {
        Random rnd = new Random(seed);
        long size = (cs <= 1024 ? 8L : 40L) << 20;
        Path raw = dir.resolve("ref.raw");
        try (RandomAccessFile r = new RandomAccessFile(raw.toFile(), "rw")) {
            r.setLength(size);
        }
        // backing chain made by QEMU, each layer with some data, mirrored into the raw reference
        String prev = null;
        for (int i = 0; i < chain; i++) {
            String name = "base" + i + ".qcow2";
            if (prev == null) {
                QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", name,
                        String.valueOf(size));
            } else {
                QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-b", prev, "-F", "qcow2", name);
            }
            for (int k = 0; k < 6; k++) {
                long off = (rnd.nextInt((int) (size / 512))) * 512L;
                int len = (int) Math.min(size - off, 512 * (1 + rnd.nextInt(400)));
                int pat = 1 + rnd.nextInt(250);
                QemuTools.ok(dir, "qemu-io", "-c", "write -P " + pat + " " + off + " " + len, name);
                try (RandomAccessFile r = new RandomAccessFile(raw.toFile(), "rw")) {
                    byte[] b = new byte[len];
                    java.util.Arrays.fill(b, (byte) pat);
                    r.seek(off);
                    r.write(b);
                }
            }
            prev = name;
        }
        Path img = dir.resolve("t.qcow2");
        Qcow2Create.Options o = new Qcow2Create.Options();
        o.size = size;
        o.clusterSize = (long) cs;
        o.refcountBits = (long) rb;
        o.extendedL2 = extL2;
        o.version = version;
        if (prev != null) {
            o.backingFile = prev;
            o.backingFmt = "qcow2";
        }
        try (FileChannelHostFile f = FileChannelHostFile.create(img)) {
            Qcow2Create.create(f, o);
        }
        List<AutoCloseable> opened = new ArrayList<>();
        BackingReader back = null;
        for (int i = 0; i < chain; i++) {
            Qcow2Image.Options bo = new Qcow2Image.Options();
            bo.readOnly = true;
            bo.backing = back;
            Qcow2Image b = Qcow2Image.open(FileChannelHostFile.open(dir.resolve("base" + i + ".qcow2"), true), bo);
            opened.add(b);
            back = b.asBackingReader();
        }
        Qcow2Image.Options io = new Qcow2Image.Options();
        io.backing = back;
        try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(img, false), io);
                RandomAccessFile r = new RandomAccessFile(raw.toFile(), "rw")) {
            int ops = 120;
            for (int i = 0; i < ops; i++) {
                long off = rnd.nextInt(4) == 0 ? (long) (rnd.nextDouble() * size) : (rnd.nextInt((int) (size / cs)))
                        * (long) cs + (rnd.nextBoolean() ? 0 : rnd.nextInt(cs));
                off = Math.min(off, size - 1);
                int maxLen = rnd.nextInt(5) == 0 ? 3 * cs + 12345 : Math.max(1, cs * 2);
                int len = (int) Math.min(size - off, 1 + rnd.nextInt(Math.min(maxLen, 1 << 20)));
                int kind = rnd.nextInt(12);
                if (kind == 0) {
                    q.writeZeroes(off, len, rnd.nextBoolean());
                    r.seek(off);
                    r.write(new byte[len]);
                } else if (kind == 1 && version >= 3) {
                    q.discard(off, len);
                    long s = (off + cs - 1) / cs * cs;
                    long e = off + len == size ? size : (off + len) / cs * cs;
                    if (e > s) {
                        r.seek(s);
                        r.write(new byte[(int) (e - s)]);
                    }
                } else {
                    byte[] b = new byte[len];
                    rnd.nextBytes(b);
                    q.write(off, ByteBuffer.wrap(b));
                    r.seek(off);
                    r.write(b);
                }
                if (rnd.nextInt(20) == 0) {
                    q.flush();
                }
                if (rnd.nextInt(10) == 0) {
                    // read back through the core as well
                    long ro = (long) (rnd.nextDouble() * (size - 1));
                    int rl = (int) Math.min(size - ro, 1 + rnd.nextInt(3 * cs));
                    byte[] got = new byte[rl];
                    q.read(ro, ByteBuffer.wrap(got));
                    byte[] want = new byte[rl];
                    r.seek(ro);
                    r.readFully(want);
                    assertThat(got).as("read back at %d+%d", ro, rl).isEqualTo(want);
                }
            }
        } finally {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
        QemuTools.Run check = QemuTools.run(dir, "qemu-img", "check", "--output=json", "t.qcow2");
        assertThat(check.exit()).as("qemu-img check: %s %s", check.out(), check.err()).isZero();
        assertThat(check.out()).doesNotContain("\"leaks\"").doesNotContain("\"corruptions\"");
        QemuTools.Run cmp = QemuTools.run(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", "t.qcow2",
                "ref.raw");
        assertThat(cmp.exit()).as("qemu-img compare: %s %s", cmp.out(), cmp.err()).isZero();
    }
}

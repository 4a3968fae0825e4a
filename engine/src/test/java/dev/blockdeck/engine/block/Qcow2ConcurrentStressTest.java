package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * Random guest I/O at queue depth 16 on a qcow2 node over a two-image backing chain QEMU wrote: reads, allocating
 * and in-place writes (byte-granular, partial clusters: copy-on-write from the backing), write-zeroes with and
 * without unmap, discards, on ranges that overlap over time and share clusters while in flight (requests in
 * flight at the same moment never share a byte, so each one has one right answer). Every read is checked against a
 * byte model when it completes; at the end the whole image is, and after a clean close {@code qemu-img check}
 * finds no error and no leak and {@code qemu-img compare} finds it equal to the model.
 */
class Qcow2ConcurrentStressTest {
    private static final int SIZE = 4 << 20;
    private static final int DEPTH = 16;
    private static final int OPS = 3000;

    private Path dir;
    private final byte[] model = new byte[SIZE];

    @BeforeEach
    void setUp() {
        QemuTools.require();
        dir = ShortTempDir.create("q2s");
    }

    @AfterEach
    void tearDown() {
        ShortTempDir.delete(dir);
    }

    /** {@code qemu-io -c "write -P pat off len"} on an image, mirrored into the model. */
    private void qemuWrite(String image, int pat, int off, int len) throws Exception {
        QemuTools.ok(dir, "qemu-io", "-f", "qcow2", "-c", "write -P " + pat + " " + off + " " + len, image);
        Arrays.fill(model, off, off + len, (byte) pat);
    }

    private void chain(int clusterSize, boolean extL2) throws Exception {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "base.qcow2", String.valueOf(SIZE));
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2",
                "-o", "cluster_size=32768", "mid.qcow2");
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", "-o",
                "cluster_size=" + clusterSize + ",extended_l2=" + (extL2 ? "on" : "off"), "top.qcow2");
        // bottom up, so that the model ends with what the guest sees where layers overlap
        Random r = new Random(clusterSize);
        for (int i = 0; i < 8; i++) {
            int off = r.nextInt(SIZE / 512 - 256) * 512;
            qemuWrite(i < 4 ? "base.qcow2" : "mid.qcow2", 1 + i, off, 512 * (1 + r.nextInt(256)));
        }
        qemuWrite("top.qcow2", 0x77, 3 << 20, 256 << 10);
    }

    /** The in-flight byte ranges; a new request takes a range no request in flight touches. */
    private final List<long[]> busy = new ArrayList<>();

    private synchronized boolean claim(long off, long len) {
        for (long[] b : busy) {
            if (off < b[0] + b[1] && b[0] < off + len) {
                return false;
            }
        }
        busy.add(new long[] {off, len});
        return true;
    }

    private synchronized void unclaim(long off) {
        busy.removeIf(b -> b[0] == off);
    }

    @ParameterizedTest(name = "cluster {0}, extended_l2 {1}, iothread {2}, seed {3}")
    @CsvSource({"65536, false, false, 1", "4096, false, true, 2", "65536, true, false, 3", "16384, false, false, 4",
        "512, false, false, 5", "2097152, false, true, 6"})
    void queueDepth16MatchesTheModelAndQemuImg(int clusterSize, boolean extL2, boolean iothread, long seed)
            throws Exception {
        chain(clusterSize, extL2);
        Random rnd = new Random(seed);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] kinds = new int[5];
        Path top = dir.resolve("top.qcow2");
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"top\",\"discard\":\"unmap\","
                    + "\"file\":{\"driver\":\"file\",\"node-name\":\"f\",\"filename\":\"" + top + "\"}}");
            if (iothread) {
                rig.iothread("io0");
                rig.ok("x-blockdev-set-iothread", "{\"node-name\":\"top\",\"iothread\":\"io0\"}");
            }
            BlockBackend blk = rig.backend("top", BlockPerm.CONSISTENT_READ.bit() | BlockPerm.WRITE.bit(),
                    BlockPerm.ALL);
            AtomicInteger fileNow = new AtomicInteger();
            AtomicInteger filePeak = new AtomicInteger();
            rig.node("f").setRequestObserver(new BlockNode.RequestObserver() {
                @Override
                public void request(BlockNode node, String op, long offset, long bytes) {
                    filePeak.accumulateAndGet(fileNow.incrementAndGet(), Math::max);
                }

                @Override
                public void completed(BlockNode node, String op) {
                    fileNow.decrementAndGet();
                }
            });
            Semaphore slots = new Semaphore(DEPTH);
            for (int i = 0; i < OPS && failure.get() == null; i++) {
                slots.acquire();
                long off;
                int len;
                // most requests in a 512 KiB hot zone, so that clusters are shared and reused while in flight
                do {
                    boolean hot = rnd.nextInt(4) != 0;
                    int span = hot ? 512 << 10 : SIZE;
                    len = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(3 * clusterSize) : 512 * (1 + rnd.nextInt(16));
                    len = Math.min(len, span);
                    off = (hot ? (1 << 20) : 0) + (rnd.nextBoolean() ? rnd.nextInt(span - len + 1)
                            : rnd.nextInt((span - len) / 512 + 1) * 512L);
                } while (!claim(off, len));
                int kind = rnd.nextInt(20);
                kind = kind < 7 ? 0 : kind < 15 ? 1 : kind < 17 ? 2 : kind < 19 ? 3 : 4;
                kinds[kind]++;
                CompletableFuture<Void> f = issue(blk, kind, off, len, clusterSize, i, failure);
                long o = off;
                f.whenComplete((v, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    unclaim(o);
                    slots.release();
                });
            }
            assertThat(slots.tryAcquire(DEPTH, 60, TimeUnit.SECONDS)).as("all requests completed").isTrue();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            ByteBuffer all = ByteBuffer.allocate(SIZE);
            BlockRig.await(blk.pread(0, all));
            assertThat(firstDifference(all.array())).as("whole image vs model").isEqualTo(-1);
            assertThat(filePeak.get()).as("requests overlapped at the file").isGreaterThan(1);
            rig.node("f").setRequestObserver(null);
            rig.onMain(() -> rig.graph.deleteBackend(blk));
        }
        assertThat(Arrays.stream(kinds).min().orElse(0)).as("every kind of request ran").isPositive();
        QemuTools.Run check = QemuTools.run(dir, "qemu-img", "check", "--output=json", "top.qcow2");
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).doesNotContain("\"leaks\"").doesNotContain("\"corruptions\"");
        Files.write(dir.resolve("model.raw"), model);
        QemuTools.Run cmp = QemuTools.run(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", "top.qcow2",
                "model.raw");
        assertThat(cmp.exit()).as(cmp.out() + cmp.err()).isZero();
    }

    private int firstDifference(byte[] got) {
        for (int i = 0; i < SIZE; i++) {
            if (got[i] != model[i]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One request; the model changes when it is sent (no request in flight touches its bytes until it is done).
     * 0 read, 1 write, 2 write-zeroes, 3 write-zeroes with unmap, 4 discard (whole clusters read as zero after it).
     */
    private CompletableFuture<Void> issue(BlockBackend blk, int kind, long off, int len, int clusterSize, int seq,
            AtomicReference<Throwable> failure) {
        int o = (int) off;
        switch (kind) {
            case 0 -> {
                byte[] want = Arrays.copyOfRange(model, o, o + len);
                ByteBuffer b = ByteBuffer.allocate(len);
                return blk.pread(off, b).thenRun(() -> {
                    if (!Arrays.equals(b.array(), want)) {
                        int i = Arrays.mismatch(b.array(), want);
                        failure.compareAndSet(null, new AssertionError("read " + off + "+" + len + " (op " + seq
                                + ") differs at byte " + (off + i)));
                    }
                });
            }
            case 1 -> {
                ByteBuffer b = ByteBuffer.allocate(len);
                for (int i = 0; i < len; i++) {
                    b.put(i, (byte) (seq * 7 + i / 512 + 1));
                }
                System.arraycopy(b.array(), 0, model, o, len);
                return blk.pwrite(off, b, 0);
            }
            case 2, 3 -> {
                Arrays.fill(model, o, o + len, (byte) 0);
                return blk.pwriteZeroes(off, len, kind == 3 ? BlockRequest.MAY_UNMAP : 0);
            }
            default -> {
                long first = (off + clusterSize - 1) / clusterSize * clusterSize;
                long end = (off + len) / clusterSize * clusterSize;
                if (end > first) {
                    Arrays.fill(model, (int) first, (int) end, (byte) 0);
                }
                return blk.pdiscard(off, len);
            }
        }
    }
}

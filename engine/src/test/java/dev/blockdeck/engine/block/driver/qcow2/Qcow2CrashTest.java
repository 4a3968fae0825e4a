package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a child JVM writes through the core (allocating writes, zeroing with unmap, flushes) and is killed
 * with SIGKILL at random moments. Every time, {@code qemu-img check} finds no corruption (leaks are allowed), and
 * every write acknowledged before a completed flush reads back. Lazy-refcount rounds are repaired by a read-write
 * open first, as QEMU would.
 */
class Qcow2CrashTest {
    @TempDir
    Path dir;

    private static final int ROUNDS = 100;
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(75);

    @Test
    void killedWritersNeverCorruptTheImage() throws Exception {
        QemuTools.require();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Random rnd = new Random(20240601);
        long start = System.nanoTime();
        int rounds = 0;
        long totalFlushed = 0;
        int[] clusterSizes = {512, 4096, 65536, 65536, 2 << 20};
        while (rounds < ROUNDS && System.nanoTime() - start < BUDGET_NANOS) {
            long seed = rnd.nextLong() & Long.MAX_VALUE;
            int cs = clusterSizes[rnd.nextInt(clusterSizes.length)];
            boolean lazy = rnd.nextInt(4) == 0;
            boolean extL2 = cs >= 16384 && rnd.nextInt(3) == 0;
            int slotSize = cs >= 65536 ? 32768 : 8192;
            int slots = 512;
            Path img = dir.resolve("crash" + rounds + ".qcow2");
            Path log = dir.resolve("crash" + rounds + ".log");
            Qcow2Create.Options o = new Qcow2Create.Options();
            o.size = (long) slots * slotSize;
            o.clusterSize = (long) cs;
            o.lazyRefcounts = lazy;
            o.extendedL2 = extL2;
            o.refcountBits = (long) (1 << rnd.nextInt(7));
            try (FileChannelHostFile f = FileChannelHostFile.create(img)) {
                Qcow2Create.create(f, o);
            }
            Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp",
                    cp, Qcow2CrashChild.class.getName(), img.toString(), log.toString(), String.valueOf(seed),
                    String.valueOf(slots), String.valueOf(slotSize)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(Files.exists(log) && Files.readString(log).startsWith("READY")) && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(p.isAlive()).as("child died: %s", Files.readString(dir.resolve("child.out"))).isTrue();
            Thread.sleep(10 + rnd.nextInt(300));
            p.destroyForcibly();
            p.waitFor();
            totalFlushed += verify(img, log, seed, slots, slotSize, lazy, rounds);
            Files.delete(img);
            Files.delete(log);
            rounds++;
        }
        assertThat(rounds).as("rounds within the time budget").isGreaterThanOrEqualTo(ROUNDS);
        assertThat(totalFlushed).as("writes acknowledged by a flush before the kills").isGreaterThan(10L * ROUNDS);
    }

    private int verify(Path img, Path log, long seed, int slots, int slotSize, boolean lazy, int round)
            throws IOException {
        if (lazy) {
            // a dirty image is repaired by the next read-write open, as QEMU does
            try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(img, false), new Qcow2Image.Options())) {
                assertThat(q.isDirty()).isFalse();
            }
        }
        QemuTools.Run check = QemuTools.run(dir, "qemu-img", "check", "--output=json", img.getFileName().toString());
        assertThat(check.exit()).as("round %d: qemu-img check: %s %s", round, check.out(), check.err()).isIn(0, 3);
        assertThat(check.out()).as("round %d", round).doesNotContain("\"corruptions\"");
        // what was acknowledged before the last completed flush
        int flushed = 0;
        Map<Integer, Integer> zeroAt = new HashMap<>(); // seq -> slot
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            if (f[0].equals("F")) {
                flushed = Integer.parseInt(f[1]);
            } else if (f[0].equals("Z")) {
                zeroAt.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
            }
        }
        // per slot: last durable operation, and which later (unacknowledged) ones may also show
        int[] last = new int[slots];
        Arrays.fill(last, -1);
        List<List<Integer>> later = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            later.add(new ArrayList<>());
        }
        int horizon = flushed + 200;
        for (int seq = 0; seq < horizon; seq++) {
            Integer zs = zeroAt.get(seq);
            int slot = zs != null ? zs : Qcow2CrashChild.slotOf(seed, seq, slots);
            if (seq < flushed) {
                last[slot] = seq;
                later.get(slot).clear();
            } else {
                later.get(slot).add(seq);
            }
        }
        Qcow2Image.Options ro = new Qcow2Image.Options();
        ro.readOnly = true;
        try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(img, true), ro)) {
            byte[] got = new byte[slotSize];
            for (int s = 0; s < slots; s++) {
                if (last[s] < 0 && later.get(s).isEmpty()) {
                    continue;
                }
                q.read((long) s * slotSize, ByteBuffer.wrap(got));
                List<byte[]> allowed = new ArrayList<>();
                allowed.add(expected(seed, last[s], zeroAt, slotSize));
                for (int seq : later.get(s)) {
                    allowed.add(expected(seed, seq, zeroAt, slotSize));
                }
                // each 512-byte sector must come from the durable write or from a later one
                for (int off = 0; off < slotSize; off += 512) {
                    boolean ok = false;
                    for (byte[] a : allowed) {
                        if (Arrays.equals(got, off, off + 512, a, off, off + 512)) {
                            ok = true;
                            break;
                        }
                    }
                    assertThat(ok).as("round %d: slot %d sector %d lost write %d (flushed %d)", round, s, off / 512,
                            last[s], flushed).isTrue();
                }
            }
        }
        return flushed;
    }

    private static byte[] expected(long seed, int seq, Map<Integer, Integer> zeroAt, int slotSize) {
        if (seq < 0 || zeroAt.containsKey(seq)) {
            return new byte[slotSize];
        }
        return Qcow2CrashChild.pattern(seed, seq, slotSize);
    }
}

package dev.blockdeck.engine.bitmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * HBitmap against a plain boolean-per-group model: random set/reset sequences, searches, counts, serialisation,
 * truncation and merges across granularities; and the debug hash against values QEMU 7.2 printed.
 */
class HBitmapTest {
    /** The obvious implementation the real one must agree with. */
    private static final class Model {
        final int g;
        long orig;
        boolean[] bits;

        Model(long orig, int g) {
            this.g = g;
            this.orig = orig;
            bits = new boolean[(int) (orig == 0 ? 0 : ((orig - 1) >> g) + 1)];
        }

        void set(long start, long n, boolean v) {
            for (long b = start >> g; b <= (start + n - 1) >> g; b++) {
                bits[(int) b] = v;
            }
        }

        long count() {
            long c = 0;
            for (boolean b : bits) {
                c += b ? 1 : 0;
            }
            return c << g;
        }

        long nextDirty(long start, long n) {
            if (start >= orig || n == 0) {
                return -1;
            }
            long end = n > orig - start ? orig : start + n;
            for (long b = start >> g; b < bits.length; b++) {
                if (bits[(int) b]) {
                    long off = b << g;
                    return off >= end ? -1 : Math.max(start, off);
                }
            }
            return -1;
        }

        long nextZero(long start, long n) {
            if (start >= orig || n == 0) {
                return -1;
            }
            long endBit = n > orig - start ? bits.length : ((start + n - 1) >> g) + 1;
            for (long b = start >> g; b < endBit; b++) {
                if (!bits[(int) b]) {
                    return Math.max(start, b << g);
                }
            }
            return -1;
        }
    }

    @Test
    void randomOperationsAgreeWithTheModel() {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            int g = r.nextInt(6);
            long size = 1 + r.nextInt(20000);
            HBitmap hb = new HBitmap(size, g);
            Model m = new Model(size, g);
            for (int op = 0; op < 60; op++) {
                long start = (long) (r.nextDouble() * size);
                long n = 1 + (long) (r.nextDouble() * Math.min(size - start, r.nextBoolean() ? 70 : 9000));
                boolean set = r.nextInt(3) != 0;
                if (set) {
                    hb.set(start, n);
                } else {
                    hb.reset(start, n);
                }
                m.set(start, n, set);
                assertThat(hb.count()).isEqualTo(m.count());
                long q = (long) (r.nextDouble() * size);
                long qn = (long) (r.nextDouble() * (size + 100));
                assertThat(hb.nextDirty(q, qn)).as("nextDirty(%d, %d)", q, qn).isEqualTo(m.nextDirty(q, qn));
                assertThat(hb.nextZero(q, qn)).as("nextZero(%d, %d)", q, qn).isEqualTo(m.nextZero(q, qn));
                long item = (long) (r.nextDouble() * size);
                assertThat(hb.get(item)).isEqualTo(m.bits[(int) (item >> g)]);
            }
        }
    }

    @Test
    void dirtyAreasCoverExactlyTheSetGroups() {
        HBitmap hb = new HBitmap(1 << 20, 9);
        hb.set(1000, 10);
        hb.set(8192, 8192);
        hb.set(20000, 1);
        assertThat(hb.nextDirtyArea(0, 1 << 20, Long.MAX_VALUE)).isEqualTo(new HBitmap.Area(512, 512));
        assertThat(hb.nextDirtyArea(600, 1 << 20, Long.MAX_VALUE)).isEqualTo(new HBitmap.Area(600, 424));
        assertThat(hb.nextDirtyArea(1024, 1 << 20, Long.MAX_VALUE)).isEqualTo(new HBitmap.Area(8192, 8192));
        assertThat(hb.nextDirtyArea(1024, 1 << 20, 100)).isEqualTo(new HBitmap.Area(8192, 100));
        assertThat(hb.nextDirtyArea(16384, 19968, Long.MAX_VALUE)).isNull();
        assertThat(hb.nextDirtyArea(16384, 19999, Long.MAX_VALUE)).isEqualTo(new HBitmap.Area(19968, 31));
        assertThat(hb.nextDirtyArea(16384, 20001, Long.MAX_VALUE)).isEqualTo(new HBitmap.Area(19968, 33));
    }

    @Test
    void countIsWholeGroupsEvenPastTheEnd() {
        HBitmap hb = new HBitmap(1_000_000, 16);
        hb.set(999_999, 1);
        assertThat(hb.count()).isEqualTo(65536);
        hb.set(0, 1_000_000);
        assertThat(hb.count()).isEqualTo(16 * 65536L);
        assertThatThrownBy(() -> hb.set(1_048_576, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void hashIsQemusForClearAndDirtyBitmaps() throws Exception {
        // values printed by x-debug-block-dirty-bitmap-sha256 of QEMU 7.2 (null-co, 64 MiB and 1 MiB)
        assertThat(new HBitmap(64 << 20, 16).sha256())
                .isEqualTo("38723a2e5e8a17aa7950dc008209944e898f69a7bd10a23c839d341e935fd5ca");
        assertThat(new HBitmap(1 << 20, 16).sha256())
                .isEqualTo("af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc");
        assertThat(new HBitmap(64 << 20, 9).sha256())
                .isEqualTo("4fe7b59af6de3b665b67788cc2f99892ab827efae3a467342b3bb4e3bc8e5bfe");
        HBitmap a = new HBitmap(64 << 20, 16);
        HBitmap b = new HBitmap(64 << 20, 9);
        for (HBitmap hb : new HBitmap[] {a, b}) {
            hb.set(0, 1);
            hb.set(1048576, 65537);
            hb.set(8388608, 4096);
        }
        assertThat(a.sha256()).isEqualTo("ae45c1effc8919a332b7750a0c0927fb472cd16e5dc8328223fedf21246a0b11");
        assertThat(b.sha256()).isEqualTo("4172fbebe6c8b357a4441bffaa83dbf4a8d2f2176a651eb8dbb7c432f280b032");
        // an empty node still has one word
        assertThat(new HBitmap(0, 16).sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(new byte[8])));
    }

    @Test
    void serialisationRoundTripsAndWholeWordOnesReachPastTheEnd() {
        Random r = new Random(7);
        HBitmap hb = new HBitmap(100_000, 9);
        for (int i = 0; i < 50; i++) {
            hb.set(r.nextInt(100_000), 1 + r.nextInt(3000));
        }
        long align = hb.serializationAlign();
        assertThat(align).isEqualTo(64 * 512);
        byte[] buf = new byte[(int) hb.serializationSize(0, 100_000)];
        assertThat(buf.length).isEqualTo(((100_000 / 512 + 1) + 63) / 64 * 8);
        hb.serializePart(buf, 0, 0, 100_000);
        HBitmap back = new HBitmap(100_000, 9);
        // two chunks: an aligned one and the tail
        back.deserializePart(buf, 0, 0, align, false);
        back.deserializePart(buf, 8, align, 100_000 - align, true);
        assertThat(back.sha256()).isEqualTo(hb.sha256());
        assertThat(back.count()).isEqualTo(hb.count());
        assertThat(back.nextDirty(0, 100_000)).isEqualTo(hb.nextDirty(0, 100_000));

        HBitmap ones = new HBitmap(100_000, 9);
        ones.deserializeOnes(0, 100_000, true);
        assertThat(ones.count()).isEqualTo(196L * 512);
        byte[] words = new byte[(int) ones.serializationSize(0, 100_000)];
        ones.serializePart(words, 0, 0, 100_000);
        assertThat(words[words.length - 1]).as("bits past the end are set too").isEqualTo((byte) 0xff);
        assertThat(ones.nextZero(0, 100_000)).isEqualTo(-1);
    }

    @Test
    void truncateClearsWhatFallsOffAndGrowsClear() {
        HBitmap hb = new HBitmap(1 << 20, 12);
        hb.set(0, 1 << 20);
        hb.truncate(100_000);
        assertThat(hb.bits()).isEqualTo(25);
        assertThat(hb.count()).isEqualTo(25L << 12);
        hb.truncate(1 << 20);
        assertThat(hb.count()).isEqualTo(25L << 12);
        assertThat(hb.nextZero(0, 1 << 20)).isEqualTo(25L << 12);
        assertThat(hb.origSize()).isEqualTo(1 << 20);
    }

    @Test
    void mergeOrsSameGranularityAndSpreadsAcrossGranularities() {
        HBitmap fine = new HBitmap(1 << 20, 9);
        HBitmap coarse = new HBitmap(1 << 20, 16);
        fine.set(1000, 10);
        fine.set(200_000, 100_000);
        HBitmap.merge(coarse, fine, coarse);
        assertThat(coarse.count()).isEqualTo(65536L * 3);
        assertThat(coarse.get(0)).isTrue();
        assertThat(coarse.get(196_608)).isTrue();
        assertThat(coarse.get(262_144)).isTrue();

        HBitmap back = new HBitmap(1 << 20, 9);
        HBitmap.merge(back, coarse, back);
        assertThat(back.count()).isEqualTo(coarse.count());

        HBitmap x = new HBitmap(1 << 20, 9);
        x.set(0, 512);
        HBitmap result = new HBitmap(1 << 20, 9);
        HBitmap.merge(x, fine, result);
        assertThat(result.count()).isEqualTo(fine.count() + 512);
        assertThat(x.count()).isEqualTo(512);
        assertThatThrownBy(() -> HBitmap.merge(x, new HBitmap(1 << 19, 9), x))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeBitmapsSearchFast() {
        HBitmap hb = new HBitmap(1L << 40, 16);
        hb.set((1L << 40) - 1, 1);
        long t = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertThat(hb.nextDirty(0, 1L << 40)).isEqualTo((1L << 40) - 65536);
        }
        assertThat(System.nanoTime() - t).as("the summary level skips empty words").isLessThan(2_000_000_000L);
    }
}

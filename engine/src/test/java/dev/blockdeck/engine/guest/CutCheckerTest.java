package dev.blockdeck.engine.guest;

import static dev.blockdeck.engine.guest.StampedImages.BS;
import static dev.blockdeck.engine.guest.StampedImages.w;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/** The cut checker on hand-made snapshot sets: consistent ones pass, each kind of violation is found. */
class CutCheckerTest {
    private static final long SIZE = 1 << 20;
    private static final int CLUSTER = 65536;

    @TempDir
    Path dir;

    @Test
    void aConsistentSetAcrossTwoDrivesPasses() throws Exception {
        // writer 0: 1 on a, 2 on b, 3 on a; writer 1: 1 on b, 2 on a
        Path a = StampedImages.qcow2(dir.resolve("a.qcow2"), SIZE, CLUSTER, List.of(), w(0, 0, 1), w(1, 0, 3),
                w(2, 1, 2));
        Path b = StampedImages.qcow2(dir.resolve("b.qcow2"), SIZE, CLUSTER, List.of(), w(0, 0, 2), w(1, 1, 1));
        CutChecker.Report r = CutChecker.checkChains(BS, chains("a", List.of(a), "b", List.of(b)));
        assertThat(r.consistent()).as(r.describe()).isTrue();
        assertThat(r.stamps()).isEqualTo(5);
        assertThat(r.highest()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 3L, 1, 2L));
    }

    @Test
    void aWritePresentWhoseCausalPredecessorIsMissingIsAViolation() throws Exception {
        // writer 0's sequence 3 made it into a's snapshot, but 2 never reached b's
        Path a = StampedImages.qcow2(dir.resolve("a.qcow2"), SIZE, CLUSTER, List.of(), w(0, 0, 1), w(1, 0, 3));
        Path b = StampedImages.qcow2(dir.resolve("b.qcow2"), SIZE, CLUSTER, List.of(), w(0, 1, 1));
        CutChecker.Report r = CutChecker.checkChains(BS, chains("a", List.of(a), "b", List.of(b)));
        assertThat(r.consistent()).isFalse();
        assertThat(r.violations()).containsExactly(new CutChecker.Violation(0, 3, "a", 1, 2));
        assertThat(r.describe()).contains("writer 0: sequence 3 is present (drive 'a', block 1) but sequence 2 is "
                + "missing");
        assertThat(r.damaged()).isEmpty();
    }

    @Test
    void aMissingFirstWriteIsAViolationToo() throws Exception {
        Path a = StampedImages.raw(dir.resolve("a.raw"), SIZE, w(5, 2, 2));
        CutChecker.Report r = CutChecker.checkChains(BS, chains("a", List.of(a)));
        assertThat(r.violations()).containsExactly(new CutChecker.Violation(2, 2, "a", 5, 1));
    }

    /**
     * Snapshot sets taken one after another: each set adds one layer per drive. Set 2 is inconsistent (b's layer
     * holds writer 0's sequence 5 while 4 is in no layer yet); set 3 brings 4 and is consistent again.
     */
    @Test
    void setsGrowLayerByLayer() throws Exception {
        Path a0 = StampedImages.raw(dir.resolve("a0.raw"), SIZE, w(0, 0, 1));
        Path b0 = StampedImages.qcow2(dir.resolve("b0.qcow2"), SIZE, CLUSTER, List.of(), w(0, 0, 2));
        Path a1 = StampedImages.qcow2(dir.resolve("a1.qcow2"), SIZE, CLUSTER, List.of(a0), w(1, 0, 3));
        Path b1 = StampedImages.qcow2(dir.resolve("b1.qcow2"), SIZE, CLUSTER, List.of(b0), w(1, 0, 5));
        Path a2 = StampedImages.qcow2(dir.resolve("a2.qcow2"), SIZE, CLUSTER, List.of(a0, a1), w(40, 0, 4));
        Path b2 = StampedImages.qcow2(dir.resolve("b2.qcow2"), SIZE, CLUSTER, List.of(b0, b1));
        try (CutChecker c = new CutChecker(BS)) {
            c.addLayer("a", a0);
            c.addLayer("b", b0);
            CutChecker.Report set1 = c.check();
            assertThat(set1.consistent()).as(set1.describe()).isTrue();
            assertThat(set1.highest()).containsEntry(0, 2L);

            c.addLayer("a", a1);
            c.addLayer("b", b1);
            CutChecker.Report set2 = c.check();
            assertThat(set2.violations()).containsExactly(new CutChecker.Violation(0, 5, "b", 1, 4));

            c.addLayer("a", a2);
            c.addLayer("b", b2);
            CutChecker.Report set3 = c.check();
            assertThat(set3.consistent()).as(set3.describe()).isTrue();
            assertThat(set3.stamps()).isEqualTo(5);
            assertThat(set3.highest()).containsEntry(0, 5L);
        }
    }

    /**
     * An overlay's partial write copies the rest of its cluster from below (the same stamps again): they are
     * counted once. A layer that zeroes a block takes its stamp out of the set, which can open a gap.
     */
    @Test
    void copiedClustersCountOnceAndZeroedBlocksLeaveTheSet() throws Exception {
        Path base = StampedImages.qcow2(dir.resolve("base.qcow2"), SIZE, CLUSTER, List.of(), w(0, 0, 1), w(1, 0, 2),
                w(2, 0, 3));
        Path top = StampedImages.qcow2(dir.resolve("top.qcow2"), SIZE, CLUSTER, List.of(base), w(3, 0, 4));
        CutChecker.Report r = CutChecker.checkChains(BS, chains("a", List.of(base, top)));
        assertThat(r.consistent()).as(r.describe()).isTrue();
        assertThat(r.stamps()).isEqualTo(4);
        assertThat(r.highest()).containsEntry(0, 4L);

        Path zeroed = StampedImages.qcow2(dir.resolve("zeroed.qcow2"), SIZE, CLUSTER, List.of(base, top));
        try (Qcow2Image img = StampedImages.openRw(zeroed)) {
            img.writeZeroes(0, CLUSTER, false); // a zero cluster over blocks 0..15
        }
        CutChecker.Report z = CutChecker.checkChains(BS, chains("a", List.of(base, top, zeroed)));
        assertThat(z.stamps()).isZero();
        assertThat(z.consistent()).isTrue();

        Path partly = StampedImages.qcow2(dir.resolve("partly.qcow2"), SIZE, 512, List.of(base, top));
        try (Qcow2Image img = StampedImages.openRw(partly)) {
            img.writeZeroes(0, BS, false); // sequence 1 goes, 2..4 stay
        }
        CutChecker.Report p = CutChecker.checkChains(BS, chains("a", List.of(base, top, partly)));
        assertThat(p.violations()).containsExactly(new CutChecker.Violation(0, 2, "a", 1, 1));
    }

    /**
     * Blocks larger than the overlay's clusters: an overlay that rewrites part of a block is read through the
     * layers below for the rest, so the block is judged whole (here: damaged, half one stamp, half another).
     */
    @Test
    void blocksStraddlingSmallClustersAreReadWholeAndDamageIsReported() throws Exception {
        Path base = StampedImages.qcow2(dir.resolve("base.qcow2"), SIZE, CLUSTER, List.of(), w(0, 0, 1), w(1, 0, 2));
        Path top = StampedImages.qcow2(dir.resolve("top.qcow2"), SIZE, 512, List.of(base));
        try (Qcow2Image img = StampedImages.openRw(top)) {
            ByteBuffer other = StampedImages.stamp(w(1, 0, 7));
            img.write(BS + 1024, other.slice(1024, 512));
        }
        CutChecker.Report r = CutChecker.checkChains(BS, chains("a", List.of(base, top)));
        assertThat(r.consistent()).isFalse();
        assertThat(r.violations()).isEmpty();
        assertThat(r.damaged()).singleElement().asString().contains("drive 'a', block 1").contains("checksum");
        assertThat(r.stamps()).isEqualTo(1);

        // a layer that writes the block whole again repairs the set
        Path again = StampedImages.qcow2(dir.resolve("again.qcow2"), SIZE, 512, List.of(base, top), w(1, 0, 2));
        CutChecker.Report fixed = CutChecker.checkChains(BS, chains("a", List.of(base, top, again)));
        assertThat(fixed.consistent()).as(fixed.describe()).isTrue();
        assertThat(fixed.stamps()).isEqualTo(2);
    }

    @Test
    void foreignDataIsDamage() throws Exception {
        Path a = StampedImages.raw(dir.resolve("a.raw"), SIZE, w(0, 0, 1));
        try (var f = dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile.open(a, false)) {
            f.write(3L * BS, ByteBuffer.wrap("not a stamp".getBytes()));
        }
        CutChecker.Report r = CutChecker.checkChains(BS, chains("a", List.of(a)));
        assertThat(r.damaged()).singleElement().asString().contains("block 3").contains("no stamp");
    }

    private static Map<String, List<Path>> chains(Object... kv) {
        Map<String, List<Path>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Path> l = (List<Path>) kv[i + 1];
            m.put((String) kv[i], l);
        }
        return m;
    }
}

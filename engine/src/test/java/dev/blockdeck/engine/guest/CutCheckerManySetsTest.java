package dev.blockdeck.engine.guest;

import static dev.blockdeck.engine.guest.StampedImages.w;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 snapshot sets of two drives, checked incrementally: each set costs only its new layers (clusters they
 * allocate), so the whole run stays within seconds; the one torn set among them is the one reported.
 */
class CutCheckerManySetsTest {
    private static final int SETS = 200;
    private static final long SIZE = 64L << 20;
    /** One stamp per 64 KiB cluster: layers never share a cluster, so they can be written without COW. */
    private static final int SPREAD = 16;

    @TempDir
    Path dir;

    @Test
    void twoHundredSetsAreCheckedFastAndTheTornOneIsFound() throws Exception {
        // two writers alternating between drives a and b; in set 100 (k = 99) writer 1's write to b is held
        // back while its successor on a is there; set 101's layer on b brings the missing one
        List<Path> a = new ArrayList<>();
        List<Path> b = new ArrayList<>();
        long[] nextSeq = {1, 1};
        int[] nextBlock = {0, 0};
        List<StampedImages.W> heldBack = new ArrayList<>();
        for (int k = 0; k < SETS; k++) {
            List<StampedImages.W> onA = new ArrayList<>();
            List<StampedImages.W> onB = new ArrayList<>();
            onB.addAll(heldBack);
            heldBack.clear();
            for (int writer = 0; writer < 2; writer++) {
                for (int i = 0; i < 2; i++) {
                    long seq = nextSeq[writer]++;
                    boolean toA = (writer + seq - 1) % 2 == 0;
                    int drive = toA ? 0 : 1;
                    StampedImages.W x = w((long) SPREAD * nextBlock[drive]++, writer, seq);
                    if (k == 99 && writer == 1 && !toA) {
                        heldBack.add(x); // reaches b only in the next set
                    } else {
                        (toA ? onA : onB).add(x);
                    }
                }
            }
            a.add(StampedImages.qcow2Layer(dir.resolve("a" + k + ".qcow2"), SIZE, k == 0 ? null : a.get(k - 1),
                    onA.toArray(StampedImages.W[]::new)));
            b.add(StampedImages.qcow2Layer(dir.resolve("b" + k + ".qcow2"), SIZE, k == 0 ? null : b.get(k - 1),
                    onB.toArray(StampedImages.W[]::new)));
        }

        long start = System.nanoTime();
        List<Integer> torn = new ArrayList<>();
        CutChecker.Report last = null;
        try (CutChecker c = new CutChecker(StampedImages.BS)) {
            for (int k = 0; k < SETS; k++) {
                c.addLayer("a", a.get(k));
                c.addLayer("b", b.get(k));
                last = c.check();
                if (!last.consistent()) {
                    torn.add(k);
                    assertThat(last.violations()).singleElement().satisfies(v -> {
                        assertThat(v.writer()).isEqualTo(1);
                        assertThat(v.drive()).isEqualTo("a");
                        assertThat(v.sequence()).isEqualTo(v.missing() + 1);
                    });
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(torn).containsExactly(99);
        assertThat(last.stamps()).isEqualTo(SETS * 4);
        assertThat(last.highest()).containsEntry(0, 2L * SETS).containsEntry(1, 2L * SETS);
        assertThat(seconds).as("200 sets checked in %.2f s", seconds).isLessThan(15);
    }
}

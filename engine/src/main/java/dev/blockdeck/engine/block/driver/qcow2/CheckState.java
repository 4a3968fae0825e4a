package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * One run of {@link Qcow2Check}: the reference counts computed from the metadata (one per host cluster), where
 * its messages go, and what the phases found out (a rebuild is needed, the highest cluster in use).
 */
final class CheckState {
    final Qcow2Image img;
    final PrintStream err;
    long[] refs;
    long nbClusters;
    boolean rebuild;
    long highest = -1;

    CheckState(Qcow2Image img, PrintStream err) {
        this.img = img;
        this.err = err;
    }

    void log(String s) {
        if (err != null) {
            err.println(s);
        }
    }

    /** Counts one reference on every cluster of [offset, offset+size) (QEMU's qcow2_inc_refcounts_imrt). */
    void inc(Qcow2Check.Result res, long offset, long size) throws IOException {
        if (size <= 0) {
            return;
        }
        long fileLen = img.file.length();
        if (offset + size - fileLen >= img.clusterSize) {
            log(String.format("ERROR: counting reference for region exceeding the end of the file by one "
                    + "cluster or more: offset 0x%x size 0x%x", offset, size));
            res.corruptions++;
            return;
        }
        long start = offset >>> img.clusterBits;
        long last = (offset + size - 1) >>> img.clusterBits;
        long max = img.refcounts.refcountMax();
        for (long k = start; k <= last; k++) {
            if (k >= refs.length) {
                refs = Arrays.copyOf(refs, (int) Math.max(k + 1, refs.length * 2L));
            }
            if (k >= nbClusters) {
                nbClusters = k + 1;
            }
            if (refs[(int) k] == max) {
                log(String.format("ERROR: overflow cluster offset=0x%x", k << img.clusterBits));
                res.corruptions++;
                continue;
            }
            refs[(int) k]++;
        }
    }
}

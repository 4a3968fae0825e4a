package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Check.FIX_ERRORS;
import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Check.FIX_LEAKS;

import java.io.IOException;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Check.Result;

/**
 * The second phase of a check (QEMU's compare_refcounts): every cluster's refcount on disk against the computed
 * one. More on disk is a leak, less a corruption, none at all for a referenced cluster calls for a rebuild; with
 * the matching fix flag the refcount is set right (allocations meanwhile go past every referenced cluster).
 */
final class CheckRefcountComparison {
    private CheckRefcountComparison() {
    }

    /** Compares clusters 0..nbClusters, repairing as {@code fix} allows; sets {@code st.highest}. */
    static void compare(CheckState st, Result res, int fix) throws IOException {
        Qcow2Image img = st.img;
        for (long i = 0; i < st.nbClusters; i++) {
            long onDisk;
            try {
                onDisk = img.refcounts.get(i);
            } catch (IOException e) {
                st.log(String.format("Can't get refcount for cluster %d: %s", i, e.getMessage()));
                res.checkErrors++;
                continue;
            }
            long computed = i < st.refs.length ? st.refs[(int) i] : 0;
            if (onDisk > 0 || computed > 0) {
                st.highest = i;
            }
            if (onDisk != computed) {
                boolean canFix = false;
                boolean leak = Long.compareUnsigned(onDisk, computed) > 0;
                if (onDisk == 0) {
                    st.rebuild = true;
                } else if (leak && (fix & FIX_LEAKS) != 0) {
                    canFix = true;
                } else if (!leak && (fix & FIX_ERRORS) != 0) {
                    canFix = true;
                }
                st.log(String.format("%s cluster %d refcount=%s reference=%d", canFix ? "Repairing"
                        : !leak ? "ERROR" : "Leaked", i, Long.toUnsignedString(onDisk), computed));
                if (canFix) {
                    try {
                        long diff = leak ? onDisk - computed : computed - onDisk;
                        long saveFloor = img.refcounts.allocFloor;
                        img.refcounts.allocFloor = Math.max(saveFloor, st.nbClusters);
                        try {
                            img.refcounts.change(i << img.clusterBits, 1, diff, leak);
                        } finally {
                            img.refcounts.allocFloor = saveFloor;
                        }
                        if (leak) {
                            res.leaksFixed++;
                        } else {
                            res.corruptionsFixed++;
                        }
                        continue;
                    } catch (IOException e) {
                        // counted below
                    }
                }
                if (!leak) {
                    res.corruptions++;
                } else {
                    res.leaks++;
                }
            }
        }
        img.refcounts.cache.flush();
    }
}

package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code qemu-img check} for qcow2: rebuilds every cluster's reference count from the metadata (header, L1/L2
 * tables of the active layer and of internal snapshots, snapshot table, refcount table and blocks, bitmaps) and
 * compares with the refcounts on disk. More on disk than referenced is a leak; less is a corruption. Also checks
 * OFLAG_COPIED and reserved bits. Repairs leaks ({@link #FIX_LEAKS}) and refcount errors ({@link #FIX_ERRORS},
 * rebuilding the refcount structure when a referenced cluster has refcount 0). Messages as QEMU prints them.
 */
public final class Qcow2Check {
    public static final int FIX_LEAKS = 1;
    public static final int FIX_ERRORS = 2;

    private Qcow2Check() {
    }

    /** QEMU's BdrvCheckResult (+ the fragmentation info). */
    public static final class Result {
        public long corruptions;
        public long leaks;
        public long checkErrors;
        public long corruptionsFixed;
        public long leaksFixed;
        public long imageEndOffset;
        public long totalClusters;
        public long allocatedClusters;
        public long fragmentedClusters;
        public long compressedClusters;
        /** The check could not complete (QEMU returns -EIO: "Check failed: Input/output error"). */
        public boolean failed;

        Result copy() {
            Result r = new Result();
            r.corruptions = corruptions;
            r.leaks = leaks;
            r.checkErrors = checkErrors;
            r.corruptionsFixed = corruptionsFixed;
            r.leaksFixed = leaksFixed;
            r.imageEndOffset = imageEndOffset;
            r.totalClusters = totalClusters;
            r.allocatedClusters = allocatedClusters;
            r.fragmentedClusters = fragmentedClusters;
            r.compressedClusters = compressedClusters;
            r.failed = failed;
            return r;
        }
    }

    /** Checks {@code img} (opened read-write in check mode when repairing) and repairs as {@code fix} says. */
    public static Result check(Qcow2Image img, int fix, PrintStream err) throws IOException {
        if (img.isReadOnly() && fix != 0) {
            throw new Qcow2Exception(Qcow2Exception.Kind.ACCESS, "Image is read-only; cannot repair");
        }
        if (!img.isReadOnly()) {
            img.flushCaches();
        }
        CheckState st = new CheckState(img, err);
        Result res = new Result();
        res.totalClusters = (img.header.size + img.clusterSize - 1) >>> img.clusterBits;
        CheckReferenceScan.calculate(st, res, fix);
        Result pre = res.copy();
        CheckRefcountComparison.compare(st, res, 0);
        if (st.rebuild && (fix & FIX_ERRORS) != 0) {
            Result old = res.copy();
            long freshLeaks = 0;
            st.log("Rebuilding refcount structure");
            CheckRefcountRebuild.rebuild(st);
            res.corruptions = 0;
            res.leaks = 0;
            st.rebuild = false;
            st.highest = -1;
            Result calc = new Result();
            calc.totalClusters = res.totalClusters;
            CheckReferenceScan.calculate(st, calc, 0);
            if ((fix & FIX_LEAKS) != 0) {
                Result saved = res;
                Result tmp = new Result();
                CheckRefcountComparison.compare(st, tmp, FIX_LEAKS);
                if (st.rebuild) {
                    st.log("ERROR rebuilt refcount structure is still broken");
                }
                freshLeaks = tmp.leaks;
                res = saved;
            } else {
                Result tmp = new Result();
                CheckRefcountComparison.compare(st, tmp, 0);
            }
            if (res.corruptions < old.corruptions) {
                res.corruptionsFixed += old.corruptions - res.corruptions;
            }
            if (res.leaks < old.leaks) {
                res.leaksFixed += old.leaks - res.leaks;
            }
            res.leaks += freshLeaks;
            res.allocatedClusters = calc.allocatedClusters;
            res.fragmentedClusters = calc.fragmentedClusters;
            res.compressedClusters = calc.compressedClusters;
        } else if (fix != 0) {
            if (st.rebuild) {
                st.log("ERROR need to rebuild refcount structures");
                res.checkErrors++;
                res.failed = true;
                res.imageEndOffset = (st.highest + 1) << img.clusterBits;
                return res;
            }
            if (res.leaks > 0 || res.corruptions > 0) {
                res = pre;
                st.highest = -1;
                CheckRefcountComparison.compare(st, res, fix);
            }
        }
        CheckOflagCopied.check(st, res, fix);
        img.flushCaches();
        res.imageEndOffset = (st.highest + 1) << img.clusterBits;
        if (fix != 0 && res.checkErrors == 0 && res.corruptions == 0 && !img.isReadOnly()) {
            img.l2Cache.flush();
            img.refcounts.cache.flush();
            img.markClean();
            img.markConsistent();
        }
        return res;
    }
}

package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image.Extent;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image.ExtentType;

/**
 * What an L2 entry (and, with extended L2, its subcluster bitmap) says, for one image's geometry: QEMU's
 * cluster and subcluster types, the compressed descriptor, and whether a write can go in place. No I/O.
 */
final class L2Entries {
    private final int clusterSize;
    private final boolean extL2;
    private final int subclusterBits;
    private final int csizeShift;
    private final long csizeMask;
    private final long cOffsetMask;

    L2Entries(Qcow2Image img) {
        this.clusterSize = img.clusterSize;
        this.extL2 = img.extL2;
        this.subclusterBits = img.subclusterBits;
        this.csizeShift = img.csizeShift;
        this.csizeMask = img.csizeMask;
        this.cOffsetMask = img.cOffsetMask;
    }

    static boolean isCompressed(long e) {
        return (e & OFLAG_COMPRESSED) != 0;
    }

    /** Host byte offset and length of a compressed cluster's data. */
    long[] compressedRange(long e) {
        long off = e & cOffsetMask;
        long sectors = compressedSectors(e);
        long len = sectors * 512 - (off & 511);
        return new long[] {off, len};
    }

    /** How many 512-byte sectors a compressed cluster's descriptor covers. */
    long compressedSectors(long e) {
        return ((e >>> csizeShift) & csizeMask) + 1;
    }

    /**
     * What L2 entry {@code e} (with subcluster bitmap {@code bm}) says about {@code len} bytes from {@code inCl}
     * in its cluster, as one run of one kind; null when the entry is invalid (the caller reports it).
     */
    Extent classify(long e, long bm, int inCl, long len) {
        if (isCompressed(e)) {
            return extL2 && bm != 0 ? null : new Extent(ExtentType.COMPRESSED, e, len, false);
        }
        long host = e & L2E_OFFSET_MASK;
        if ((host & (clusterSize - 1)) != 0) {
            return null;
        }
        if (!extL2) {
            if ((e & OFLAG_ZERO) != 0) {
                return new Extent(ExtentType.ZERO, host, len, host != 0);
            }
            if (host == 0) {
                return new Extent(ExtentType.UNALLOCATED, 0, len, false);
            }
            return new Extent(ExtentType.DATA, host + inCl, len, false);
        }
        if (((bm >>> 32) & bm) != 0 || (host == 0 && (bm & L2_BITMAP_ALL_ALLOC) != 0)) {
            return null;
        }
        int sc = inCl >>> subclusterBits;
        int kind = subKind(bm, sc);
        int endSc = sc + 1;
        while (endSc < SUBCLUSTERS && subKind(bm, endSc) == kind) {
            endSc++;
        }
        long runLen = Math.min(len, ((long) endSc << subclusterBits) - inCl);
        switch (kind) {
            case 1:
                return new Extent(ExtentType.DATA, host + inCl, runLen, false);
            case 2:
                return new Extent(ExtentType.ZERO, host, runLen, host != 0);
            default:
                return new Extent(ExtentType.UNALLOCATED, host, runLen, false);
        }
    }

    /** 1 allocated, 2 zero, 0 unallocated. */
    private static int subKind(long bm, int sc) {
        if ((bm & (1L << sc)) != 0) {
            return 1;
        }
        if ((bm & (1L << (32 + sc))) != 0) {
            return 2;
        }
        return 0;
    }

    /**
     * The host offset where {@code n} guest bytes at {@code inCl} of the cluster with L2 entry {@code e} (bitmap
     * {@code bm}) can be written in place, with no metadata change, or -1: the cluster must be allocated, owned by
     * this L2 entry alone (copied flag), not compressed, not zero, and with extended L2 every touched subcluster
     * allocated.
     */
    long inPlaceHost(long e, long bm, int inCl, int n) {
        long host = e & L2E_OFFSET_MASK;
        if ((e & OFLAG_COPIED) == 0 || isCompressed(e) || host == 0 || (host & (clusterSize - 1)) != 0) {
            return -1;
        }
        if (!extL2) {
            return (e & OFLAG_ZERO) == 0 ? host + inCl : -1;
        }
        long touched = touchedMask(inCl, n);
        return (bm & touched) == touched ? host + inCl : -1;
    }

    /** The subcluster bits that {@code n} bytes from {@code inCl} touch. */
    long touchedMask(int inCl, int n) {
        int first = inCl >>> subclusterBits;
        int last = (inCl + n - 1) >>> subclusterBits;
        long m = 0;
        for (int i = first; i <= last; i++) {
            m |= 1L << i;
        }
        return m;
    }
}

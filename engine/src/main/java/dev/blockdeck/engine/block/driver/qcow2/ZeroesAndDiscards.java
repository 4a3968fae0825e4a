package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Guest write-zeroes and discard through metadata: zero flags (v3) or subcluster zero bits where alignment
 * allows, explicit zero writes for the rest; discard drops whole clusters (QEMU's qcow2_co_pwrite_zeroes and
 * qcow2_co_pdiscard).
 */
final class ZeroesAndDiscards {
    private final Qcow2Image img;
    private final int clusterBits;
    private final int clusterSize;
    private final boolean extL2;

    ZeroesAndDiscards(Qcow2Image img) {
        this.img = img;
        this.clusterBits = img.clusterBits;
        this.clusterSize = img.clusterSize;
        this.extL2 = img.extL2;
    }

    /**
     * Makes [offset, offset+len) read as zeros. Whole clusters (v3) get the zero flag, subcluster-aligned parts of
     * extended-L2 clusters get zero bits; the rest is written as zeros. With {@code mayUnmap} allocated clusters
     * are released.
     */
    void writeZeroes(long offset, long len, boolean mayUnmap) throws IOException {
        img.checkUsable(true);
        img.checkRange(offset, len);
        long end = offset + len;
        int align = img.header.version >= 3 ? img.subclusterSize : Integer.MAX_VALUE;
        while (offset < end) {
            long clusterEnd = ((offset >>> clusterBits) + 1) << clusterBits;
            long chunkEnd = Math.min(end, clusterEnd);
            long aStart = align == Integer.MAX_VALUE ? chunkEnd : roundUp(offset, align);
            long aEnd = align == Integer.MAX_VALUE ? chunkEnd : (chunkEnd == img.header.size ? chunkEnd
                    : chunkEnd & ~((long) align - 1));
            if (aStart >= aEnd) {
                writeExplicitZeros(offset, chunkEnd - offset);
            } else {
                if (aStart > offset) {
                    writeExplicitZeros(offset, aStart - offset);
                }
                if (!zeroInCluster(aStart, aEnd, mayUnmap)) {
                    writeExplicitZeros(aStart, aEnd - aStart);
                }
                if (aEnd < chunkEnd) {
                    writeExplicitZeros(aEnd, chunkEnd - aEnd);
                }
            }
            offset = chunkEnd;
        }
    }

    private static long roundUp(long v, long a) {
        return (v + a - 1) / a * a;
    }

    private void writeExplicitZeros(long offset, long len) throws IOException {
        while (len > 0) {
            int n = (int) Math.min(len, 1 << 20);
            img.write(offset, ByteBuffer.allocate(n));
            offset += n;
            len -= n;
        }
    }

    /** Zeroes an aligned range inside one cluster through metadata; false if it must be written instead. */
    private boolean zeroInCluster(long start, long end, boolean mayUnmap) throws IOException {
        long gci = start >>> clusterBits;
        boolean whole = (start & (clusterSize - 1)) == 0
                && (end - start == clusterSize || end == img.header.size);
        if (img.useLazyRefcounts) {
            img.headerUpdates.markDirty();
        }
        try (L2Ref r = img.l2Tables.l2For(gci, true)) {
            long e = r.entry();
            long bm = r.bitmap();
            boolean compressed = L2Entries.isCompressed(e);
            long host = e & L2E_OFFSET_MASK;
            if (!extL2) {
                if (!whole) {
                    return false;
                }
                boolean unmap = compressed || (mayUnmap && host != 0);
                long ne = unmap ? 0 : e;
                ne |= OFLAG_ZERO;
                if (ne == e) {
                    return true;
                }
                r.set(ne, 0);
                if (unmap) {
                    img.allocator.freeAny(e);
                }
                return true;
            }
            if (whole) {
                boolean unmap = compressed || (mayUnmap && host != 0);
                long ne = unmap ? 0 : e;
                long nb = L2_BITMAP_ALL_ZEROES;
                if (ne == e && nb == bm) {
                    return true;
                }
                r.set(ne, nb);
                if (unmap) {
                    img.allocator.freeAny(e);
                }
                return true;
            }
            if (compressed) {
                return false;
            }
            int inCl = (int) (start & (clusterSize - 1));
            long m = img.entries.touchedMask(inCl, (int) (end - start));
            long nb = (bm & ~m) | (m << 32);
            if (nb != bm) {
                r.set(e, nb);
            }
            return true;
        }
    }

    /**
     * Guest discard: whole clusters only (a partial cluster is ignored, except a tail at the end of the image).
     * Discarded clusters read as zeros on v3 (fall through to backing on v2).
     */
    void discard(long offset, long len) throws IOException {
        img.checkUsable(true);
        img.checkRange(offset, len);
        long end = offset + len;
        long start = roundUp(offset, clusterSize);
        long stop = end == img.header.size ? end : end & ~((long) clusterSize - 1);
        for (long o = start; o < stop; o += clusterSize) {
            long gci = o >>> clusterBits;
            if (o + clusterSize > stop && stop != img.header.size) {
                break;
            }
            try (L2Ref r0 = img.l2Tables.l2For(gci, false)) {
                if (r0 == null && !img.hasBacking()) {
                    continue;
                }
            }
            if (img.useLazyRefcounts) {
                img.headerUpdates.markDirty();
            }
            try (L2Ref r = img.l2Tables.l2For(gci, true)) {
                discardCluster(r);
            }
        }
    }

    private void discardCluster(L2Ref r) throws IOException {
        long e = r.entry();
        long bm = r.bitmap();
        boolean allocated = L2Entries.isCompressed(e) || (e & L2E_OFFSET_MASK) != 0;
        long ne;
        long nb = 0;
        if (img.hasBacking() || allocated) {
            if (extL2) {
                ne = 0;
                nb = L2_BITMAP_ALL_ZEROES;
            } else {
                ne = img.header.version >= 3 ? OFLAG_ZERO : 0;
            }
        } else {
            ne = 0;
        }
        if (ne == e && nb == bm) {
            return;
        }
        r.set(ne, nb);
        if (allocated) {
            long host = e & L2E_OFFSET_MASK;
            img.allocator.freeAny(e);
            if (img.discardUnmap && !L2Entries.isCompressed(e) && host != 0
                    && img.refcounts.get(host >>> clusterBits) == 0) {
                img.file.discard(host, clusterSize);
            }
        }
    }
}

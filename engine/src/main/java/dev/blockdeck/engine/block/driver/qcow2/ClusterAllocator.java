package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;

/**
 * Data clusters for guest writes: taking a new one (with QEMU's sanity checks against handing out metadata),
 * ordering the refcount cache before the L2 cache once an L2 entry references it, and dropping the reference an
 * old L2 entry held.
 */
final class ClusterAllocator {
    private final Qcow2Image img;
    private final int clusterSize;

    ClusterAllocator(Qcow2Image img) {
        this.img = img;
        this.clusterSize = img.clusterSize;
    }

    /** A new data cluster with one reference. */
    long allocData() throws IOException {
        long host = img.refcounts.alloc(clusterSize);
        if (host == 0 || (host & (clusterSize - 1)) != 0 || host < clusterSize) {
            img.signalCorruption(true, host, clusterSize, "Preventing invalid allocation of data cluster at " + host);
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "invalid allocation");
        }
        if (host < img.l1Offset + (long) img.l1.length * 8 && host + clusterSize > img.l1Offset) {
            img.signalCorruption(true, host, clusterSize,
                    "Preventing invalid write on metadata (overlaps with active L1 table)");
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "allocation overlaps the L1 table");
        }
        return host;
    }

    /** After an L2 entry got a new reference: the refcounts must be on disk before the L2 table. */
    void linkDependency() throws IOException {
        if ((img.header.incompatibleFeatures & INCOMPAT_DIRTY) == 0) {
            img.l2Cache.setDependency(img.refcounts.cache);
        }
    }

    /** Drops the reference an old L2 entry held (normal, zero-alloc or compressed). */
    void freeAny(long e) throws IOException {
        if (L2Entries.isCompressed(e)) {
            long[] r = img.entries.compressedRange(e);
            long off = r[0] & ~511L;
            long sectors = img.entries.compressedSectors(e);
            img.refcounts.free(off, sectors * 512);
        } else {
            long host = e & L2E_OFFSET_MASK;
            if (host != 0) {
                img.refcounts.free(host, clusterSize);
            }
        }
    }
}

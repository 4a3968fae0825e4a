package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Walks one L1 table (the active one or a snapshot's) and changes by {@code addend} (+1, -1 or 0) the refcount of
 * every L2 table and every cluster those tables map, then sets OFLAG_COPIED exactly where a refcount is 1 (QEMU's
 * qcow2_update_snapshot_refcount). The refcount is per path from an L1 table: a data cluster reached through one L2
 * table that two L1 tables share counts twice, which is also how {@code qemu-img check} counts.
 *
 * <p>Ordering: an L2 entry whose flag changed while refcounts grew may reach the disk only after those refcounts
 * (the L2 cache depends on the refcount cache); decreases make the refcount cache depend on the L2 cache instead
 * (in {@link Refcounts}). Everything is written and flushed before the L1 table is rewritten, and the L1 table is
 * only rewritten when it stays in use ({@code addend >= 0}).
 */
final class SnapshotRefcounts {
    private final Qcow2Image img;
    private final DiscardQueue discards = new DiscardQueue();

    SnapshotRefcounts(Qcow2Image img) {
        this.img = img;
    }

    void update(long l1Offset, long l1Size, int addend) throws IOException {
        // freed clusters are discarded once the walk and its flush are done (QEMU's cache_discards)
        boolean ok = false;
        try {
            walk(l1Offset, l1Size, addend);
            ok = true;
        } finally {
            discards.process(img.file, ok);
        }
    }

    /**
     * Drops one reference on each cluster of a range and discards those now free on the host (snapshot frees, or
     * {@code always} for a table that never got referenced).
     */
    void free(long offset, long length, boolean always) throws IOException {
        img.refcounts.free(offset, length);
        noteFreed(offset, length, always);
        discards.process(img.file, true);
    }

    private void noteFreed(long offset, long length, boolean always) throws IOException {
        if (length <= 0 || !(always || img.passDiscardSnapshot)) {
            return;
        }
        long first = offset & ~((long) img.clusterSize - 1);
        for (long c = first; c < offset + length; c += img.clusterSize) {
            if (img.refcounts.get(c >>> img.clusterBits) == 0) {
                discards.add(c, img.clusterSize);
            }
        }
    }

    private void walk(long l1Offset, long l1Size, int addend) throws IOException {
        boolean active = l1Offset == img.l1Offset;
        long[] l1 = active ? img.l1 : readL1(l1Offset, l1Size);
        if (active && l1.length != l1Size) {
            throw new IllegalArgumentException("active L1 size mismatch");
        }
        boolean modified = false;
        for (int i = 0; i < l1.length; i++) {
            long l1e = l1[i];
            long l2Offset = l1e & L1E_OFFSET_MASK;
            if (l2Offset == 0) {
                continue;
            }
            if ((l2Offset & (img.clusterSize - 1)) != 0) {
                img.signalCorruption(true, -1, -1,
                        String.format("L2 table offset %#x unaligned (L1 index: %#x)", l2Offset, i));
                throw new Qcow2Exception(Qcow2Exception.Kind.IO, "L2 table offset unaligned");
            }
            updateL2(l2Offset, addend);
            long rc = changeCluster(l2Offset, addend);
            long ne = rc == 1 ? l2Offset | OFLAG_COPIED : l2Offset;
            if (ne != l1e) {
                l1[i] = ne;
                modified = true;
            }
        }
        img.flushCaches();
        img.file.flush();
        discards.process(img.file, true);
        if (addend >= 0 && modified) {
            ByteBuffer b = ByteBuffer.allocate(l1.length * 8);
            for (long v : l1) {
                b.putLong(v);
            }
            b.clear();
            img.file.write(l1Offset, b);
            img.file.flush();
        }
    }

    private long[] readL1(long offset, long size) throws IOException {
        long[] t = new long[(int) size];
        if (size == 0) {
            return t;
        }
        ByteBuffer b = ByteBuffer.allocate((int) size * 8);
        img.file.read(offset, b);
        b.clear();
        for (int i = 0; i < t.length; i++) {
            t[i] = b.getLong();
        }
        return t;
    }

    /** Changes the refcounts of what one L2 table maps and recomputes the copied flags of its entries. */
    private void updateL2(long l2Offset, int addend) throws IOException {
        int sliceBytes = img.cacheSizes.l2EntrySize();
        for (int s = 0; s < img.clusterSize; s += sliceBytes) {
            MetadataCache.Entry slice = img.l2Cache.get(l2Offset + s);
            try {
                for (int j = 0; j < img.sliceEntries; j++) {
                    int at = j * img.l2EntryBytes;
                    long e = slice.buf.getLong(at);
                    long ne = e & ~OFLAG_COPIED;
                    long rc;
                    if ((e & OFLAG_COMPRESSED) != 0) {
                        if (addend != 0) {
                            long[] r = img.compressedRange(e);
                            img.refcounts.change(r[0], r[1], 1, addend < 0);
                            if (addend < 0) {
                                noteFreed(r[0], r[1], false);
                            }
                        }
                        rc = 2; // compressed clusters are never written in place
                    } else {
                        long host = e & L2E_OFFSET_MASK;
                        if (host == 0) {
                            rc = 0;
                        } else {
                            if ((host & (img.clusterSize - 1)) != 0) {
                                img.signalCorruption(true, -1, -1, String.format(
                                        "Cluster allocation offset %#x unaligned (L2 offset: %#x, L2 index: %#x)",
                                        host, l2Offset, s / img.l2EntryBytes + j));
                                throw new Qcow2Exception(Qcow2Exception.Kind.IO, "unaligned cluster offset");
                            }
                            rc = changeCluster(host, addend);
                        }
                    }
                    if (rc == 1) {
                        ne |= OFLAG_COPIED;
                    }
                    if (ne != e) {
                        if (addend > 0) {
                            img.l2Cache.setDependency(img.refcounts.cache);
                        }
                        slice.buf.putLong(at, ne);
                        img.l2Cache.markDirty(slice);
                    }
                }
            } finally {
                img.l2Cache.put(slice);
            }
        }
    }

    /** Changes one cluster's refcount by {@code addend} and returns the new refcount. */
    private long changeCluster(long offset, int addend) throws IOException {
        if (addend != 0) {
            img.refcounts.change(offset, img.clusterSize, 1, addend < 0);
        }
        long rc = img.refcounts.get(offset >>> img.clusterBits);
        if (addend < 0 && rc == 0 && img.passDiscardSnapshot) {
            discards.add(offset, img.clusterSize);
        }
        return rc;
    }
}

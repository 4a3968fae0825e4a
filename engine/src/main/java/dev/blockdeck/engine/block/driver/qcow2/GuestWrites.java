package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Guest writes through the image's metadata, one cluster at a time: in place when the cluster is ours alone,
 * else into a new cluster (copy-on-write of what the write does not cover), then the L2 entry, then the old
 * cluster's reference is dropped (the order that keeps a crash consistent, see {@link Qcow2Image}).
 */
final class GuestWrites {
    private final Qcow2Image img;
    private final HostFile file;
    private final int clusterBits;
    private final int clusterSize;
    private final boolean extL2;
    private final int subclusterBits;

    GuestWrites(Qcow2Image img) {
        this.img = img;
        this.file = img.file;
        this.clusterBits = img.clusterBits;
        this.clusterSize = img.clusterSize;
        this.extL2 = img.extL2;
        this.subclusterBits = img.subclusterBits;
    }

    /** Writes {@code src.remaining()} guest bytes at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException {
        img.checkUsable(true);
        img.checkRange(offset, src.remaining());
        while (src.hasRemaining()) {
            int inCl = (int) (offset & (clusterSize - 1));
            int n = Math.min(src.remaining(), clusterSize - inCl);
            ByteBuffer part = src.slice(src.position(), n);
            writeCluster(offset, part);
            src.position(src.position() + n);
            offset += n;
        }
    }

    private void writeCluster(long offset, ByteBuffer data) throws IOException {
        long gci = offset >>> clusterBits;
        int inCl = (int) (offset & (clusterSize - 1));
        int n = data.remaining();
        long clusterStart = gci << clusterBits;
        // in place: allocated, copied, not zero, every touched subcluster allocated
        try (L2Ref r = img.l2Tables.l2For(gci, false)) {
            if (r != null) {
                long at = img.entries.inPlaceHost(r.entry(), r.bitmap(), inCl, n);
                if (at >= 0) {
                    file.write(at, data);
                    return;
                }
            }
        }
        if (img.useLazyRefcounts) {
            img.headerUpdates.markDirty();
        }
        try (L2Ref r = img.l2Tables.l2For(gci, true)) {
            long e = r.entry();
            long bm = r.bitmap();
            long oldHost = e & L2E_OFFSET_MASK;
            boolean compressed = L2Entries.isCompressed(e);
            if (!compressed && oldHost != 0 && (oldHost & (clusterSize - 1)) != 0) {
                img.signalCorruption(true, -1, -1, CFormat.format(
                        "Cluster allocation offset %#x unaligned (L2 offset: %#x, L2 index: %#x)", oldHost,
                        r.l2Offset, r.l2Index));
                throw new Qcow2Exception(Qcow2Exception.Kind.IO, "unaligned cluster offset");
            }
            boolean keep = !compressed && oldHost != 0 && (e & OFLAG_COPIED) != 0;
            long host = keep ? oldHost : img.allocator.allocData();
            long newEntry;
            long newBm = 0;
            if (!extL2) {
                byte[] buf = new byte[clusterSize];
                if (inCl > 0) {
                    img.reads.readOld(clusterStart, buf, 0, inCl);
                }
                data.get(0, buf, inCl, n);
                if (inCl + n < clusterSize) {
                    img.reads.readOld(clusterStart + inCl + n, buf, inCl + n, clusterSize - inCl - n);
                }
                file.write(host, ByteBuffer.wrap(buf));
                newEntry = host | OFLAG_COPIED;
            } else {
                long touched = img.entries.touchedMask(inCl, n);
                long oldAlloc = compressed ? L2_BITMAP_ALL_ALLOC : (bm & L2_BITMAP_ALL_ALLOC);
                long oldZero = compressed ? 0 : (bm >>> 32);
                boolean moving = !keep && (compressed || oldHost != 0);
                if (moving) {
                    // copy the whole cluster: every allocated subcluster must come along
                    byte[] buf = new byte[clusterSize];
                    img.reads.readOld(clusterStart, buf, 0, clusterSize);
                    data.get(0, buf, inCl, n);
                    file.write(host, ByteBuffer.wrap(buf));
                } else {
                    writeSubclusterSpan(clusterStart, inCl, n, data, host);
                }
                long alloc = oldAlloc | touched;
                long zeros = oldZero & ~touched & ~alloc;
                newBm = alloc | (zeros << 32);
                newEntry = host | OFLAG_COPIED;
            }
            r.set(newEntry, newBm);
            img.allocator.linkDependency();
            if (!keep && (compressed || oldHost != 0)) {
                img.allocator.freeAny(e);
            }
        }
    }

    /** Extended L2, cluster kept or new: writes only the touched subclusters, padded with their old contents. */
    private void writeSubclusterSpan(long clusterStart, int inCl, int n, ByteBuffer data, long host)
            throws IOException {
        int first = inCl >>> subclusterBits;
        int last = (inCl + n - 1) >>> subclusterBits;
        int spanStart = first << subclusterBits;
        int spanEnd = (last + 1) << subclusterBits;
        byte[] buf = new byte[spanEnd - spanStart];
        if (inCl > spanStart) {
            img.reads.readOld(clusterStart + spanStart, buf, 0, inCl - spanStart);
        }
        data.get(0, buf, inCl - spanStart, n);
        if (inCl + n < spanEnd) {
            img.reads.readOld(clusterStart + inCl + n, buf, inCl + n - spanStart, spanEnd - inCl - n);
        }
        file.write(host + spanStart, ByteBuffer.wrap(buf));
    }
}

package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The active L1 table and the L2 tables it points at: finding a guest cluster's L2 entry through the L2 cache,
 * copy-on-write of an L2 table shared with a snapshot, and growing L1 (QEMU's l2_load / l2_allocate /
 * qcow2_grow_l1_table). The L1 array and offset themselves live in the image, which snapshots also replace.
 */
final class L2Tables {
    /** Marks "no L2 table" for {@link #cachedSlice}. */
    static final MetadataCache.Entry NO_L2 = new MetadataCache.Entry(-1, 0);

    private final Qcow2Image img;
    private final HostFile file;
    private final int clusterBits;
    private final int clusterSize;
    private final boolean extL2;
    private final int l2EntryBytes;
    private final int l2Entries;
    private final int sliceEntries;
    private final MetadataCache l2Cache;

    L2Tables(Qcow2Image img) {
        this.img = img;
        this.file = img.file;
        this.clusterBits = img.clusterBits;
        this.clusterSize = img.clusterSize;
        this.extL2 = img.extL2;
        this.l2EntryBytes = img.l2EntryBytes;
        this.l2Entries = img.l2Entries;
        this.sliceEntries = img.sliceEntries;
        this.l2Cache = img.l2Cache;
    }

    /** The L2 entry for guest cluster {@code gci}, or null when its L2 table does not exist (and !allocate). */
    L2Ref l2For(long gci, boolean allocate) throws IOException {
        int l1i = (int) (gci >>> (clusterBits - (extL2 ? 4 : 3)));
        int l2i = (int) (gci & (l2Entries - 1));
        if (l1i >= img.l1.length) {
            throw new Qcow2Exception(Qcow2Exception.Kind.INVALID, "Offset beyond the L1 table");
        }
        long l1e = img.l1[l1i];
        long l2Off = l1e & L1E_OFFSET_MASK;
        if (l2Off != 0 && (l2Off & (clusterSize - 1)) != 0) {
            img.signalCorruption(true, -1, -1,
                    CFormat.format("L2 table offset %#x unaligned (L1 index: %#x)", l2Off, l1i));
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "L2 table offset unaligned");
        }
        if (allocate && (l2Off == 0 || (l1e & OFLAG_COPIED) == 0)) {
            l2Off = allocateL2(l1i, l2Off);
        } else if (l2Off == 0) {
            return null;
        }
        int sliceBytes = img.cacheSizes.l2EntrySize();
        int slice = l2i / sliceEntries;
        MetadataCache.Entry e = l2Cache.get(l2Off + (long) slice * sliceBytes);
        return new L2Ref(l2Cache, l2EntryBytes, extL2, e, l2i % sliceEntries, l2Off, l2i);
    }

    /** A new L2 table for L1 index {@code l1i}: empty, or a copy of {@code oldL2} (which loses a reference). */
    private long allocateL2(int l1i, long oldL2) throws IOException {
        long newL2 = img.refcounts.alloc(clusterSize);
        if ((newL2 & (clusterSize - 1)) != 0 || newL2 == 0) {
            img.signalCorruption(true, newL2, clusterSize,
                    "Preventing invalid allocation of L2 table at offset " + newL2);
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "invalid L2 allocation");
        }
        img.refcounts.cache.flush();
        int sliceBytes = img.cacheSizes.l2EntrySize();
        for (int s = 0; s < clusterSize; s += sliceBytes) {
            MetadataCache.Entry ne = l2Cache.getEmpty(newL2 + s);
            if (oldL2 != 0) {
                MetadataCache.Entry oe = l2Cache.get(oldL2 + s);
                System.arraycopy(oe.data, 0, ne.data, 0, sliceBytes);
                l2Cache.put(oe);
            }
            l2Cache.markDirty(ne);
            l2Cache.put(ne);
        }
        l2Cache.flush();
        img.l1[l1i] = newL2 | OFLAG_COPIED;
        writeL1Entry(l1i);
        if (oldL2 != 0) {
            img.refcounts.free(oldL2, clusterSize);
        }
        return newL2;
    }

    void writeL1Entry(int l1i) throws IOException {
        file.write(img.l1Offset + 8L * l1i, ByteBuffer.allocate(8).putLong(0, img.l1[l1i]));
        file.flush();
    }

    /** Grows the L1 table to at least {@code minSize} entries. */
    void growL1(long minSize, boolean exact) throws IOException {
        long[] l1 = img.l1;
        if (minSize <= l1.length) {
            return;
        }
        long newSize;
        if (exact) {
            newSize = minSize;
        } else {
            newSize = Math.max(1, l1.length);
            while (minSize > newSize) {
                newSize = (newSize * 3 + 1) / 2;
            }
        }
        if (newSize * 8 > MAX_L1_BYTES) {
            throw new Qcow2Exception("L1 table is too big");
        }
        long bytes = newSize * 8;
        long[] nl1 = Arrays.copyOf(l1, (int) newSize);
        long off = img.refcounts.alloc(bytes);
        img.refcounts.cache.flush();
        ByteBuffer b = ByteBuffer.allocate((int) bytes);
        for (long v : nl1) {
            b.putLong(v);
        }
        b.clear();
        file.write(off, b);
        file.flush();
        file.write(36, ByteBuffer.allocate(12).putInt(0, (int) newSize).putLong(4, off));
        file.flush();
        long oldOff = img.l1Offset;
        long oldBytes = (long) l1.length * 8;
        img.l1 = nl1;
        img.l1Offset = off;
        img.header.l1Size = (int) newSize;
        img.header.l1TableOffset = off;
        if (oldBytes > 0) {
            img.refcounts.free(oldOff, oldBytes);
        }
    }

    /**
     * The cached L2 slice holding guest cluster {@code gci}'s entry, without any I/O: {@link #NO_L2} when the
     * cluster has no L2 table, null when the slice is not cached or the L1 entry is out of range or unaligned.
     */
    MetadataCache.Entry cachedSlice(long gci) {
        int l1i = (int) (gci >>> (clusterBits - (extL2 ? 4 : 3)));
        if (gci < 0 || l1i >= img.l1.length) {
            return null;
        }
        long l2Off = img.l1[l1i] & L1E_OFFSET_MASK;
        if (l2Off == 0) {
            return NO_L2;
        }
        if ((l2Off & (clusterSize - 1)) != 0) {
            return null;
        }
        int l2i = (int) (gci & (l2Entries - 1));
        return l2Cache.peek(l2Off + (long) (l2i / sliceEntries) * img.cacheSizes.l2EntrySize());
    }

    /** The L2 entry and bitmap of {@code gci} in its slice from {@link #cachedSlice}: {entry, bitmap}. */
    long[] entryIn(MetadataCache.Entry slice, long gci) {
        int idx = (int) (gci & (l2Entries - 1)) % sliceEntries;
        long e = slice.buf.getLong(idx * l2EntryBytes);
        return new long[] {e, extL2 ? slice.buf.getLong(idx * l2EntryBytes + 8) : 0};
    }
}

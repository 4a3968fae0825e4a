package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Refcount table, refcount blocks and the cluster allocator. Allocation is first fit from the lowest cluster that
 * may be free (QEMU's free_cluster_index), new refcount blocks describe themselves when they can, and a refcount
 * table too small is replaced by a bigger one built after the end of the image, switched in with one header write.
 * Order on disk: a refcount block is written before the table entry that points at it.
 */
final class Refcounts {
    /** Thrown inside an update when a new refcount block was allocated: the caller must search space anew. */
    private static final class Again extends Exception {
        private static final long serialVersionUID = 1L;

        Again() {
            super(null, null, false, false);
        }
    }

    interface Host {
        /** Writes refcount_table_offset and refcount_table_clusters into the header (one 12-byte write). */
        void writeReftableLocation(long offset, int clusters) throws IOException;

        /** A cluster became free: drop cached tables that lived there. */
        void clusterFreed(long offset);

        void corruption(String message, long offset, long size) throws IOException;
    }

    private final HostFile file;
    private final int clusterBits;
    private final int clusterSize;
    private final int refcountOrder;
    private final int refcountBits;
    private final int blockBits; // log2(entries per refcount block)
    private final long refcountMax;
    final MetadataCache cache;
    private final MetadataCache l2Cache;
    private final Host host;

    long[] table;
    long tableOffset;
    long freeClusterIndex;
    /** When > 0, allocations never go below this cluster (used while repairing, past everything referenced). */
    long allocFloor;

    Refcounts(HostFile file, int clusterBits, int refcountOrder, long tableOffset, long[] table, int cacheEntries,
            MetadataCache l2Cache, Host host) {
        this.file = file;
        this.clusterBits = clusterBits;
        this.clusterSize = 1 << clusterBits;
        this.refcountOrder = refcountOrder;
        this.refcountBits = 1 << refcountOrder;
        this.blockBits = clusterBits + 3 - refcountOrder;
        this.refcountMax = refcountBits == 64 ? -1L : (1L << refcountBits) - 1;
        this.tableOffset = tableOffset;
        this.table = table;
        this.l2Cache = l2Cache;
        this.host = host;
        this.cache = new MetadataCache("refcount block", file, clusterSize, cacheEntries);
    }

    int blockEntries() {
        return 1 << blockBits;
    }

    long refcountMax() {
        return refcountMax;
    }

    int refcountBits() {
        return refcountBits;
    }

    // ---- packed entry access ----

    static long getEntry(byte[] b, int order, int index) {
        switch (order) {
            case 0:
                return (b[index >>> 3] >>> (index & 7)) & 1;
            case 1:
                return (b[index >>> 2] >>> (2 * (index & 3))) & 3;
            case 2:
                return (b[index >>> 1] >>> (4 * (index & 1))) & 0xf;
            case 3:
                return b[index] & 0xffL;
            case 4:
                return ((b[2 * index] & 0xff) << 8) | (b[2 * index + 1] & 0xff);
            case 5:
                return ByteBuffer.wrap(b).getInt(4 * index) & 0xffffffffL;
            default:
                return ByteBuffer.wrap(b).getLong(8 * index);
        }
    }

    static void setEntry(byte[] b, int order, int index, long v) {
        switch (order) {
            case 0: {
                int s = index & 7;
                b[index >>> 3] = (byte) ((b[index >>> 3] & ~(1 << s)) | ((int) (v & 1) << s));
                break;
            }
            case 1: {
                int s = 2 * (index & 3);
                b[index >>> 2] = (byte) ((b[index >>> 2] & ~(3 << s)) | ((int) (v & 3) << s));
                break;
            }
            case 2: {
                int s = 4 * (index & 1);
                b[index >>> 1] = (byte) ((b[index >>> 1] & ~(0xf << s)) | ((int) (v & 0xf) << s));
                break;
            }
            case 3:
                b[index] = (byte) v;
                break;
            case 4:
                b[2 * index] = (byte) (v >>> 8);
                b[2 * index + 1] = (byte) v;
                break;
            case 5:
                ByteBuffer.wrap(b).putInt(4 * index, (int) v);
                break;
            default:
                ByteBuffer.wrap(b).putLong(8 * index, v);
        }
    }

    // ---- lookups ----

    /** The refcount of cluster {@code clusterIndex} (0 when its block does not exist). */
    long get(long clusterIndex) throws IOException {
        long ti = clusterIndex >>> blockBits;
        if (ti >= table.length) {
            return 0;
        }
        long blockOffset = table[(int) ti] & REFT_OFFSET_MASK;
        if (blockOffset == 0) {
            return 0;
        }
        if ((blockOffset & (clusterSize - 1)) != 0) {
            host.corruption(CFormat.format("Refblock offset %#x unaligned (reftable index: %#x)", blockOffset, ti),
                    -1, -1);
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Refcount block offset unaligned");
        }
        MetadataCache.Entry e = cache.get(blockOffset);
        try {
            return getEntry(e.data, refcountOrder, (int) (clusterIndex & (blockEntries() - 1)));
        } finally {
            cache.put(e);
        }
    }

    private boolean inSameBlock(long off1, long off2) {
        return (off1 >>> (clusterBits + blockBits)) == (off2 >>> (clusterBits + blockBits));
    }

    // ---- allocation ----

    /** Finds {@code n} free clusters in a row from the free index on, without taking them. */
    private long allocNoref(long bytes) throws IOException {
        long n = (bytes + clusterSize - 1) >>> clusterBits;
        if (freeClusterIndex < allocFloor) {
            freeClusterIndex = allocFloor;
        }
        retry:
        while (true) {
            for (long i = 0; i < n; i++) {
                long idx = freeClusterIndex++;
                if (get(idx) != 0) {
                    continue retry;
                }
            }
            long start = (freeClusterIndex - n) << clusterBits;
            if (start + (n << clusterBits) - 1 > MAX_HOST_OFFSET) {
                throw new Qcow2Exception(Qcow2Exception.Kind.NO_SPACE, "Image file too large");
            }
            return start;
        }
    }

    /** Allocates {@code bytes} (rounded up to clusters) in a row and takes a reference; returns the host offset. */
    long alloc(long bytes) throws IOException {
        while (true) {
            long off = allocNoref(bytes);
            try {
                update(off, bytes, 1, false);
                return off;
            } catch (Again again) {
                // new refcount block took space: search again
            }
        }
    }

    /** Takes references on clusters at a given offset that must be free; returns how many could be taken. */
    long allocAt(long offset, long nClusters) throws IOException {
        while (true) {
            long i = 0;
            for (; i < nClusters; i++) {
                if (get((offset >>> clusterBits) + i) != 0) {
                    break;
                }
            }
            if (i == 0) {
                return 0;
            }
            try {
                update(offset, i << clusterBits, 1, false);
                return i;
            } catch (Again again) {
                // retry
            }
        }
    }

    /** Drops one reference on every cluster touched by [offset, offset+length). */
    void free(long offset, long length) throws IOException {
        try {
            update(offset, length, 1, true);
        } catch (Again a) {
            throw new IllegalStateException("refcount block allocated while freeing", a);
        }
    }

    /** Adds (or with {@code decrease}, subtracts) {@code addend} on every cluster of the range. */
    void change(long offset, long length, long addend, boolean decrease) throws IOException {
        while (true) {
            try {
                update(offset, length, addend, decrease);
                return;
            } catch (Again a) {
                // retry: the new block is in the table now
            }
        }
    }

    private void update(long offset, long length, long addend, boolean decrease) throws IOException, Again {
        if (length <= 0) {
            return;
        }
        if (decrease) {
            cache.setDependency(l2Cache);
        }
        long start = offset & ~((long) clusterSize - 1);
        long last = (offset + length - 1) & ~((long) clusterSize - 1);
        MetadataCache.Entry block = null;
        long blockTi = -1;
        long done = start;
        try {
            for (long co = start; co <= last; co += clusterSize) {
                long ci = co >>> clusterBits;
                long ti = ci >>> blockBits;
                if (block == null || ti != blockTi) {
                    if (block != null) {
                        cache.put(block);
                        block = null;
                    }
                    block = allocBlock(ci);
                    blockTi = ti;
                }
                int bi = (int) (ci & (blockEntries() - 1));
                long rc = getEntry(block.data, refcountOrder, bi);
                long nrc;
                if (decrease) {
                    if (Long.compareUnsigned(rc, addend) < 0) {
                        throw new Qcow2Exception(Qcow2Exception.Kind.INVALID,
                                "Refcount of cluster " + ci + " would drop below zero");
                    }
                    nrc = rc - addend;
                } else {
                    nrc = rc + addend;
                    if (Long.compareUnsigned(nrc, rc) < 0 || Long.compareUnsigned(nrc, refcountMax) > 0) {
                        throw new Qcow2Exception(Qcow2Exception.Kind.INVALID,
                                "Refcount of cluster " + ci + " would exceed its maximum");
                    }
                }
                if (nrc == 0 && ci < freeClusterIndex) {
                    freeClusterIndex = ci;
                }
                setEntry(block.data, refcountOrder, bi, nrc);
                cache.markDirty(block);
                if (nrc == 0) {
                    // a freed refcount block or table: forget its cached copy
                    if (co != block.offset) {
                        cache.discard(co);
                    }
                    host.clusterFreed(co);
                }
                done = co + clusterSize;
            }
        } catch (Again | IOException | RuntimeException e) {
            if (block != null) {
                cache.put(block);
                block = null;
            }
            if (done > start) {
                // undo what was done for this range
                try {
                    update(start, done - start, addend, !decrease);
                } catch (Again | IOException ignored) {
                    // best effort
                }
            }
            throw e;
        } finally {
            if (block != null) {
                cache.put(block);
            }
        }
    }

    /** The refcount block for cluster {@code ci}, creating it (and growing the table) if needed. */
    private MetadataCache.Entry allocBlock(long ci) throws IOException, Again {
        long ti = ci >>> blockBits;
        if (ti < table.length) {
            long bo = table[(int) ti] & REFT_OFFSET_MASK;
            if (bo != 0) {
                if ((bo & (clusterSize - 1)) != 0) {
                    host.corruption(CFormat.format("Refblock offset %#x unaligned (reftable index: %#x)", bo, ti), -1,
                            -1);
                    throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Refcount block offset unaligned");
                }
                return cache.get(bo);
            }
        }
        // allocate the block itself
        long newBlock = allocNoref(clusterSize);
        MetadataCache.Entry e;
        if (inSameBlock(newBlock, ci << clusterBits)) {
            e = cache.getEmpty(newBlock);
            setEntry(e.data, refcountOrder, (int) ((newBlock >>> clusterBits) & (blockEntries() - 1)), 1);
        } else {
            update(newBlock, clusterSize, 1, false);
            cache.flush();
            e = cache.getEmpty(newBlock);
        }
        cache.markDirty(e);
        cache.flush();
        if (ti < table.length) {
            ByteBuffer b = ByteBuffer.allocate(8).putLong(0, newBlock);
            file.write(tableOffset + ti * 8, b);
            file.flush();
            table[(int) ti] = newBlock;
            cache.put(e);
            throw new Again();
        }
        cache.put(e);
        // the table is too small: build a bigger one after everything in use
        long blocksUsed = ceilDiv(Math.max(ci + 1, (newBlock >>> clusterBits) + 1), blockEntries());
        long metaOffset = (blocksUsed * blockEntries()) << clusterBits;
        area(metaOffset, 0, false, ti, newBlock);
        throw new Again();
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private long nextTableSize(long minEntries) {
        long minClusters = (minEntries >>> (clusterBits - 3)) + 1;
        long clusters = Math.max(1, table.length >>> (clusterBits - 3));
        while (minClusters > clusters) {
            clusters = (clusters * 3 + 1) / 2;
        }
        return clusters << (clusterBits - 3);
    }

    /**
     * Places new refcount blocks and a new refcount table at {@code startOffset} such that they, and
     * {@code additionalClusters} more after them, are covered; switches the header to the new table and frees the
     * old one. Returns the end of the new structures (where the additional clusters may go).
     */
    long area(long startOffset, long additionalClusters, boolean exactSize, long newBlockIndex, long newBlockOffset)
            throws IOException {
        long startCluster = startOffset >>> clusterBits;
        long areaIndex = startCluster >>> blockBits;
        long entries = blockEntries();
        long newBlocks = 0;
        long tableEntries = table.length;
        long tableClusters;
        long totalBlocks;
        while (true) {
            tableClusters = ceilDiv(tableEntries * 8, clusterSize);
            long endCluster = startCluster + newBlocks + tableClusters + additionalClusters;
            totalBlocks = ceilDiv(endCluster, entries);
            long needEntries = Math.max(totalBlocks, newBlockIndex + 1);
            long te = exactSize ? Math.max(needEntries, table.length) : (needEntries > table.length
                    ? nextTableSize(needEntries) : table.length);
            long nb = 0;
            for (long i = areaIndex; i < totalBlocks; i++) {
                boolean exists = (i < table.length && (table[(int) i] & REFT_OFFSET_MASK) != 0)
                        || i == newBlockIndex;
                if (!exists) {
                    nb++;
                }
            }
            if (te == tableEntries && nb == newBlocks) {
                break;
            }
            tableEntries = Math.max(te, tableEntries);
            newBlocks = nb;
        }
        if (tableEntries * 8 > MAX_REFTABLE_BYTES) {
            throw new Qcow2Exception(Qcow2Exception.Kind.NO_SPACE, "Refcount table too large");
        }
        long[] newTable = Arrays.copyOf(table, (int) tableEntries);
        if (newBlockIndex >= 0 && newBlockOffset != 0) {
            newTable[(int) newBlockIndex] = newBlockOffset;
        }
        long tableOffsetNew = startOffset + newBlocks * clusterSize;
        long endOffset = tableOffsetNew + tableClusters * clusterSize;
        long blockOffset = startOffset;
        for (long i = areaIndex; i < totalBlocks; i++) {
            MetadataCache.Entry e;
            if ((newTable[(int) i] & REFT_OFFSET_MASK) != 0) {
                e = cache.get(newTable[(int) i] & REFT_OFFSET_MASK);
            } else {
                newTable[(int) i] = blockOffset;
                e = cache.getEmpty(blockOffset);
                blockOffset += clusterSize;
            }
            long firstCovered = (i * entries) << clusterBits;
            if (firstCovered < endOffset) {
                long j = firstCovered < startOffset ? (startOffset - firstCovered) >>> clusterBits : 0;
                long endIndex = Math.min((endOffset - firstCovered) >>> clusterBits, entries);
                for (; j < endIndex; j++) {
                    setEntry(e.data, refcountOrder, (int) j, 1);
                }
            }
            cache.markDirty(e);
            cache.put(e);
        }
        cache.flush();
        ByteBuffer tb = ByteBuffer.allocate((int) (tableClusters * clusterSize));
        for (long v : newTable) {
            tb.putLong(v);
        }
        tb.clear();
        file.write(tableOffsetNew, tb);
        file.flush();
        host.writeReftableLocation(tableOffsetNew, (int) tableClusters);
        long oldOffset = tableOffset;
        long oldBytes = (long) table.length * 8;
        table = newTable;
        tableOffset = tableOffsetNew;
        free(oldOffset, oldBytes);
        return endOffset;
    }

    /** Writes the whole in-memory refcount table to disk (after a repair rebuilt it). */
    void writeTable() throws IOException {
        ByteBuffer tb = ByteBuffer.allocate((int) (ceilDiv((long) table.length * 8, clusterSize) * clusterSize));
        for (long v : table) {
            tb.putLong(v);
        }
        tb.clear();
        file.write(tableOffset, tb);
    }
}

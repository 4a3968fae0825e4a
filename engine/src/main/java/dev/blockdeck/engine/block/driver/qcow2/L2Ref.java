package dev.blockdeck.engine.block.driver.qcow2;

/** A pinned L2 slice and the index of one entry in it; closing it unpins the slice. */
final class L2Ref implements AutoCloseable {
    private final MetadataCache cache;
    private final int entryBytes;
    private final boolean extL2;
    final MetadataCache.Entry slice;
    final int idx;
    final long l2Offset;
    final int l2Index;

    L2Ref(MetadataCache cache, int entryBytes, boolean extL2, MetadataCache.Entry slice, int idx, long l2Offset,
            int l2Index) {
        this.cache = cache;
        this.entryBytes = entryBytes;
        this.extL2 = extL2;
        this.slice = slice;
        this.idx = idx;
        this.l2Offset = l2Offset;
        this.l2Index = l2Index;
    }

    long entry() {
        return slice.buf.getLong(idx * entryBytes);
    }

    long bitmap() {
        return extL2 ? slice.buf.getLong(idx * entryBytes + 8) : 0;
    }

    void set(long entry, long bitmap) {
        slice.buf.putLong(idx * entryBytes, entry);
        if (extL2) {
            slice.buf.putLong(idx * entryBytes + 8, bitmap);
        }
        cache.markDirty(slice);
    }

    @Override
    public void close() {
        cache.put(slice);
    }
}

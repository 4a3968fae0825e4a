package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A qcow2 image over a {@link HostFile}: open, guest reads and writes, write-zeroes, discard, flush, close.
 * No threads and no graph: one caller at a time (in a node, the holder of its {@link MetadataLock}; the node maps
 * and moves plain data itself, see {@link Qcow2Requests}).
 *
 * <p>Crash ordering: a refcount increase reaches the file before any L2 entry that needs it (the L2 cache depends
 * on the refcount cache), a new L2 table before the L1 entry pointing at it, and a refcount decrease only after the
 * L2 entry that dropped the reference (the refcount cache then depends on the L2 cache). With lazy refcounts the
 * dirty bit is set first and refcounts may lag; the next read-write open repairs them.
 */
public final class Qcow2Image implements Closeable {
    /** Open options (QEMU's qcow2 runtime options that matter here). */
    public static final class Options {
        public boolean readOnly;
        /** BDRV_O_CHECK: allow a corrupt image read-write and skip the dirty-image repair (for img check -r). */
        public boolean checkMode;
        public Long cacheSize;
        public Long l2CacheSize;
        public Long refcountCacheSize;
        public Long l2CacheEntrySize;
        /** Overrides the image's lazy-refcounts bit when set. */
        public Boolean lazyRefcounts;
        /** Pass guest discards down to the host file (discard=unmap). */
        public boolean discardUnmap;
        public BackingReader backing;
        public InconsistencyListener listener;
        /**
         * The caller maintains the bitmaps extension (qcow2.bitmap.Qcow2Bitmaps): a read-write open keeps its
         * autoclear bit instead of clearing it, and the caller loads (marking bitmaps in use) and stores them.
         */
        public boolean maintainsBitmaps;
        /** pass-discard-snapshot: clusters freed by snapshot operations are discarded on the host file. */
        public boolean passDiscardSnapshot = true;

        public Options readOnly(boolean ro) {
            this.readOnly = ro;
            return this;
        }

        public Options backing(BackingReader b) {
            this.backing = b;
            return this;
        }

        public Options listener(InconsistencyListener l) {
            this.listener = l;
            return this;
        }
    }

    /** How a guest range maps to the host (QEMU's subcluster types, folded for readers). */
    public enum ExtentType { DATA, ZERO, UNALLOCATED, COMPRESSED }

    /** A run of guest bytes of one kind: for DATA, {@code host} is the host offset; for COMPRESSED, the L2 entry. */
    public record Extent(ExtentType type, long host, long length, boolean allocatedZero) {
    }

    final HostFile file;
    final Qcow2Header header;
    final int clusterBits;
    final int clusterSize;
    final boolean extL2;
    final int l2EntryBytes;
    final int l2Entries;
    final int subclusterSize;
    final int subclusterBits;
    final int sliceEntries;
    final int csizeShift;
    final long csizeMask;
    final long cOffsetMask;
    long[] l1;
    long l1Offset;
    final MetadataCache l2Cache;
    final Refcounts refcounts;
    final CacheSizes cacheSizes;
    /** The internal snapshots (null when opened for a check, which reads the table itself). */
    Qcow2Snapshots snapshots;
    final BackingReader backing;
    private volatile boolean readOnly;
    final boolean discardUnmap;
    final boolean passDiscardSnapshot;
    boolean useLazyRefcounts;
    private boolean closed;

    // the concerns of an open image, each in its own class (QEMU's qcow2.c / qcow2-cluster.c split)
    final HeaderUpdates headerUpdates;
    private final CorruptionSignal corruption;
    final L2Entries entries;
    final L2Tables l2Tables;
    final ClusterAllocator allocator;
    final GuestReads reads;
    private final GuestWrites writes;
    private final ZeroesAndDiscards zeroes;

    private Qcow2Image(HostFile file, Qcow2Header h, Options o) throws IOException {
        this.file = file;
        this.header = h;
        this.clusterBits = h.clusterBits;
        this.clusterSize = 1 << clusterBits;
        this.extL2 = h.extendedL2();
        this.l2EntryBytes = extL2 ? 16 : 8;
        this.l2Entries = clusterSize / l2EntryBytes;
        this.subclusterSize = extL2 ? clusterSize / SUBCLUSTERS : clusterSize;
        this.subclusterBits = Integer.numberOfTrailingZeros(subclusterSize);
        this.csizeShift = 62 - (clusterBits - 8);
        this.csizeMask = (1L << (clusterBits - 8)) - 1;
        this.cOffsetMask = (1L << csizeShift) - 1;
        this.backing = o.backing;
        this.readOnly = o.readOnly;
        this.discardUnmap = o.discardUnmap;
        this.passDiscardSnapshot = o.passDiscardSnapshot;
        this.headerUpdates = new HeaderUpdates(this);
        this.corruption = new CorruptionSignal(this, o.listener);
        this.cacheSizes = CacheSizes.compute(h.size, clusterSize, extL2, o.cacheSize, o.l2CacheSize,
                o.refcountCacheSize, o.l2CacheEntrySize);
        this.sliceEntries = cacheSizes.l2EntrySize() / l2EntryBytes;
        this.l2Cache = new MetadataCache("L2 table", file, cacheSizes.l2EntrySize(), cacheSizes.l2Entries());
        long[] reftable = readTable(h.refcountTableOffset, (long) h.refcountTableClusters << (clusterBits - 3));
        this.refcounts = new Refcounts(file, clusterBits, h.refcountOrder, h.refcountTableOffset, reftable,
                cacheSizes.refcountEntries(), l2Cache, new Refcounts.Host() {
                    @Override
                    public void writeReftableLocation(long offset, int clusters) throws IOException {
                        ByteBuffer b = ByteBuffer.allocate(12).putLong(0, offset).putInt(8, clusters);
                        file.write(48, b);
                        file.flush();
                        header.refcountTableOffset = offset;
                        header.refcountTableClusters = clusters;
                    }

                    @Override
                    public void clusterFreed(long offset) {
                        long sliceBytes = cacheSizes.l2EntrySize();
                        for (long s = 0; s < clusterSize; s += sliceBytes) {
                            l2Cache.discard(offset + s);
                        }
                    }

                    @Override
                    public void corruption(String message, long offset, long size) throws IOException {
                        signalCorruption(true, offset, size, message);
                    }
                });
        MetadataCache.WriteGuard guard = (off, len) -> {
            if (off < clusterSize) {
                signalCorruption(true, off, len, "Preventing invalid write on metadata (overlaps with qcow2_header)");
                throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Preventing invalid write on metadata");
            }
        };
        l2Cache.setGuard(guard);
        refcounts.cache.setGuard(guard);
        this.l1 = readTable(h.l1TableOffset, Integer.toUnsignedLong(h.l1Size));
        this.l1Offset = h.l1TableOffset;
        this.entries = new L2Entries(this);
        this.l2Tables = new L2Tables(this);
        this.allocator = new ClusterAllocator(this);
        this.reads = new GuestReads(this);
        this.writes = new GuestWrites(this);
        this.zeroes = new ZeroesAndDiscards(this);
    }

    private long[] readTable(long offset, long entries) throws IOException {
        long[] t = new long[(int) entries];
        if (entries == 0) {
            return t;
        }
        ByteBuffer b = ByteBuffer.allocate((int) (entries * 8));
        file.read(offset, b);
        b.clear();
        for (int i = 0; i < entries; i++) {
            t[i] = b.getLong();
        }
        return t;
    }

    /** Opens an image; with a read-write open of a dirty image, repairs it first as QEMU does. */
    public static Qcow2Image open(HostFile file, Options o) throws IOException {
        Qcow2Header h = Qcow2Header.read(file);
        boolean lazy = Qcow2OpenChecks.validate(h, o);
        Qcow2Image img = new Qcow2Image(file, h, o);
        img.useLazyRefcounts = lazy;
        if (!o.checkMode) {
            img.snapshots = Qcow2Snapshots.load(img);
        }
        if (!o.readOnly) {
            if (!o.checkMode && (h.incompatibleFeatures & INCOMPAT_DIRTY) != 0) {
                Qcow2Check.Result r = Qcow2Check.check(img, Qcow2Check.FIX_ERRORS | Qcow2Check.FIX_LEAKS, null);
                if (r.checkErrors > 0) {
                    throw new Qcow2Exception(Qcow2Exception.Kind.IO,
                            "Could not repair dirty image: Input/output error");
                }
            }
            // autoclear bits we do not maintain (bitmaps, unknown) are cleared before the first write
            long keep = h.autoclearFeatures & (AUTOCLEAR_DATA_FILE_RAW | (o.maintainsBitmaps ? AUTOCLEAR_BITMAPS : 0))
                    & AUTOCLEAR_MASK;
            if (h.autoclearFeatures != keep && h.version >= 3) {
                h.autoclearFeatures = keep;
                img.rewriteHeader();
            }
        }
        return img;
    }

    static long sizeToL1(long size, int clusterBits, int l2Bits) {
        int shift = clusterBits + l2Bits;
        return (size + (1L << shift) - 1) >>> shift;
    }

    // ------------------------------------------------------------------ info

    public long size() {
        return header.size;
    }

    public int clusterSize() {
        return clusterSize;
    }

    public Qcow2Header header() {
        return header;
    }

    public int version() {
        return header.version;
    }

    public String backingFile() {
        return header.backingFile;
    }

    public String backingFormat() {
        return header.backingFormat;
    }

    public boolean isDirty() {
        return (header.incompatibleFeatures & INCOMPAT_DIRTY) != 0;
    }

    public boolean isCorrupt() {
        return (header.incompatibleFeatures & INCOMPAT_CORRUPT) != 0;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public CacheSizes cacheSizes() {
        return cacheSizes;
    }

    public int refcountBits() {
        return 1 << header.refcountOrder;
    }

    public boolean lazyRefcounts() {
        return (header.compatibleFeatures & COMPAT_LAZY_REFCOUNTS) != 0;
    }

    public boolean extendedL2() {
        return extL2;
    }

    public HostFile hostFile() {
        return file;
    }

    /** This image as the backing of another. */
    public BackingReader asBackingReader() {
        return new BackingReader() {
            @Override
            public long size() {
                return header.size;
            }

            @Override
            public void read(long offset, ByteBuffer dst) throws IOException {
                Qcow2Image.this.read(offset, dst);
            }
        };
    }

    // ------------------------------------------------------------------ header writes and corruption

    /** Rewrites cluster 0 from {@link #header} (QEMU's qcow2_update_header). */
    void rewriteHeader() throws IOException {
        headerUpdates.rewriteHeader();
    }

    /** Flushes everything and clears the dirty bit (QEMU's qcow2_mark_clean). */
    void markClean() throws IOException {
        headerUpdates.markClean();
    }

    void markConsistent() throws IOException {
        headerUpdates.markConsistent();
    }

    /**
     * Reports an inconsistency (QEMU's qcow2_signal_corruption). On a writable image a fatal one sets the corrupt
     * bit and makes the image unusable; see {@link CorruptionSignal}.
     */
    void signalCorruption(boolean fatal, long offset, long size, String message) throws IOException {
        corruption.signal(fatal, offset, size, message);
    }

    /** The internal snapshots; null for an image opened in check mode. */
    public Qcow2Snapshots snapshots() {
        return snapshots;
    }

    /** For metadata changes outside the guest write path (snapshots): open, not corrupt, writable. */
    void checkUsableForMetadata() throws IOException {
        checkUsable(true);
    }

    void checkUsable(boolean write) throws IOException {
        if (closed) {
            throw new IOException("image is closed");
        }
        if (corruption.isDead()) {
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "qcow2: image is corrupt; no further I/O");
        }
        if (write && readOnly) {
            throw new Qcow2Exception(Qcow2Exception.Kind.ACCESS, "Image is read-only");
        }
    }

    /** Whether requests can run now: open, not stopped by a corruption, and writable if {@code write}. */
    boolean usable(boolean write) {
        return !closed && !corruption.isDead() && !(write && readOnly);
    }

    void checkRange(long offset, long len) throws Qcow2Exception {
        if (offset < 0 || len < 0 || offset + len > header.size) {
            throw new Qcow2Exception(Qcow2Exception.Kind.INVALID, "Request beyond the end of the image");
        }
    }

    /** Whether the image has a backing right now (the graph can attach or drop one while it is open). */
    boolean hasBacking() {
        return backing != null && backing.present();
    }

    // ------------------------------------------------------------------ L1/L2 tables and entries

    /** The L2 entry for guest cluster {@code gci}, or null when its L2 table does not exist (and !allocate). */
    L2Ref l2For(long gci, boolean allocate) throws IOException {
        return l2Tables.l2For(gci, allocate);
    }

    void writeL1Entry(int l1i) throws IOException {
        l2Tables.writeL1Entry(l1i);
    }

    /** Grows the L1 table to at least {@code minSize} entries (QEMU's qcow2_grow_l1_table). */
    void growL1(long minSize, boolean exact) throws IOException {
        l2Tables.growL1(minSize, exact);
    }

    /** Host byte offset and length of a compressed cluster's data. */
    long[] compressedRange(long e) {
        return entries.compressedRange(e);
    }

    /** See {@link L2Entries#classify}. */
    Extent classify(long e, long bm, int inCl, long len) {
        return entries.classify(e, bm, inCl, len);
    }

    /** See {@link L2Entries#inPlaceHost}. */
    long inPlaceHost(long e, long bm, int inCl, int n) {
        return entries.inPlaceHost(e, bm, inCl, n);
    }

    /**
     * The cached L2 slice holding guest cluster {@code gci}'s entry, without any I/O: {@link #NO_L2} when the
     * cluster has no L2 table, null when the slice is not cached or the L1 entry is out of range or unaligned.
     * The caller holds the image (no job may run meanwhile).
     */
    MetadataCache.Entry cachedSlice(long gci) {
        return l2Tables.cachedSlice(gci);
    }

    /** Marks "no L2 table" for {@link #cachedSlice}. */
    static final MetadataCache.Entry NO_L2 = L2Tables.NO_L2;

    /** The L2 entry and bitmap of {@code gci} in its slice from {@link #cachedSlice}: {entry, bitmap}. */
    long[] entryIn(MetadataCache.Entry slice, long gci) {
        return l2Tables.entryIn(slice, gci);
    }

    // ------------------------------------------------------------------ guest I/O

    /** How guest bytes from {@code offset} on (at most {@code max}) map, as one run of one kind. */
    public Extent map(long offset, long max) throws IOException {
        return reads.map(offset, max);
    }

    /** Reads {@code dst.remaining()} guest bytes from {@code offset}. */
    public void read(long offset, ByteBuffer dst) throws IOException {
        reads.read(offset, dst);
    }

    /** Writes {@code src.remaining()} guest bytes at {@code offset}. */
    public void write(long offset, ByteBuffer src) throws IOException {
        writes.write(offset, src);
    }

    /** Makes [offset, offset+len) read as zeros, see {@link ZeroesAndDiscards#writeZeroes}. */
    public void writeZeroes(long offset, long len, boolean mayUnmap) throws IOException {
        zeroes.writeZeroes(offset, len, mayUnmap);
    }

    /** Guest discard of whole clusters, see {@link ZeroesAndDiscards#discard}. */
    public void discard(long offset, long len) throws IOException {
        zeroes.discard(offset, len);
    }

    // ------------------------------------------------------------------ flush, close, resize

    void flushCaches() throws IOException {
        l2Cache.writeAll();
        refcounts.cache.writeAll();
    }

    /** Writes every dirty table and flushes the host file: every write completed before is durable after it. */
    public void flush() throws IOException {
        if (closed || readOnly) {
            return;
        }
        if (!corruption.isDead()) {
            flushCaches();
        }
        file.flush();
    }

    /**
     * The commit of a read-only reopen (QEMU's qcow2 reopen to read-only): writes back every cached table and
     * clears the dirty bit as a clean close would, then refuses writes. The caches stay warm for reads.
     */
    public void makeReadOnly() throws IOException {
        if (closed || readOnly) {
            return;
        }
        if (!corruption.isDead()) {
            l2Cache.flush();
            refcounts.cache.flush();
            markClean();
        }
        readOnly = true;
    }

    /** Flushes, clears the dirty bit (a clean close), and closes the host file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (!readOnly && !corruption.isDead()) {
                l2Cache.flush();
                refcounts.cache.flush();
                markClean();
            }
        } finally {
            closed = true;
            file.close();
        }
    }

    /** Drops clean cached tables (QEMU's periodic cache cleaning). */
    public void cleanCaches() {
        l2Cache.cleanUnused();
        refcounts.cache.cleanUnused();
    }

    /** Grows the virtual size (shrinking is not supported). */
    public void grow(long newSize) throws IOException {
        checkUsable(true);
        if (newSize < header.size) {
            throw new Qcow2Exception(Qcow2Exception.Kind.UNSUPPORTED, "qcow2 doesn't support shrinking images yet");
        }
        growL1(sizeToL1(newSize, clusterBits, clusterBits - (extL2 ? 4 : 3)), false);
        header.size = newSize;
        file.write(24, ByteBuffer.allocate(8).putLong(0, newSize));
        file.flush();
    }

    void setVirtualSizeInternal(long size) {
        header.size = size;
    }
}

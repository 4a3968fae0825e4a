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
    private final BackingReader backing;
    private final InconsistencyListener listener;
    private volatile boolean readOnly;
    private final boolean discardUnmap;
    final boolean passDiscardSnapshot;
    private boolean useLazyRefcounts;
    private boolean signaledCorruption;
    private boolean dead;
    private boolean closed;

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
        this.listener = o.listener;
        this.readOnly = o.readOnly;
        this.discardUnmap = o.discardUnmap;
        this.passDiscardSnapshot = o.passDiscardSnapshot;
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
        if ((h.incompatibleFeatures & INCOMPAT_CORRUPT) != 0 && !o.readOnly && !o.checkMode) {
            throw new Qcow2Exception(Qcow2Exception.Kind.ACCESS,
                    "qcow2: Image is corrupt; cannot be opened read/write");
        }
        int clusterSize = h.clusterSize();
        if ((h.incompatibleFeatures & INCOMPAT_EXTL2) != 0 && clusterSize / SUBCLUSTERS < 512) {
            throw new Qcow2Exception("Unsupported subcluster size: " + clusterSize / SUBCLUSTERS);
        }
        if (Integer.compareUnsigned(h.refcountOrder, 6) > 0) {
            throw new Qcow2Exception("Reference count entry width too large; may not exceed 64 bits");
        }
        if (h.cryptMethod == CRYPT_AES) {
            throw new Qcow2Exception(Qcow2Exception.Kind.UNSUPPORTED,
                    "Use of AES-CBC encrypted qcow2 images is no longer supported in system emulators");
        } else if (h.cryptMethod == CRYPT_LUKS) {
            throw new Qcow2Exception("Parameter 'encrypt.key-secret' is required for cipher");
        } else if (h.cryptMethod != CRYPT_NONE) {
            throw new Qcow2Exception("Unsupported encryption method " + h.cryptMethod);
        }
        if (h.refcountTableClusters == 0 && !o.checkMode) {
            throw new Qcow2Exception("Image does not contain a reference count table");
        }
        validateTable(h, h.refcountTableOffset, Integer.toUnsignedLong(h.refcountTableClusters), clusterSize,
                MAX_REFTABLE_BYTES, "Reference count table");
        if (!o.checkMode) {
            validateTable(h, h.snapshotsOffset, Integer.toUnsignedLong(h.nbSnapshots), 40, 40L * MAX_SNAPSHOTS,
                    "Snapshot table");
        }
        validateTable(h, h.l1TableOffset, Integer.toUnsignedLong(h.l1Size), 8, MAX_L1_BYTES, "Active L1 table");
        int l2Bits = h.clusterBits - ((h.incompatibleFeatures & INCOMPAT_EXTL2) != 0 ? 4 : 3);
        long l1Needed = sizeToL1(h.size, h.clusterBits, l2Bits);
        if (l1Needed > Integer.MAX_VALUE) {
            throw new Qcow2Exception("Image is too big");
        }
        if (Integer.toUnsignedLong(h.l1Size) < l1Needed) {
            throw new Qcow2Exception("L1 table is too small");
        }
        if ((h.incompatibleFeatures & INCOMPAT_DATA_FILE) != 0) {
            throw new Qcow2Exception("'data-file' is required for this image");
        }
        if (h.dataFile != null) {
            throw new Qcow2Exception("'data-file' can only be set for images with an external data file");
        }
        boolean lazy = o.lazyRefcounts != null ? o.lazyRefcounts : (h.compatibleFeatures & COMPAT_LAZY_REFCOUNTS) != 0;
        if (lazy && h.version < 3) {
            throw new Qcow2Exception(
                    "Lazy refcounts require a qcow2 image with at least qemu 1.1 compatibility level");
        }
        Qcow2Image img = new Qcow2Image(file, h, o);
        img.useLazyRefcounts = lazy;
        if (!o.checkMode) {
            img.snapshots = Qcow2Snapshots.load(img);
        }
        if (!o.readOnly) {
            if (!o.checkMode && (h.incompatibleFeatures & INCOMPAT_DIRTY) != 0) {
                Qcow2Check.Result r = Qcow2Check.check(img, Qcow2Check.FIX_ERRORS | Qcow2Check.FIX_LEAKS, null);
                if (r.checkErrors > 0) {
                    throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Could not repair dirty image: Input/output error");
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

    private static void validateTable(Qcow2Header h, long offset, long entries, long entryLen, long maxBytes,
            String name) throws Qcow2Exception {
        if (entries > maxBytes / entryLen) {
            throw new Qcow2Exception(name + " too large");
        }
        long size = entries * entryLen;
        if (Long.MAX_VALUE - size < offset) {
            throw new Qcow2Exception(name + " exceeds maximum file size");
        }
        if ((offset & (h.clusterSize() - 1)) != 0) {
            throw new Qcow2Exception(name + " offset invalid");
        }
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

    // ------------------------------------------------------------------ header writes

    /** Rewrites cluster 0 from {@link #header} (QEMU's qcow2_update_header). */
    void rewriteHeader() throws IOException {
        byte[] c0 = header.encode(clusterSize);
        file.write(0, ByteBuffer.wrap(c0));
        file.flush();
    }

    private void writeIncompatible() throws IOException {
        file.write(72, ByteBuffer.allocate(8).putLong(0, header.incompatibleFeatures));
        file.flush();
    }

    private void markDirty() throws IOException {
        if ((header.incompatibleFeatures & INCOMPAT_DIRTY) == 0) {
            header.incompatibleFeatures |= INCOMPAT_DIRTY;
            writeIncompatible();
        }
    }

    /** Flushes everything and clears the dirty bit (QEMU's qcow2_mark_clean). */
    void markClean() throws IOException {
        if ((header.incompatibleFeatures & INCOMPAT_DIRTY) != 0) {
            flushCaches();
            file.flush();
            header.incompatibleFeatures &= ~INCOMPAT_DIRTY;
            rewriteHeader();
        }
    }

    void markConsistent() throws IOException {
        if ((header.incompatibleFeatures & INCOMPAT_CORRUPT) != 0) {
            header.incompatibleFeatures &= ~INCOMPAT_CORRUPT;
            rewriteHeader();
        }
    }

    /**
     * Reports an inconsistency (QEMU's qcow2_signal_corruption). On a writable image a fatal one sets the corrupt
     * bit and makes the image unusable; on a read-only image nothing is fatal (the caller still fails its request).
     * After the first report, later ones are silent unless a first fatal one comes after non-fatal ones.
     */
    void signalCorruption(boolean fatal, long offset, long size, String message) throws IOException {
        fatal = fatal && !readOnly;
        if (signaledCorruption && (!fatal || isCorrupt())) {
            return;
        }
        if (listener != null) {
            listener.corrupted(message, offset, size, fatal);
        }
        if (fatal) {
            dead = true;
            if (header.version >= 3) {
                header.incompatibleFeatures |= INCOMPAT_CORRUPT;
                try {
                    writeIncompatible();
                } catch (IOException ignored) {
                    // the image is unusable anyway
                }
            }
        }
        signaledCorruption = true;
    }

    /** The internal snapshots; null for an image opened in check mode. */
    public Qcow2Snapshots snapshots() {
        return snapshots;
    }

    /** For metadata changes outside the guest write path (snapshots): open, not corrupt, writable. */
    void checkUsableForMetadata() throws IOException {
        checkUsable(true);
    }

    private void checkUsable(boolean write) throws IOException {
        if (closed) {
            throw new IOException("image is closed");
        }
        if (dead) {
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "qcow2: image is corrupt; no further I/O");
        }
        if (write && readOnly) {
            throw new Qcow2Exception(Qcow2Exception.Kind.ACCESS, "Image is read-only");
        }
    }

    // ------------------------------------------------------------------ L2 access

    /** A pinned L2 slice and the index of one entry in it. */
    final class L2Ref implements AutoCloseable {
        final MetadataCache.Entry slice;
        final int idx;
        final long l2Offset;
        final int l2Index;

        L2Ref(MetadataCache.Entry slice, int idx, long l2Offset, int l2Index) {
            this.slice = slice;
            this.idx = idx;
            this.l2Offset = l2Offset;
            this.l2Index = l2Index;
        }

        long entry() {
            return slice.buf.getLong(idx * l2EntryBytes);
        }

        long bitmap() {
            return extL2 ? slice.buf.getLong(idx * l2EntryBytes + 8) : 0;
        }

        void set(long entry, long bitmap) {
            slice.buf.putLong(idx * l2EntryBytes, entry);
            if (extL2) {
                slice.buf.putLong(idx * l2EntryBytes + 8, bitmap);
            }
            l2Cache.markDirty(slice);
        }

        @Override
        public void close() {
            l2Cache.put(slice);
        }
    }

    /** The L2 entry for guest cluster {@code gci}, or null when its L2 table does not exist (and !allocate). */
    L2Ref l2For(long gci, boolean allocate) throws IOException {
        int l1i = (int) (gci >>> (clusterBits - (extL2 ? 4 : 3)));
        int l2i = (int) (gci & (l2Entries - 1));
        if (l1i >= l1.length) {
            throw new Qcow2Exception(Qcow2Exception.Kind.INVALID, "Offset beyond the L1 table");
        }
        long l1e = l1[l1i];
        long l2Off = l1e & L1E_OFFSET_MASK;
        if (l2Off != 0 && (l2Off & (clusterSize - 1)) != 0) {
            signalCorruption(true, -1, -1,
                    CFormat.format("L2 table offset %#x unaligned (L1 index: %#x)", l2Off, l1i));
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "L2 table offset unaligned");
        }
        if (allocate && (l2Off == 0 || (l1e & OFLAG_COPIED) == 0)) {
            l2Off = allocateL2(l1i, l2Off);
        } else if (l2Off == 0) {
            return null;
        }
        int sliceBytes = cacheSizes.l2EntrySize();
        int slice = l2i / sliceEntries;
        MetadataCache.Entry e = l2Cache.get(l2Off + (long) slice * sliceBytes);
        return new L2Ref(e, l2i % sliceEntries, l2Off, l2i);
    }

    private long allocateL2(int l1i, long oldL2) throws IOException {
        long newL2 = refcounts.alloc(clusterSize);
        if ((newL2 & (clusterSize - 1)) != 0 || newL2 == 0) {
            signalCorruption(true, newL2, clusterSize, "Preventing invalid allocation of L2 table at offset " + newL2);
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "invalid L2 allocation");
        }
        refcounts.cache.flush();
        int sliceBytes = cacheSizes.l2EntrySize();
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
        l1[l1i] = newL2 | OFLAG_COPIED;
        writeL1Entry(l1i);
        if (oldL2 != 0) {
            refcounts.free(oldL2, clusterSize);
        }
        return newL2;
    }

    void writeL1Entry(int l1i) throws IOException {
        file.write(l1Offset + 8L * l1i, ByteBuffer.allocate(8).putLong(0, l1[l1i]));
        file.flush();
    }

    // ------------------------------------------------------------------ mapping and reads

    private static boolean isCompressed(long e) {
        return (e & OFLAG_COMPRESSED) != 0;
    }

    /** Host byte offset and length of a compressed cluster's data. */
    long[] compressedRange(long e) {
        long off = e & cOffsetMask;
        long sectors = ((e >>> csizeShift) & csizeMask) + 1;
        long len = sectors * 512 - (off & 511);
        return new long[] {off, len};
    }

    /** How guest bytes from {@code offset} on (at most {@code max}) map, as one run of one kind. */
    public Extent map(long offset, long max) throws IOException {
        checkUsable(false);
        long gci = offset >>> clusterBits;
        int inCl = (int) (offset & (clusterSize - 1));
        long len = Math.min(max, clusterSize - inCl);
        try (L2Ref r = l2For(gci, false)) {
            if (r == null) {
                return new Extent(ExtentType.UNALLOCATED, 0, len, false);
            }
            long e = r.entry();
            Extent x = classify(e, r.bitmap(), inCl, len);
            if (x == null) {
                long host = e & L2E_OFFSET_MASK;
                if (!isCompressed(e) && (host & (clusterSize - 1)) != 0) {
                    signalCorruption(true, -1, -1, CFormat.format(
                            "Cluster allocation offset %#x unaligned (L2 offset: %#x, L2 index: %#x)", host,
                            r.l2Offset, r.l2Index));
                    throw new Qcow2Exception(Qcow2Exception.Kind.IO, "unaligned cluster offset");
                }
                invalidEntry(r);
            }
            return x;
        }
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

    /**
     * The cached L2 slice holding guest cluster {@code gci}'s entry, without any I/O: {@link #NO_L2} when the
     * cluster has no L2 table, null when the slice is not cached or the L1 entry is out of range or unaligned.
     * The entry sits at {@code l2SliceIndex(gci)}. The caller holds the image (no job may run meanwhile).
     */
    MetadataCache.Entry cachedSlice(long gci) {
        int l1i = (int) (gci >>> (clusterBits - (extL2 ? 4 : 3)));
        if (gci < 0 || l1i >= l1.length) {
            return null;
        }
        long l2Off = l1[l1i] & L1E_OFFSET_MASK;
        if (l2Off == 0) {
            return NO_L2;
        }
        if ((l2Off & (clusterSize - 1)) != 0) {
            return null;
        }
        int l2i = (int) (gci & (l2Entries - 1));
        return l2Cache.peek(l2Off + (long) (l2i / sliceEntries) * cacheSizes.l2EntrySize());
    }

    /** Marks "no L2 table" for {@link #cachedSlice}. */
    static final MetadataCache.Entry NO_L2 = new MetadataCache.Entry(-1, 0);

    /** The L2 entry and bitmap of {@code gci} in its slice from {@link #cachedSlice}: {entry, bitmap}. */
    long[] entryIn(MetadataCache.Entry slice, long gci) {
        int idx = (int) (gci & (l2Entries - 1)) % sliceEntries;
        long e = slice.buf.getLong(idx * l2EntryBytes);
        return new long[] {e, extL2 ? slice.buf.getLong(idx * l2EntryBytes + 8) : 0};
    }

    /** Whether requests can run now: open, not stopped by a corruption, and writable if {@code write}. */
    boolean usable(boolean write) {
        return !closed && !dead && !(write && readOnly);
    }

    private void invalidEntry(L2Ref r) throws IOException {
        signalCorruption(true, -1, -1, CFormat.format("Invalid cluster entry found  (L2 offset: %#x, L2 index: %#x)",
                r.l2Offset, r.l2Index));
        throw new Qcow2Exception(Qcow2Exception.Kind.IO, "invalid L2 entry");
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

    /** Reads {@code dst.remaining()} guest bytes from {@code offset}. */
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkUsable(false);
        checkRange(offset, dst.remaining());
        while (dst.hasRemaining()) {
            Extent x = map(offset, dst.remaining());
            int n = (int) x.length();
            ByteBuffer part = dst.slice(dst.position(), n);
            switch (x.type()) {
                case DATA -> file.read(x.host(), part);
                case ZERO -> zero(part);
                case UNALLOCATED -> readBacking(offset, part);
                case COMPRESSED -> {
                    byte[] c = decompressCluster(x.host());
                    part.put(c, (int) (offset & (clusterSize - 1)), n);
                }
                default -> throw new IllegalStateException();
            }
            dst.position(dst.position() + n);
            offset += n;
        }
    }

    private static void zero(ByteBuffer b) {
        if (b.hasArray()) {
            Arrays.fill(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit(), (byte) 0);
            b.position(b.limit());
        } else {
            while (b.remaining() >= 8) {
                b.putLong(0);
            }
            while (b.hasRemaining()) {
                b.put((byte) 0);
            }
        }
    }

    /** Whether the image has a backing right now (the graph can attach or drop one while it is open). */
    private boolean hasBacking() {
        return backing != null && backing.present();
    }

    private void readBacking(long offset, ByteBuffer part) throws IOException {
        if (!hasBacking()) {
            zero(part);
            return;
        }
        long bsize = backing.size();
        int n = part.remaining();
        long inBacking = Math.max(0, Math.min(n, bsize - offset));
        if (inBacking > 0) {
            ByteBuffer b = part.slice(part.position(), (int) inBacking);
            backing.read(offset, b);
        }
        part.position(part.position() + (int) inBacking);
        zero(part);
    }

    byte[] decompressCluster(long e) throws IOException {
        long[] r = compressedRange(e);
        byte[] in = new byte[(int) r[1]];
        file.read(r[0], in, 0, in.length);
        byte[] out = new byte[clusterSize];
        if (!Compression.decompress(header.compressionType, in, in.length, out)) {
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Could not decompress cluster at " + r[0]);
        }
        return out;
    }

    private void checkRange(long offset, long len) throws Qcow2Exception {
        if (offset < 0 || len < 0 || offset + len > header.size) {
            throw new Qcow2Exception(Qcow2Exception.Kind.INVALID, "Request beyond the end of the image");
        }
    }

    /** The guest view of [offset, offset+len) within one cluster, as it is before a write. */
    private void readOld(long offset, byte[] buf, int bufOff, int len) throws IOException {
        read(offset, ByteBuffer.wrap(buf, bufOff, len));
    }

    // ------------------------------------------------------------------ writes

    /** Writes {@code src.remaining()} guest bytes at {@code offset}. */
    public void write(long offset, ByteBuffer src) throws IOException {
        checkUsable(true);
        checkRange(offset, src.remaining());
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
        try (L2Ref r = l2For(gci, false)) {
            if (r != null) {
                long at = inPlaceHost(r.entry(), r.bitmap(), inCl, n);
                if (at >= 0) {
                    file.write(at, data);
                    return;
                }
            }
        }
        if (useLazyRefcounts) {
            markDirty();
        }
        try (L2Ref r = l2For(gci, true)) {
            long e = r.entry();
            long bm = r.bitmap();
            long oldHost = e & L2E_OFFSET_MASK;
            boolean compressed = isCompressed(e);
            if (!compressed && oldHost != 0 && (oldHost & (clusterSize - 1)) != 0) {
                signalCorruption(true, -1, -1, CFormat.format(
                        "Cluster allocation offset %#x unaligned (L2 offset: %#x, L2 index: %#x)", oldHost,
                        r.l2Offset, r.l2Index));
                throw new Qcow2Exception(Qcow2Exception.Kind.IO, "unaligned cluster offset");
            }
            boolean keep = !compressed && oldHost != 0 && (e & OFLAG_COPIED) != 0;
            long host = keep ? oldHost : allocData();
            long newEntry;
            long newBm = 0;
            if (!extL2) {
                byte[] buf = new byte[clusterSize];
                if (inCl > 0) {
                    readOld(clusterStart, buf, 0, inCl);
                }
                data.get(0, buf, inCl, n);
                if (inCl + n < clusterSize) {
                    readOld(clusterStart + inCl + n, buf, inCl + n, clusterSize - inCl - n);
                }
                file.write(host, ByteBuffer.wrap(buf));
                newEntry = host | OFLAG_COPIED;
            } else {
                long touched = touchedMask(inCl, n);
                long oldAlloc = compressed ? L2_BITMAP_ALL_ALLOC : (bm & L2_BITMAP_ALL_ALLOC);
                long oldZero = compressed ? 0 : (bm >>> 32);
                boolean moving = !keep && (compressed || oldHost != 0);
                if (moving) {
                    // copy the whole cluster: every allocated subcluster must come along
                    byte[] buf = new byte[clusterSize];
                    readOld(clusterStart, buf, 0, clusterSize);
                    data.get(0, buf, inCl, n);
                    file.write(host, ByteBuffer.wrap(buf));
                } else {
                    int first = inCl >>> subclusterBits;
                    int last = (inCl + n - 1) >>> subclusterBits;
                    int spanStart = first << subclusterBits;
                    int spanEnd = (last + 1) << subclusterBits;
                    byte[] buf = new byte[spanEnd - spanStart];
                    if (inCl > spanStart) {
                        readOld(clusterStart + spanStart, buf, 0, inCl - spanStart);
                    }
                    data.get(0, buf, inCl - spanStart, n);
                    if (inCl + n < spanEnd) {
                        readOld(clusterStart + inCl + n, buf, inCl + n - spanStart, spanEnd - inCl - n);
                    }
                    file.write(host + spanStart, ByteBuffer.wrap(buf));
                }
                long alloc = oldAlloc | touched;
                long zeros = oldZero & ~touched & ~alloc;
                newBm = alloc | (zeros << 32);
                newEntry = host | OFLAG_COPIED;
            }
            r.set(newEntry, newBm);
            linkDependency();
            if (!keep && (compressed || oldHost != 0)) {
                freeAny(e);
            }
        }
    }

    private long touchedMask(int inCl, int n) {
        int first = inCl >>> subclusterBits;
        int last = (inCl + n - 1) >>> subclusterBits;
        long m = 0;
        for (int i = first; i <= last; i++) {
            m |= 1L << i;
        }
        return m;
    }

    private long allocData() throws IOException {
        long host = refcounts.alloc(clusterSize);
        if (host == 0 || (host & (clusterSize - 1)) != 0 || host < clusterSize) {
            signalCorruption(true, host, clusterSize, "Preventing invalid allocation of data cluster at " + host);
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "invalid allocation");
        }
        if (host < l1Offset + (long) l1.length * 8 && host + clusterSize > l1Offset) {
            signalCorruption(true, host, clusterSize,
                    "Preventing invalid write on metadata (overlaps with active L1 table)");
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "allocation overlaps the L1 table");
        }
        return host;
    }

    /** After an L2 entry got a new reference: the refcounts must be on disk before the L2 table. */
    private void linkDependency() throws IOException {
        if ((header.incompatibleFeatures & INCOMPAT_DIRTY) == 0) {
            l2Cache.setDependency(refcounts.cache);
        }
    }

    /** Drops the reference an old L2 entry held (normal, zero-alloc or compressed). */
    private void freeAny(long e) throws IOException {
        if (isCompressed(e)) {
            long[] r = compressedRange(e);
            long off = r[0] & ~511L;
            long sectors = ((e >>> csizeShift) & csizeMask) + 1;
            refcounts.free(off, sectors * 512);
        } else {
            long host = e & L2E_OFFSET_MASK;
            if (host != 0) {
                refcounts.free(host, clusterSize);
            }
        }
    }

    /**
     * Makes [offset, offset+len) read as zeros. Whole clusters (v3) get the zero flag, subcluster-aligned parts of
     * extended-L2 clusters get zero bits; the rest is written as zeros. With {@code mayUnmap} allocated clusters
     * are released.
     */
    public void writeZeroes(long offset, long len, boolean mayUnmap) throws IOException {
        checkUsable(true);
        checkRange(offset, len);
        long end = offset + len;
        int align = header.version >= 3 ? subclusterSize : Integer.MAX_VALUE;
        while (offset < end) {
            long clusterEnd = ((offset >>> clusterBits) + 1) << clusterBits;
            long chunkEnd = Math.min(end, clusterEnd);
            long aStart = align == Integer.MAX_VALUE ? chunkEnd : roundUp(offset, align);
            long aEnd = align == Integer.MAX_VALUE ? chunkEnd : (chunkEnd == header.size ? chunkEnd
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
            write(offset, ByteBuffer.allocate(n));
            offset += n;
            len -= n;
        }
    }

    /** Zeroes an aligned range inside one cluster through metadata; false if it must be written instead. */
    private boolean zeroInCluster(long start, long end, boolean mayUnmap) throws IOException {
        long gci = start >>> clusterBits;
        boolean whole = (start & (clusterSize - 1)) == 0
                && (end - start == clusterSize || end == header.size);
        if (useLazyRefcounts) {
            markDirty();
        }
        try (L2Ref r = l2For(gci, true)) {
            long e = r.entry();
            long bm = r.bitmap();
            boolean compressed = isCompressed(e);
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
                    freeAny(e);
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
                    freeAny(e);
                }
                return true;
            }
            if (compressed) {
                return false;
            }
            int inCl = (int) (start & (clusterSize - 1));
            long m = touchedMask(inCl, (int) (end - start));
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
    public void discard(long offset, long len) throws IOException {
        checkUsable(true);
        checkRange(offset, len);
        long end = offset + len;
        long start = roundUp(offset, clusterSize);
        long stop = end == header.size ? end : end & ~((long) clusterSize - 1);
        for (long o = start; o < stop; o += clusterSize) {
            long gci = o >>> clusterBits;
            if (o + clusterSize > stop && stop != header.size) {
                break;
            }
            try (L2Ref r0 = l2For(gci, false)) {
                if (r0 == null && !hasBacking()) {
                    continue;
                }
            }
            if (useLazyRefcounts) {
                markDirty();
            }
            try (L2Ref r = l2For(gci, true)) {
                long e = r.entry();
                long bm = r.bitmap();
                boolean allocated = isCompressed(e) || (e & L2E_OFFSET_MASK) != 0;
                long ne;
                long nb = 0;
                if (hasBacking() || allocated) {
                    if (extL2) {
                        ne = 0;
                        nb = L2_BITMAP_ALL_ZEROES;
                    } else {
                        ne = header.version >= 3 ? OFLAG_ZERO : 0;
                    }
                } else {
                    ne = 0;
                }
                if (ne == e && nb == bm) {
                    continue;
                }
                r.set(ne, nb);
                if (allocated) {
                    long host = e & L2E_OFFSET_MASK;
                    freeAny(e);
                    if (discardUnmap && !isCompressed(e) && host != 0 && refcounts.get(host >>> clusterBits) == 0) {
                        file.discard(host, clusterSize);
                    }
                }
            }
        }
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
        if (!dead) {
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
        if (!dead) {
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
            if (!readOnly && !dead) {
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

    /** Grows the L1 table to at least {@code minSize} entries (QEMU's qcow2_grow_l1_table). */
    void growL1(long minSize, boolean exact) throws IOException {
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
        long off = refcounts.alloc(bytes);
        refcounts.cache.flush();
        ByteBuffer b = ByteBuffer.allocate((int) bytes);
        for (long v : nl1) {
            b.putLong(v);
        }
        b.clear();
        file.write(off, b);
        file.flush();
        file.write(36, ByteBuffer.allocate(12).putInt(0, (int) newSize).putLong(4, off));
        file.flush();
        long oldOff = l1Offset;
        long oldBytes = (long) l1.length * 8;
        l1 = nl1;
        l1Offset = off;
        header.l1Size = (int) newSize;
        header.l1TableOffset = off;
        if (oldBytes > 0) {
            refcounts.free(oldOff, oldBytes);
        }
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

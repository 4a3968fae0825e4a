package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Creating a qcow2 image (what {@code blockdev-create} with driver qcow2 and {@code img create} call): QEMU 7.2's
 * validation messages and its layout (header in cluster 0, refcount table in cluster 1, one refcount block in cluster
 * 2, then the L1 table, then with preallocation=metadata each L2 table followed by its data clusters).
 */
public final class Qcow2Create {
    private Qcow2Create() {
    }

    public enum Preallocation {
        OFF, METADATA, FALLOC, FULL;

        public static Preallocation parse(String s) throws Qcow2Exception {
            switch (s) {
                case "off":
                    return OFF;
                case "metadata":
                    return METADATA;
                case "falloc":
                    return FALLOC;
                case "full":
                    return FULL;
                default:
                    throw new Qcow2Exception("Parameter 'preallocation' does not accept value '" + s + "'");
            }
        }

        public String qapiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** BlockdevCreateOptionsQcow2 (null = not given). */
    public static final class Options {
        public long size;
        public Integer version; // 2 or 3
        public Long clusterSize;
        public Long refcountBits;
        public Boolean lazyRefcounts;
        public Preallocation preallocation;
        public String backingFile;
        public String backingFmt;
        public Boolean extendedL2;
        public String compressionType; // "zlib" | "zstd"

        public Options size(long s) {
            this.size = s;
            return this;
        }
    }

    /** Checks the options the way qcow2_co_create does; returns the first error's message, or null. */
    public static String validate(Options o) {
        if (o.size % 512 != 0) {
            return "Image size must be a multiple of 512 bytes";
        }
        int version = o.version == null ? 3 : o.version;
        long cs = o.clusterSize == null ? 65536 : o.clusterSize;
        boolean extL2 = o.extendedL2 != null && o.extendedL2;
        if (extL2 && version < 3) {
            return "Extended L2 entries are only supported with compatibility level 1.1 and above (use version=v3 "
                    + "or greater)";
        }
        if (cs < 512 || cs > (2 << 20) || Long.bitCount(cs) != 1) {
            return "Cluster size must be a power of two between 512 and 2048k";
        }
        if (extL2 && cs < 512 * SUBCLUSTERS) {
            return "Extended L2 entries are only supported with cluster sizes of at least " + 512 * SUBCLUSTERS
                    + " bytes";
        }
        Preallocation p = o.preallocation == null ? Preallocation.OFF : o.preallocation;
        if (o.backingFile != null && p != Preallocation.OFF && !extL2) {
            return "Backing file and preallocation can only be used at the same time if extended_l2 is on";
        }
        if (o.backingFmt != null && o.backingFile == null) {
            return "Backing format cannot be used without backing file";
        }
        if (version < 3 && o.lazyRefcounts != null && o.lazyRefcounts) {
            return "Lazy refcounts only supported with compatibility level 1.1 and above (use version=v3 or greater)";
        }
        long rb = o.refcountBits == null ? 16 : o.refcountBits;
        if (rb > 64 || rb <= 0 || Long.bitCount(rb) != 1) {
            return "Refcount width must be a power of two and may not exceed 64 bits";
        }
        if (version < 3 && rb != 16) {
            return "Different refcount widths than 16 bits require compatibility level 1.1 or above (use version=v3 "
                    + "or greater)";
        }
        if (o.compressionType != null && !o.compressionType.equals("zlib")) {
            if (version < 3) {
                return "Non-zlib compression type is only supported with compatibility level 1.1 and above (use "
                        + "version=v3 or greater)";
            }
            if (!o.compressionType.equals("zstd")) {
                return "Unknown compression type";
            }
        }
        if (o.backingFile != null && o.backingFile.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1023) {
            return "Backing file name too long";
        }
        return null;
    }

    /** Formats {@code file} (emptied first) as a qcow2 image; the file stays open for the caller to close. */
    public static void create(HostFile file, Options o) throws IOException {
        String err = validate(o);
        if (err != null) {
            throw new Qcow2Exception(err);
        }
        int version = o.version == null ? 3 : o.version;
        int cs = (int) (o.clusterSize == null ? 65536 : o.clusterSize);
        int clusterBits = Integer.numberOfTrailingZeros(cs);
        int refcountOrder = Long.numberOfTrailingZeros(o.refcountBits == null ? 16 : o.refcountBits);
        boolean extL2 = o.extendedL2 != null && o.extendedL2;
        boolean zstd = "zstd".equals(o.compressionType);
        Preallocation prealloc = o.preallocation == null ? Preallocation.OFF : o.preallocation;

        file.truncate(0);
        Qcow2Header h = new Qcow2Header();
        h.version = version;
        h.clusterBits = clusterBits;
        h.size = 0;
        h.refcountTableOffset = cs;
        h.refcountTableClusters = 1;
        h.refcountOrder = refcountOrder;
        if (extL2) {
            h.incompatibleFeatures |= INCOMPAT_EXTL2;
        }
        if (zstd) {
            h.incompatibleFeatures |= INCOMPAT_COMPRESSION;
            h.compressionType = COMPRESSION_ZSTD;
        }
        if (o.lazyRefcounts != null && o.lazyRefcounts) {
            h.compatibleFeatures |= COMPAT_LAZY_REFCOUNTS;
        }
        // first a bare header, then a refcount table with one block, as QEMU writes them
        Qcow2Header bare = new Qcow2Header();
        bare.version = 3;
        bare.clusterBits = clusterBits;
        bare.refcountTableOffset = cs;
        bare.refcountTableClusters = 1;
        bare.refcountOrder = refcountOrder;
        bare.incompatibleFeatures = h.incompatibleFeatures;
        bare.compatibleFeatures = h.compatibleFeatures;
        bare.compressionType = h.compressionType;
        byte[] c0 = bareHeader(bare, cs);
        file.write(0, ByteBuffer.wrap(c0));
        ByteBuffer rt = ByteBuffer.allocate(2 * cs);
        rt.putLong(0, 2L * cs);
        file.write(cs, rt);

        // write the real header after taking the first three clusters
        file.write(0, ByteBuffer.wrap(h.encode(cs)));
        Qcow2Image.Options io = new Qcow2Image.Options();
        io.lazyRefcounts = false;
        Qcow2Image img = Qcow2Image.open(BorrowedHostFile.of(file), io);
        try {
            long first = img.refcounts.alloc(3L * cs);
            if (first != 0) {
                throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Could not allocate clusters for qcow2 header and "
                        + "refcount table");
            }
            img.rewriteHeader();
            // give the image its size
            int l2Bits = clusterBits - (extL2 ? 4 : 3);
            img.growL1(Qcow2Image.sizeToL1(o.size, clusterBits, l2Bits), true);
            if (prealloc != Preallocation.OFF && o.size > 0) {
                preallocate(img, o.size, prealloc);
            }
            file.write(24, ByteBuffer.allocate(8).putLong(0, o.size));
            img.setVirtualSizeInternal(o.size);
            if (o.backingFile != null) {
                img.header.backingFile = o.backingFile;
                img.header.backingFormat = o.backingFmt;
                img.rewriteHeader();
            }
        } finally {
            img.close();
        }
        file.flush();
    }

    private static byte[] bareHeader(Qcow2Header h, int cs) throws Qcow2Exception {
        byte[] full = h.encode(cs);
        // the bare header has no extensions: clear everything after header_length
        java.util.Arrays.fill(full, V3_HEADER_LENGTH, full.length, (byte) 0);
        return full;
    }

    private static void preallocate(Qcow2Image img, long size, Preallocation mode) throws IOException {
        int cs = img.clusterSize;
        long offset = 0;
        long lastHost = 0;
        long lastBytes = 0;
        while (offset < size) {
            long gci = offset >>> img.clusterBits;
            int l2i = (int) (gci & (img.l2Entries - 1));
            long n = Math.min(img.sliceEntries - (l2i % img.sliceEntries), (size - offset + cs - 1) / cs);
            try (L2Ref r = img.l2For(gci, true)) {
                // make sure the slice is the one we hold for all n entries
            }
            long host = img.refcounts.alloc(n * cs);
            for (long k = 0; k < n; k++) {
                try (L2Ref r = img.l2For(gci + k, true)) {
                    r.set((host + k * cs) | OFLAG_COPIED, r.bitmap());
                }
            }
            img.l2Cache.setDependency(img.refcounts.cache);
            lastHost = host;
            lastBytes = Math.min(n * cs, size - offset);
            offset += n * cs;
        }
        img.flushCaches();
        long end = lastHost + lastBytes;
        HostFile f = img.file;
        if (mode == Preallocation.FULL) {
            // write real zeros into every data cluster
            long o = 0;
            while (o < size) {
                Qcow2Image.Extent x = img.map(o, size - o);
                if (x.type() == Qcow2Image.ExtentType.DATA) {
                    f.write(x.host(), ByteBuffer.allocate((int) x.length()));
                }
                o += x.length();
            }
        }
        if (end > f.length()) {
            f.truncate(end);
        }
    }
}

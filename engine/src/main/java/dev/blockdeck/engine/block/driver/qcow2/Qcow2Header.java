package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header in cluster 0: fixed fields, additional v3 fields (unknown trailing ones kept as bytes), header
 * extensions (unknown ones kept in order) and the backing file name. {@link #encode(int)} lays cluster 0 out the way
 * QEMU 7.2's header update does.
 */
public final class Qcow2Header {
    public int version;
    public long backingFileOffset;
    public int backingFileSize;
    public int clusterBits;
    public long size;
    public int cryptMethod;
    public int l1Size;
    public long l1TableOffset;
    public long refcountTableOffset;
    public int refcountTableClusters;
    public int nbSnapshots;
    public long snapshotsOffset;
    public long incompatibleFeatures;
    public long compatibleFeatures;
    public long autoclearFeatures;
    public int refcountOrder = 4;
    public int headerLength;
    public int compressionType;
    /** Header bytes past the fields we know (header_length beyond 112), preserved. */
    public byte[] unknownHeaderFields = new byte[0];

    public String backingFile;
    public String backingFormat;
    public String dataFile;
    /** Raw feature-name-table entries found in the image (48 bytes each), for messages only. */
    public byte[] featureTable;
    /** Bitmaps extension payload (24 bytes), preserved as is. */
    public byte[] bitmapsExt;
    /** Crypto header extension payload, preserved as is. */
    public byte[] cryptoExt;
    /** Extensions we do not know, in file order. */
    public final List<Extension> unknownExtensions = new ArrayList<>();

    /** An unknown header extension, kept to be written back unchanged. */
    public record Extension(int type, byte[] data) {
    }

    public int clusterSize() {
        return 1 << clusterBits;
    }

    public boolean extendedL2() {
        return (incompatibleFeatures & INCOMPAT_EXTL2) != 0;
    }

    /** Reads and validates the header the way QEMU's open does, up to (not including) the table checks. */
    public static Qcow2Header read(HostFile file) throws IOException {
        byte[] fixed = new byte[V3_HEADER_LENGTH];
        file.read(0, fixed, 0, fixed.length);
        ByteBuffer b = ByteBuffer.wrap(fixed);
        Qcow2Header h = new Qcow2Header();
        if (b.getInt(0) != MAGIC) {
            throw new Qcow2Exception(Qcow2Exception.Kind.INVALID, "Image is not in qcow2 format");
        }
        h.version = b.getInt(4);
        if (h.version < 2 || h.version > 3) {
            throw new Qcow2Exception(Qcow2Exception.Kind.UNSUPPORTED,
                    "Unsupported qcow2 version " + Integer.toUnsignedString(h.version));
        }
        h.backingFileOffset = b.getLong(8);
        h.backingFileSize = b.getInt(16);
        h.clusterBits = b.getInt(20);
        h.size = b.getLong(24);
        h.cryptMethod = b.getInt(32);
        h.l1Size = b.getInt(36);
        h.l1TableOffset = b.getLong(40);
        h.refcountTableOffset = b.getLong(48);
        h.refcountTableClusters = b.getInt(56);
        h.nbSnapshots = b.getInt(60);
        h.snapshotsOffset = b.getLong(64);
        if (h.clusterBits < MIN_CLUSTER_BITS || h.clusterBits > MAX_CLUSTER_BITS) {
            throw new Qcow2Exception("Unsupported cluster size: 2^" + Integer.toUnsignedString(h.clusterBits));
        }
        int clusterSize = 1 << h.clusterBits;
        if (h.version == 2) {
            h.refcountOrder = 4;
            h.headerLength = V2_HEADER_LENGTH;
        } else {
            h.incompatibleFeatures = b.getLong(72);
            h.compatibleFeatures = b.getLong(80);
            h.autoclearFeatures = b.getLong(88);
            h.refcountOrder = b.getInt(96);
            h.headerLength = b.getInt(100);
            if (Integer.compareUnsigned(h.headerLength, 104) < 0) {
                throw new Qcow2Exception("qcow2 header too short");
            }
        }
        if (Integer.compareUnsigned(h.headerLength, clusterSize) > 0) {
            throw new Qcow2Exception("qcow2 header exceeds cluster size");
        }
        byte[] c0 = new byte[clusterSize];
        file.read(0, c0, 0, clusterSize);
        ByteBuffer cb = ByteBuffer.wrap(c0);
        if (h.headerLength > V3_HEADER_LENGTH) {
            h.unknownHeaderFields = new byte[h.headerLength - V3_HEADER_LENGTH];
            System.arraycopy(c0, V3_HEADER_LENGTH, h.unknownHeaderFields, 0, h.unknownHeaderFields.length);
        }
        if (Long.compareUnsigned(h.backingFileOffset, clusterSize) > 0) {
            throw new Qcow2Exception("Invalid backing file offset");
        }
        long extEnd = h.backingFileOffset != 0 ? h.backingFileOffset : clusterSize;
        h.compressionType = h.headerLength > 104 ? (c0[104] & 0xff) : COMPRESSION_ZLIB;
        if (h.compressionType != COMPRESSION_ZLIB && h.compressionType != COMPRESSION_ZSTD) {
            throw new Qcow2Exception(Qcow2Exception.Kind.UNSUPPORTED,
                    "qcow2: unknown compression type: " + h.compressionType);
        }
        if (h.compressionType == COMPRESSION_ZLIB && (h.incompatibleFeatures & INCOMPAT_COMPRESSION) != 0) {
            throw new Qcow2Exception("qcow2: Compression type incompatible feature bit must not be set");
        }
        if (h.compressionType != COMPRESSION_ZLIB && (h.incompatibleFeatures & INCOMPAT_COMPRESSION) == 0) {
            throw new Qcow2Exception("qcow2: Compression type incompatible feature bit must be set");
        }
        String extError = h.readExtensions(cb, h.headerLength, extEnd);
        long unknown = h.incompatibleFeatures & ~INCOMPAT_MASK;
        if (unknown != 0) {
            throw new Qcow2Exception(Qcow2Exception.Kind.UNSUPPORTED,
                    "Unsupported qcow2 feature(s): " + h.describeIncompatible(unknown));
        }
        if (extError != null) {
            throw new Qcow2Exception(extError);
        }
        if (h.backingFileOffset != 0) {
            long len = Integer.toUnsignedLong(h.backingFileSize);
            if (len > Math.min(MAX_BACKING_NAME, clusterSize - h.backingFileOffset) || len >= 1024) {
                throw new Qcow2Exception("Backing file name too long");
            }
            h.backingFile = new String(c0, (int) h.backingFileOffset, (int) len, StandardCharsets.UTF_8);
        }
        return h;
    }

    private String readExtensions(ByteBuffer c0, long start, long end) {
        long off = start;
        while (off < end) {
            if (off + 8 > c0.capacity()) {
                return "Header extension too large";
            }
            int type = c0.getInt((int) off);
            long len = Integer.toUnsignedLong(c0.getInt((int) off + 4));
            off += 8;
            if (off > end || len > end - off) {
                return "Header extension too large";
            }
            byte[] data = new byte[(int) len];
            c0.get((int) off, data);
            switch (type) {
                case EXT_END:
                    return null;
                case EXT_BACKING_FORMAT:
                    if (len >= 16) {
                        return "ERROR: ext_backing_format: len=" + len + " too large (>=16)";
                    }
                    backingFormat = new String(data, StandardCharsets.UTF_8);
                    break;
                case EXT_FEATURE_TABLE:
                    featureTable = data;
                    break;
                case EXT_CRYPTO_HEADER:
                    cryptoExt = data;
                    break;
                case EXT_BITMAPS:
                    bitmapsExt = data;
                    break;
                case EXT_DATA_FILE:
                    dataFile = new String(data, StandardCharsets.UTF_8);
                    break;
                default:
                    unknownExtensions.add(new Extension(type, data));
            }
            off += (len + 7) & ~7L;
        }
        return null;
    }

    /** QEMU's wording for unsupported incompatible bits: names from the image's table, then the rest in hex. */
    String describeIncompatible(long mask) {
        StringBuilder sb = new StringBuilder();
        if (featureTable != null) {
            for (int p = 0; p + 48 <= featureTable.length; p += 48) {
                if (featureTable[p + 2] == 0) {
                    break;
                }
                int type = featureTable[p] & 0xff;
                int bit = featureTable[p + 1] & 0xff;
                if (type == 0 && bit < 64 && (mask & (1L << bit)) != 0) {
                    int n = 0;
                    while (n < 46 && featureTable[p + 2 + n] != 0) {
                        n++;
                    }
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(new String(featureTable, p + 2, n, StandardCharsets.UTF_8));
                    mask &= ~(1L << bit);
                }
            }
        }
        if (mask != 0) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append("Unknown incompatible feature: ").append(Long.toHexString(mask));
        }
        return sb.toString();
    }

    /**
     * Cluster 0 as QEMU writes it: fields, unknown fields, backing format, data file, crypto, feature table (v3),
     * bitmaps, unknown extensions, end marker, backing file name. Sets header_length and the backing name fields.
     */
    public byte[] encode(int clusterSize) throws Qcow2Exception {
        ByteBuffer b = ByteBuffer.allocate(clusterSize);
        int fixedLen = version == 2 ? V2_HEADER_LENGTH : V3_HEADER_LENGTH;
        headerLength = version == 2 ? V2_HEADER_LENGTH : V3_HEADER_LENGTH + unknownHeaderFields.length;
        b.putInt(0, MAGIC);
        b.putInt(4, version);
        b.putInt(20, clusterBits);
        b.putLong(24, size);
        b.putInt(32, cryptMethod);
        b.putInt(36, l1Size);
        b.putLong(40, l1TableOffset);
        b.putLong(48, refcountTableOffset);
        b.putInt(56, refcountTableClusters);
        b.putInt(60, nbSnapshots);
        b.putLong(64, snapshotsOffset);
        if (version >= 3) {
            b.putLong(72, incompatibleFeatures);
            b.putLong(80, compatibleFeatures);
            b.putLong(88, autoclearFeatures);
            b.putInt(96, refcountOrder);
            b.putInt(100, headerLength);
            b.put(104, (byte) compressionType);
            b.put(fixedLen, unknownHeaderFields);
        }
        int p = headerLength;
        try {
            if (backingFormat != null) {
                p = putExt(b, p, EXT_BACKING_FORMAT, backingFormat.getBytes(StandardCharsets.UTF_8));
            }
            if (dataFile != null) {
                p = putExt(b, p, EXT_DATA_FILE, dataFile.getBytes(StandardCharsets.UTF_8));
            }
            if (cryptoExt != null) {
                p = putExt(b, p, EXT_CRYPTO_HEADER, cryptoExt);
            }
            // QEMU omits the name table for clusters of 4 KiB and less (room for the backing name)
            if (version >= 3 && clusterSize > 4096) {
                byte[] table = new byte[48 * FEATURE_NAMES.length];
                for (int i = 0; i < FEATURE_NAMES.length; i++) {
                    table[48 * i] = (byte) (int) (Integer) FEATURE_NAMES[i][0];
                    table[48 * i + 1] = (byte) (int) (Integer) FEATURE_NAMES[i][1];
                    byte[] name = ((String) FEATURE_NAMES[i][2]).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(name, 0, table, 48 * i + 2, name.length);
                }
                p = putExt(b, p, EXT_FEATURE_TABLE, table);
            }
            if (bitmapsExt != null) {
                p = putExt(b, p, EXT_BITMAPS, bitmapsExt);
            }
            for (Extension e : unknownExtensions) {
                p = putExt(b, p, e.type(), e.data());
            }
            p = putExt(b, p, EXT_END, new byte[0]);
            if (backingFile != null) {
                byte[] name = backingFile.getBytes(StandardCharsets.UTF_8);
                if (p + name.length > clusterSize) {
                    throw new Qcow2Exception("Cannot fit the header extensions and the backing file name in cluster 0");
                }
                b.put(p, name);
                backingFileOffset = p;
                backingFileSize = name.length;
            } else {
                backingFileOffset = 0;
                backingFileSize = 0;
            }
        } catch (IndexOutOfBoundsException e) {
            throw new Qcow2Exception(Qcow2Exception.Kind.NO_SPACE, "Header extensions do not fit in cluster 0");
        }
        b.putLong(8, backingFileOffset);
        b.putInt(16, backingFileSize);
        return b.array();
    }

    private static int putExt(ByteBuffer b, int p, int type, byte[] data) {
        b.putInt(p, type);
        b.putInt(p + 4, data.length);
        b.put(p + 8, data);
        return p + 8 + ((data.length + 7) & ~7);
    }
}

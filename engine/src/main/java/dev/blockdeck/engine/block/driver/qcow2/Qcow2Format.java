package dev.blockdeck.engine.block.driver.qcow2;

/** On-disk constants of qcow2 (docs/interop/qcow2.txt): magic, feature bits, entry masks, limits. */
public final class Qcow2Format {
    private Qcow2Format() {
    }

    public static final int MAGIC = 0x514649fb;
    public static final int V2_HEADER_LENGTH = 72;
    /** What QEMU 7.2 writes for v3: the 104 fixed bytes, the compression type byte, padding to 8. */
    public static final int V3_HEADER_LENGTH = 112;

    public static final int MIN_CLUSTER_BITS = 9;
    public static final int MAX_CLUSTER_BITS = 21;

    // incompatible features
    public static final long INCOMPAT_DIRTY = 1L;
    public static final long INCOMPAT_CORRUPT = 1L << 1;
    public static final long INCOMPAT_DATA_FILE = 1L << 2;
    public static final long INCOMPAT_COMPRESSION = 1L << 3;
    public static final long INCOMPAT_EXTL2 = 1L << 4;
    public static final long INCOMPAT_MASK = 0x1fL;
    // compatible features
    public static final long COMPAT_LAZY_REFCOUNTS = 1L;
    // autoclear features
    public static final long AUTOCLEAR_BITMAPS = 1L;
    public static final long AUTOCLEAR_DATA_FILE_RAW = 1L << 1;
    public static final long AUTOCLEAR_MASK = 0x3L;

    // header extensions
    public static final int EXT_END = 0;
    public static final int EXT_BACKING_FORMAT = 0xe2792aca;
    public static final int EXT_FEATURE_TABLE = 0x6803f857;
    public static final int EXT_CRYPTO_HEADER = 0x0537be77;
    public static final int EXT_BITMAPS = 0x23852875;
    public static final int EXT_DATA_FILE = 0x44415441;

    public static final int CRYPT_NONE = 0;
    public static final int CRYPT_AES = 1;
    public static final int CRYPT_LUKS = 2;

    public static final int COMPRESSION_ZLIB = 0;
    public static final int COMPRESSION_ZSTD = 1;

    // L1 / L2 / reftable entries
    public static final long OFLAG_COPIED = 1L << 63;
    public static final long OFLAG_COMPRESSED = 1L << 62;
    public static final long OFLAG_ZERO = 1L;
    public static final long L1E_OFFSET_MASK = 0x00fffffffffffe00L;
    public static final long L1E_RESERVED_MASK = 0x7f000000000001ffL;
    public static final long L2E_OFFSET_MASK = 0x00fffffffffffe00L;
    public static final long L2E_STD_RESERVED_MASK = 0x3f000000000001feL;
    public static final long REFT_OFFSET_MASK = 0xfffffffffffffe00L;
    public static final long REFT_RESERVED_MASK = 0x1ffL;

    public static final int SUBCLUSTERS = 32;
    public static final long L2_BITMAP_ALL_ALLOC = 0xffffffffL;
    public static final long L2_BITMAP_ALL_ZEROES = 0xffffffffL << 32;

    public static final long MAX_L1_BYTES = 32L << 20;
    public static final long MAX_REFTABLE_BYTES = 8L << 20;
    public static final long MAX_HOST_OFFSET = (1L << 56) - 1;
    public static final int MAX_SNAPSHOTS = 65536;
    public static final int MAX_BACKING_NAME = 1023;

    /** The 8 names QEMU 7.2 writes in the feature name table, as {type, bit, name}. */
    public static final Object[][] FEATURE_NAMES = {
        {0, 0, "dirty bit"},
        {0, 1, "corrupt bit"},
        {0, 2, "external data file"},
        {0, 3, "compression type"},
        {0, 4, "extended L2 entries"},
        {1, 0, "lazy refcounts"},
        {2, 0, "bitmaps"},
        {2, 1, "raw external data"},
    };
}

package dev.blockdeck.engine.block.driver.qcow2.bitmap;

/** Constants of the qcow2 bitmaps extension and QEMU 7.2's limits on it (docs/interop/qcow2.txt, qcow2.h). */
final class BitmapFormat {
    static final int MAX_BITMAPS = 65535;
    static final long MAX_DIRECTORY_SIZE = 1024L * MAX_BITMAPS;
    static final long MAX_TABLE_SIZE = 0x8000000L;
    static final long MAX_PHYS_SIZE = 0x20000000L;
    static final int MAX_GRANULARITY_BITS = 31;
    static final int MIN_GRANULARITY_BITS = 9;
    static final int MAX_NAME_SIZE = 1023;

    static final int FLAG_IN_USE = 1;
    static final int FLAG_AUTO = 1 << 1;
    static final int RESERVED_FLAGS = 0xfffffffc;
    static final int TYPE_DIRTY_TRACKING = 1;

    static final long ENTRY_RESERVED_MASK = 0xff000000000001feL;
    static final long ENTRY_OFFSET_MASK = 0x00fffffffffffe00L;
    static final long ENTRY_ALL_ONES = 1L;

    /** A directory entry's fixed part. */
    static final int ENTRY_HEADER = 24;

    private BitmapFormat() {
    }

    /** Bytes a directory entry takes: fixed part, extra data and name, padded to 8. */
    static long entrySize(long nameSize, long extraSize) {
        return (ENTRY_HEADER + nameSize + extraSize + 7) & ~7L;
    }
}

package dev.blockdeck.engine.block.driver.qcow2.bitmap;

import static dev.blockdeck.engine.block.driver.qcow2.bitmap.BitmapFormat.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One entry of the bitmap directory: where the bitmap table is, its flags ({@code in_use}, {@code auto}),
 * granularity and name.
 */
public record BitmapDirEntry(long tableOffset, long tableSize, int flags, int type, int granularityBits,
        String name, int extraDataSize) {

    public boolean inUse() {
        return (flags & FLAG_IN_USE) != 0;
    }

    public boolean auto() {
        return (flags & FLAG_AUTO) != 0;
    }

    public long granularity() {
        return 1L << granularityBits;
    }

    BitmapDirEntry withFlags(int f) {
        return new BitmapDirEntry(tableOffset, tableSize, f, type, granularityBits, name, extraDataSize);
    }

    BitmapDirEntry withTable(long offset, long size) {
        return new BitmapDirEntry(offset, size, flags, type, granularityBits, name, extraDataSize);
    }

    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    long size() {
        return entrySize(nameBytes().length, extraDataSize);
    }

    /**
     * QEMU's check_dir_entry for an image of {@code virtualSize} bytes: a valid table, granularity, flags, name
     * and type; a consistent bitmap's table must cover the whole image.
     */
    boolean satisfiesConstraints(int clusterSize, long virtualSize) {
        boolean fail = tableSize == 0 || tableOffset == 0 || tableOffset % clusterSize != 0
                || tableSize > MAX_TABLE_SIZE || granularityBits > MAX_GRANULARITY_BITS
                || granularityBits < MIN_GRANULARITY_BITS || (flags & RESERVED_FLAGS) != 0
                || nameBytes().length > MAX_NAME_SIZE || type != TYPE_DIRTY_TRACKING;
        if (fail) {
            return false;
        }
        long phys = tableSize * clusterSize;
        if (phys > MAX_PHYS_SIZE) {
            return false;
        }
        // bits the table can hold times granularity must reach the end of the image (unless in use)
        return inUse() || Long.compareUnsigned(virtualSize, (phys * 8) << granularityBits) <= 0;
    }

    /** Writes the entry at the buffer's position, padded to 8 bytes. */
    void encode(ByteBuffer b) {
        byte[] n = nameBytes();
        int start = b.position();
        b.putLong(tableOffset).putInt((int) tableSize).putInt(flags).put((byte) type).put((byte) granularityBits)
                .putShort((short) n.length).putInt(extraDataSize);
        b.position(b.position() + extraDataSize);
        b.put(n);
        b.position(start + (int) size());
    }
}

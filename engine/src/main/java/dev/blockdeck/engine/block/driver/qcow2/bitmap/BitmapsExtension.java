package dev.blockdeck.engine.block.driver.qcow2.bitmap;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.AUTOCLEAR_BITMAPS;
import static dev.blockdeck.engine.block.driver.qcow2.bitmap.BitmapFormat.*;

import java.nio.ByteBuffer;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Header;

/**
 * The bitmaps header extension: how many bitmaps, and where the directory is. It counts only while the
 * header's {@code bitmaps} autoclear bit is set; a program that wrote the image without maintaining bitmaps
 * cleared it.
 */
record BitmapsExtension(int nbBitmaps, long directorySize, long directoryOffset) {
    static final BitmapsExtension NONE = new BitmapsExtension(0, 0, 0);

    /** The extension as QEMU reads it at open (qcow2_read_extensions), or {@link #NONE}. */
    static BitmapsExtension of(Qcow2Header h) throws Qcow2Exception {
        if (h.bitmapsExt == null || (h.autoclearFeatures & AUTOCLEAR_BITMAPS) == 0) {
            return NONE;
        }
        if (h.bitmapsExt.length != 24) {
            throw new Qcow2Exception("bitmaps_ext: Invalid extension length");
        }
        ByteBuffer b = ByteBuffer.wrap(h.bitmapsExt);
        long nb = Integer.toUnsignedLong(b.getInt(0));
        if (b.getInt(4) != 0) {
            throw new Qcow2Exception("bitmaps_ext: reserved32 is not zero");
        }
        long size = b.getLong(8);
        long offset = b.getLong(16);
        if (nb > MAX_BITMAPS) {
            throw new Qcow2Exception("bitmaps_ext: Image has " + nb
                    + " bitmaps, exceeding the QEMU supported maximum of " + MAX_BITMAPS);
        }
        if (nb == 0) {
            throw new Qcow2Exception("found bitmaps extension with zero bitmaps");
        }
        if ((offset & (h.clusterSize() - 1)) != 0) {
            throw new Qcow2Exception("bitmaps_ext: invalid bitmap directory offset");
        }
        if (Long.compareUnsigned(size, MAX_DIRECTORY_SIZE) > 0) {
            throw new Qcow2Exception("bitmaps_ext: bitmap directory size (" + Long.toUnsignedString(size)
                    + ") exceeds the maximum supported size (" + MAX_DIRECTORY_SIZE + ")");
        }
        return new BitmapsExtension((int) nb, size, offset);
    }

    /** Puts this extension into the header (removing it when there are no bitmaps) and sets the autoclear bit. */
    void applyTo(Qcow2Header h) {
        if (nbBitmaps == 0) {
            h.bitmapsExt = null;
            h.autoclearFeatures &= ~AUTOCLEAR_BITMAPS;
            return;
        }
        h.bitmapsExt = ByteBuffer.allocate(24).putInt(nbBitmaps).putInt(0).putLong(directorySize)
                .putLong(directoryOffset).array();
        h.autoclearFeatures |= AUTOCLEAR_BITMAPS;
    }
}

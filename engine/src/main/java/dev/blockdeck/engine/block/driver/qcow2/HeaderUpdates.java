package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes of an open image's header: the whole of cluster 0 (QEMU's qcow2_update_header), and the feature bits
 * alone for the dirty and corrupt flags (qcow2_mark_dirty / mark_clean / mark_consistent).
 */
final class HeaderUpdates {
    private final Qcow2Image img;

    HeaderUpdates(Qcow2Image img) {
        this.img = img;
    }

    /** Rewrites cluster 0 from the image's header. */
    void rewriteHeader() throws IOException {
        byte[] c0 = img.header.encode(img.clusterSize);
        img.file.write(0, ByteBuffer.wrap(c0));
        img.file.flush();
    }

    /** Writes the incompatible-features field alone (8 bytes at offset 72). */
    void writeIncompatible() throws IOException {
        img.file.write(72, ByteBuffer.allocate(8).putLong(0, img.header.incompatibleFeatures));
        img.file.flush();
    }

    void markDirty() throws IOException {
        if ((img.header.incompatibleFeatures & INCOMPAT_DIRTY) == 0) {
            img.header.incompatibleFeatures |= INCOMPAT_DIRTY;
            writeIncompatible();
        }
    }

    /** Flushes everything and clears the dirty bit. */
    void markClean() throws IOException {
        if ((img.header.incompatibleFeatures & INCOMPAT_DIRTY) != 0) {
            img.flushCaches();
            img.file.flush();
            img.header.incompatibleFeatures &= ~INCOMPAT_DIRTY;
            rewriteHeader();
        }
    }

    void markConsistent() throws IOException {
        if ((img.header.incompatibleFeatures & INCOMPAT_CORRUPT) != 0) {
            img.header.incompatibleFeatures &= ~INCOMPAT_CORRUPT;
            rewriteHeader();
        }
    }
}

package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;

/**
 * The metadata operations of an open {@link Qcow2Image} that code keeping other structures in the image (the
 * bitmaps extension) needs: cluster allocation and release through the image's refcounts, flushing the metadata
 * caches, rewriting the header. Same thread rules as the image: one call at a time, from its owner.
 */
public final class Qcow2MetadataAccess {
    private final Qcow2Image img;

    public Qcow2MetadataAccess(Qcow2Image img) {
        this.img = img;
    }

    public Qcow2Image image() {
        return img;
    }

    /** Allocates {@code bytes} rounded up to whole clusters, in a row, with refcount 1; returns the offset. */
    public long allocate(long bytes) throws IOException {
        return img.refcounts.alloc(bytes);
    }

    /** Drops the reference on every cluster of {@code [offset, offset + length)}. */
    public void free(long offset, long length) throws IOException {
        img.refcounts.free(offset, length);
    }

    /** The refcount of the cluster at {@code offset}. */
    public long refcount(long offset) throws IOException {
        return img.refcounts.get(offset >>> img.clusterBits);
    }

    /** Writes the cached L2 and refcount tables and flushes the file (QEMU's qcow2_flush_caches). */
    public void flushMetadata() throws IOException {
        img.flushCaches();
        img.file.flush();
    }

    /** Rewrites cluster 0 from {@link Qcow2Image#header()} and flushes (QEMU's qcow2_update_header + flush). */
    public void writeHeader() throws IOException {
        img.rewriteHeader();
    }
}

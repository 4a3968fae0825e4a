package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What an image reads through to for clusters it does not allocate: the backing node (any format, any chain
 * length; a qcow2 core is itself one through {@link Qcow2Image#asBackingReader()}).
 */
public interface BackingReader {
    /** Whether there is a backing at the moment (a graph node may have its backing attached or dropped). */
    default boolean present() {
        return true;
    }

    /** The backing image's virtual size; guest bytes at or past it read as zero. */
    long size() throws IOException;

    /** Fills {@code dst} with guest data from {@code offset}; the core never asks past {@link #size()}. */
    void read(long offset, ByteBuffer dst) throws IOException;
}

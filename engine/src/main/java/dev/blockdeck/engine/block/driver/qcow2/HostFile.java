package dev.blockdeck.engine.block.driver.qcow2;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The file a qcow2 image lives in (the node's {@code file} child once the core is a block driver).
 * Positional, no shared position; reads past the end of the file return zeros, as QEMU's file driver does.
 */
public interface HostFile extends Closeable {
    /** Fills {@code dst} from {@code pos} on; bytes past the end of the file read as zero. */
    void read(long pos, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src} at {@code pos}, growing the file if needed. */
    void write(long pos, ByteBuffer src) throws IOException;

    /** Makes every completed write durable. */
    void flush() throws IOException;

    long length() throws IOException;

    /** Sets the file's length (grows with zeros or cuts). */
    void truncate(long size) throws IOException;

    /** Hint that a byte range holds no data any more; may do nothing. */
    default void discard(long pos, long len) throws IOException {
    }

    /** Bytes the file occupies on its storage (QEMU's "disk size"), or -1 if unknown. */
    default long allocatedSize() throws IOException {
        return -1;
    }

    default void read(long pos, byte[] b, int off, int len) throws IOException {
        read(pos, ByteBuffer.wrap(b, off, len));
    }

    default void write(long pos, byte[] b, int off, int len) throws IOException {
        write(pos, ByteBuffer.wrap(b, off, len));
    }

    @Override
    void close() throws IOException;
}

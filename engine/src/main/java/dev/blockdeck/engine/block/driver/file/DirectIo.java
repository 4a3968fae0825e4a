package dev.blockdeck.engine.block.driver.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional I/O on a file node's channel, buffered or O_DIRECT, and the aligned buffers O_DIRECT needs. */
final class DirectIo {
    /** Bounce buffers up to this size are the worker thread's own, kept between requests. */
    private static final int POOLED = 256 << 10;
    private static final ThreadLocal<ByteBuffer> BOUNCE = new ThreadLocal<>();

    private DirectIo() {
    }

    /** Whether O_DIRECT can take {@code buf} as it is: offset, length and memory all aligned. */
    static boolean isAligned(long offset, ByteBuffer buf, int align) {
        return offset % align == 0 && buf.remaining() % align == 0 && buf.isDirect()
                && buf.alignmentOffset(buf.position(), align) == 0;
    }

    /** Fills {@code buf} from {@code offset}; past the end of the file reads as zeroes. */
    static void readFully(FileChannel ch, long offset, ByteBuffer buf, boolean direct) throws IOException {
        long pos = offset;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0 || (direct && buf.hasRemaining())) {
                // a short O_DIRECT read is the end of the file: reading on from there, unaligned, would fail
                while (buf.hasRemaining()) {
                    buf.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    static void writeFully(FileChannel ch, long offset, ByteBuffer buf) throws IOException {
        long pos = offset;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /**
     * An aligned buffer of {@code size} bytes for O_DIRECT: the calling thread's own up to {@link #POOLED} bytes,
     * since a direct buffer per request costs an allocation, zeroing and a cleaner each time. A worker runs one
     * request at a time, so its buffer is free whenever it asks; the caller is done with it before it returns.
     */
    static ByteBuffer bounce(int size, int align) {
        if (size > POOLED) {
            return ByteBuffer.allocateDirect(size + align).alignedSlice(align).limit(size);
        }
        ByteBuffer b = BOUNCE.get();
        if (b == null || b.alignmentOffset(0, align) != 0) {
            b = ByteBuffer.allocateDirect(POOLED + align).alignedSlice(align);
            BOUNCE.set(b);
        }
        return b.clear().limit(size);
    }
}

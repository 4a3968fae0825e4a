package dev.blockdeck.engine.block.driver.blkdebug;

import java.util.ArrayList;
import java.util.List;

/**
 * How QEMU's generic block layer cuts a request into driver calls under a node's limits (bdrv_aligned_preadv/
 * pwritev, bdrv_co_do_pwrite_zeroes, bdrv_co_pdiscard). This engine's block layer has no per-node limits, so
 * blkdebug, the one driver whose limits are user-set, cuts its own requests the same way.
 */
final class Chunks {
    /** QEMU's MAX_BOUNCE_BUFFER: the largest zero buffer a write-zeroes fallback writes at once. */
    static final long MAX_BOUNCE = 32768L * 512;
    private static final long INT_MAX = Integer.MAX_VALUE;

    private Chunks() {
    }

    /** One driver call: {@code [offset, offset + bytes)}. */
    record Chunk(long offset, long bytes) {
    }

    /** Reads and writes: pieces of at most max-transfer (rounded down to the alignment). */
    static List<Chunk> transfer(long offset, long bytes, long maxTransfer, long align) {
        long max = alignDown(maxTransfer != 0 ? Math.min(maxTransfer, INT_MAX) : INT_MAX, align);
        List<Chunk> out = new ArrayList<>();
        for (long done = 0; done < bytes; ) {
            long n = Math.min(bytes - done, max);
            out.add(new Chunk(offset + done, n));
            done += n;
        }
        return out;
    }

    /** Zero writes: an unaligned head up to the alignment, the aligned bulk in max-write-zero pieces, the tail. */
    static List<Chunk> zeroes(long offset, long bytes, long alignment, long maxWriteZeroes, long maxTransfer) {
        long maxZero = alignDown(maxWriteZeroes != 0 ? Math.min(maxWriteZeroes, INT_MAX) : INT_MAX, alignment);
        long maxXfer = maxTransfer != 0 ? Math.min(maxTransfer, MAX_BOUNCE) : MAX_BOUNCE;
        long head = offset % alignment;
        long tail = (offset + bytes) % alignment;
        List<Chunk> out = new ArrayList<>();
        while (bytes > 0) {
            long num = bytes;
            if (head != 0) {
                num = Math.min(Math.min(bytes, maxXfer), alignment - head);
                head = (head + num) % alignment;
            } else if (tail != 0 && num > alignment) {
                num -= tail;
            }
            num = Math.min(num, maxZero);
            out.add(new Chunk(offset, num));
            offset += num;
            bytes -= num;
        }
        return out;
    }

    /** Discards: small pieces up to the alignment boundaries, the aligned bulk in max-discard pieces. */
    static List<Chunk> discard(long offset, long bytes, long alignment, long requestAlignment, long maxDiscard) {
        long max = alignDown(maxDiscard != 0 ? maxDiscard : Long.MAX_VALUE, alignment);
        long head = offset % alignment;
        long tail = (offset + bytes) % alignment;
        List<Chunk> out = new ArrayList<>();
        while (bytes > 0) {
            long num = bytes;
            if (head != 0) {
                num = Math.min(bytes, alignment - head);
                if (num % requestAlignment != 0) {
                    num %= requestAlignment;
                }
                head = (head + num) % alignment;
            } else if (tail != 0) {
                if (num > alignment) {
                    num -= tail;
                } else if (tail % requestAlignment != 0 && tail > requestAlignment) {
                    tail %= requestAlignment;
                    num -= tail;
                }
            }
            num = Math.min(num, max);
            out.add(new Chunk(offset, num));
            offset += num;
            bytes -= num;
        }
        return out;
    }

    private static long alignDown(long v, long align) {
        return v / align * align;
    }
}

package dev.blockdeck.engine.block.driver.blkdebug;

/**
 * How QEMU's block layer widens a request to the node's alignment (bdrv_init_padding): {@code head} bytes before
 * it, {@code tail} after it; a write then reads the partial blocks first. One read serves both ends when the
 * widened request is one block, or two blocks with both ends partial ({@code mergeReads}).
 */
record Padding(long offset, long bytes, long align, long head, long tail, long bufLen, boolean mergeReads) {

    /** The padding of {@code [offset, offset + bytes)}, or null if it is aligned already. */
    static Padding of(long offset, long bytes, long align) {
        long head = offset % align;
        long tail = (offset + bytes) % align;
        if (tail != 0) {
            tail = align - tail;
        }
        if (align <= 1 || (head == 0 && tail == 0) || bytes == 0) {
            return null;
        }
        long sum = head + bytes + tail;
        long bufLen = sum > align && head != 0 && tail != 0 ? 2 * align : align;
        return new Padding(offset, bytes, align, head, tail, bufLen, sum == bufLen);
    }

    long alignedOffset() {
        return offset - head;
    }

    long alignedBytes() {
        return head + bytes + tail;
    }

    /** Where the last (tail) block starts. */
    long tailBlockOffset() {
        return alignedOffset() + alignedBytes() - align;
    }
}

package dev.blockdeck.engine.block.driver.blkdebug;

import dev.blockdeck.engine.block.BlockException;

/**
 * blkdebug's overrides of the block limits (0: not set), checked at open as QEMU checks them: each must be
 * below INT_MAX and a multiple of the alignment in force ({@code align}, or the image's own request alignment if
 * larger); the maximum sizes must also be multiples of their optimum.
 */
record Limits(long align, long maxTransfer, long optWriteZero, long maxWriteZero, long optDiscard,
              long maxDiscard) {
    private static final long INT_MAX = Integer.MAX_VALUE;

    /** Checks the values (unsigned, as given) against the image's alignment; throws QEMU's message. */
    void check(int imageAlignment) {
        if (align != 0 && (Long.compareUnsigned(align, INT_MAX) >= 0 || Long.bitCount(align) != 1)) {
            throw refused("align", align);
        }
        long a = Math.max(align, imageAlignment);
        checkMultiple("max-transfer", maxTransfer, a);
        checkMultiple("opt-write-zero", optWriteZero, a);
        checkMultiple("max-write-zero", maxWriteZero, Math.max(optWriteZero, a));
        checkMultiple("opt-discard", optDiscard, a);
        checkMultiple("max-discard", maxDiscard, Math.max(optDiscard, a));
    }

    private static void checkMultiple(String name, long value, long of) {
        if (value != 0 && (Long.compareUnsigned(value, INT_MAX) >= 0 || Long.remainderUnsigned(value, of) != 0)) {
            throw refused(name, value);
        }
    }

    private static BlockException refused(String name, long value) {
        return new BlockException("Cannot meet constraints with " + name + " " + Long.toUnsignedString(value));
    }

    /** The request alignment of the blkdebug node: {@code align} if given, else byte granularity. */
    int requestAlignment() {
        return align != 0 ? (int) align : 1;
    }
}

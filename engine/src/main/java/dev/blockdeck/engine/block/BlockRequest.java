package dev.blockdeck.engine.block;

/** Request flags (QEMU's BdrvRequestFlags) that matter to this engine's drivers. */
public final class BlockRequest {
    /** Force unit access: the write is durable when it completes. */
    public static final int FUA = 1;
    /** The write writes zeroes (no buffer). */
    public static final int ZERO_WRITE = 1 << 1;
    /** A zero write may deallocate (unmap) the range. */
    public static final int MAY_UNMAP = 1 << 2;
    /** Writes only data that readers already see (copy-on-read); needs write-unchanged permission. */
    public static final int WRITE_UNCHANGED = 1 << 3;

    private BlockRequest() {
    }
}

package dev.blockdeck.engine.block.driver.qcow2;

/**
 * One entry of the internal snapshot table (docs/interop/qcow2.txt, "Snapshot table entry"): where the
 * snapshot's copy of the L1 table is, its id and name, when it was taken, and the extra data. {@code icount} is -1
 * when the entry has no icount field (extra data shorter than 24 bytes) or the field says "unused".
 * {@code extraDataSize} is the size found on disk (or 24 for new entries); {@code unknownExtra} holds the bytes
 * past the 24 known ones, written back unchanged.
 */
public record Qcow2Snapshot(long l1Offset, long l1Size, String id, String name, long dateSec, long dateNsec,
        long vmClockNsec, long vmStateSize, long diskSize, long icount, int extraDataSize, byte[] unknownExtra) {

    /** Bytes of extra data this implementation knows: 64-bit vm state size, disk size, icount. */
    public static final int KNOWN_EXTRA = 24;

    public Qcow2Snapshot {
        unknownExtra = unknownExtra == null ? new byte[0] : unknownExtra;
    }
}

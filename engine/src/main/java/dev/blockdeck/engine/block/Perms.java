package dev.blockdeck.engine.block;

/** QEMU's default child permissions ({@code bdrv_default_perms} and its three cases). */
public final class Perms {
    private static final int PASSTHROUGH = BlockPerm.ALL;
    private static final int CR = BlockPerm.CONSISTENT_READ.bit();
    private static final int W = BlockPerm.WRITE.bit();
    private static final int WU = BlockPerm.WRITE_UNCHANGED.bit();
    private static final int RS = BlockPerm.RESIZE.bit();

    private Perms() {
    }

    /** Chooses by role: filtered children pass through, COW children are read, storage children per format. */
    public static void defaultPerms(BlockNode bs, int role, int perm, int shared, int[] out) {
        if (ChildRole.has(role, ChildRole.FILTERED)) {
            filterPerms(perm, shared, out);
        } else if (ChildRole.has(role, ChildRole.COW)) {
            cowPerms(bs, perm, shared, out);
        } else if (ChildRole.has(role, ChildRole.METADATA | ChildRole.DATA)) {
            storagePerms(bs, role, perm, shared, out);
        } else {
            out[0] = 0;
            out[1] = BlockPerm.ALL;
        }
    }

    /** A filter forwards what its parents need and share. */
    public static void filterPerms(int perm, int shared, int[] out) {
        out[0] = perm & PASSTHROUGH;
        out[1] = (shared & PASSTHROUGH) | (BlockPerm.ALL & ~PASSTHROUGH);
    }

    /** A backing file is only read, and may change under the overlay only if the overlay's users allow writes. */
    public static void cowPerms(BlockNode bs, int perm, int shared, int[] out) {
        int p = perm & CR;
        int s = (shared & W) != 0 ? (W | RS) : 0;
        s |= CR | WU;
        if (bs.isInactive()) {
            s |= W | RS;
        }
        out[0] = p;
        out[1] = s;
    }

    /** A format's file (or data file): metadata needs writes when the node is writable; nobody else may resize. */
    public static void storagePerms(BlockNode bs, int role, int perm, int shared, int[] out) {
        filterPerms(perm, shared, out);
        int p = out[0];
        int s = out[1];
        if (ChildRole.has(role, ChildRole.METADATA)) {
            if (bs.isWritable()) {
                p |= W | RS;
            }
            p |= CR;
            s &= ~(W | RS);
        }
        if (ChildRole.has(role, ChildRole.DATA)) {
            s &= ~RS;
            if ((p & WU) != 0) {
                p |= W;
            }
            if ((p & W) != 0) {
                p |= RS;
            }
        }
        if (bs.isInactive()) {
            s |= W | RS;
        }
        out[0] = p;
        out[1] = s;
    }
}

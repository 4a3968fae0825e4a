package dev.blockdeck.engine.block;

/** What a child is to its parent (QEMU's BdrvChildRole bits); drivers derive permissions from it. */
public final class ChildRole {
    /** The child stores guest-visible data. */
    public static final int DATA = 1;
    /** The child stores metadata of the parent's format. */
    public static final int METADATA = 1 << 1;
    /** The parent is a filter over this child (passes data through unchanged). */
    public static final int FILTERED = 1 << 2;
    /** The child is a backing file (copy-on-write source). */
    public static final int COW = 1 << 3;
    /** The child that has the same filename as the parent (bs->file of formats, the filtered child of filters). */
    public static final int PRIMARY = 1 << 4;
    /** A format's image file: data, metadata and primary. */
    public static final int IMAGE = DATA | METADATA | PRIMARY;

    private ChildRole() {
    }

    public static boolean has(int role, int bit) {
        return (role & bit) != 0;
    }
}

package dev.blockdeck.engine.bitmap;

import dev.blockdeck.engine.block.BlockException;

/**
 * One dirty bitmap of a node (QEMU's BdrvDirtyBitmap): a name (null for the anonymous bitmaps jobs use), the
 * bits, and the states QMP shows or checks. Every field is read and written under the node's bitmap lock
 * ({@link NodeDirtyBitmaps#lock()}); the getters take it themselves.
 */
public final class DirtyBitmap {
    /** {@link #check} flags, as QEMU's BDRV_BITMAP_*. */
    public static final int BUSY = 1;
    public static final int RO = 2;
    public static final int INCONSISTENT = 4;
    /** What modifying a bitmap needs. */
    public static final int DEFAULT = BUSY | RO | INCONSISTENT;
    /** What enabling, disabling or reading a bitmap needs. */
    public static final int ALLOW_RO = BUSY | INCONSISTENT;

    private final NodeDirtyBitmaps owner;
    private HBitmap bits;
    private String name;
    private long size;
    private boolean disabled;
    private boolean busy;
    private boolean readonly;
    private boolean persistent;
    private boolean inconsistent;
    private boolean skipStore;
    private DirtyBitmap successor;

    DirtyBitmap(NodeDirtyBitmaps owner, String name, long size, int granularityBits) {
        this.owner = owner;
        this.name = name;
        this.size = size;
        this.bits = new HBitmap(size, granularityBits);
    }

    public NodeDirtyBitmaps owner() {
        return owner;
    }

    /** The name, or null for an anonymous bitmap. */
    public String name() {
        return owner.locked(() -> name);
    }

    /** Size in bytes of the node when created or last resized. */
    public long size() {
        return owner.locked(() -> size);
    }

    /** Granularity in bytes. */
    public long granularity() {
        return owner.locked(() -> 1L << bits.granularity());
    }

    /** Dirty bytes (set bits times granularity). */
    public long count() {
        return owner.locked(() -> bits.count());
    }

    public boolean enabled() {
        return owner.locked(() -> !disabled);
    }

    /** Recording writes: enabled, or its successor is (while a job holds it). */
    public boolean recording() {
        return owner.locked(() -> !disabled || (successor != null && !successor.disabled));
    }

    public boolean busy() {
        return owner.locked(() -> busy);
    }

    public boolean readonly() {
        return owner.locked(() -> readonly);
    }

    public boolean persistent() {
        return owner.locked(() -> persistent);
    }

    /** Persistent and to be stored (QEMU's bdrv_dirty_bitmap_get_persistence). */
    public boolean storable() {
        return owner.locked(() -> persistent && !skipStore);
    }

    public boolean inconsistent() {
        return owner.locked(() -> inconsistent);
    }

    public boolean hasSuccessor() {
        return owner.locked(() -> successor != null);
    }

    public void setEnabled(boolean on) {
        owner.locked(() -> disabled = !on);
    }

    public void setBusy(boolean b) {
        owner.locked(() -> busy = b);
    }

    /** A read-only bitmap (loaded from a read-only image) makes its node refuse writes and discards. */
    public void setReadonly(boolean r) {
        owner.locked(() -> {
            readonly = r;
            owner.refreshReadonly();
        });
    }

    public void setPersistent(boolean p) {
        owner.locked(() -> persistent = p);
    }

    /** Keep (or stop keeping) a persistent bitmap out of the next store: it is being removed or migrated. */
    public void setSkipStore(boolean skip) {
        owner.locked(() -> skipStore = skip);
    }

    /** Marks a persistent bitmap loaded with its in-use flag set: unusable, only removable. */
    public void setInconsistent() {
        owner.locked(() -> {
            if (!persistent) {
                throw new IllegalStateException("only persistent bitmaps can be inconsistent");
            }
            inconsistent = true;
            disabled = true;
        });
    }

    /** QEMU's bdrv_dirty_bitmap_check: throws its message for the first state in {@code flags} that applies. */
    public void check(int flags) {
        owner.locked(() -> {
            if ((flags & BUSY) != 0 && busy) {
                throw new BlockException("Bitmap '" + name + "' is currently in use by another operation and cannot"
                        + " be used");
            }
            if ((flags & RO) != 0 && readonly) {
                throw new BlockException("Bitmap '" + name + "' is readonly and cannot be modified");
            }
            if ((flags & INCONSISTENT) != 0 && inconsistent) {
                throw BlockException.withHint("Bitmap '" + name + "' is inconsistent and cannot be used",
                        "Try block-dirty-bitmap-remove to delete this bitmap from disk\n");
            }
        });
    }

    // ---- bits (callers hold the lock or use these, which take it) --------------------------------------------

    /** The bits; only under the node's lock. */
    HBitmap bitsLocked() {
        return bits;
    }

    /** Sets dirty regardless of enabled (what jobs and loading do). */
    public void setDirty(long offset, long bytes) {
        owner.locked(() -> setDirtyLocked(offset, bytes));
    }

    void setDirtyLocked(long offset, long bytes) {
        if (readonly) {
            throw new IllegalStateException("bitmap '" + name + "' is read-only");
        }
        long end = Math.min(size, offset + bytes);
        if (offset < end) {
            bits.set(offset, end - offset);
        }
    }

    public void resetDirty(long offset, long bytes) {
        owner.locked(() -> {
            long end = Math.min(size, offset + bytes);
            if (offset < end) {
                bits.reset(offset, end - offset);
            }
        });
    }

    public boolean get(long offset) {
        return owner.locked(() -> bits.get(offset));
    }

    public long nextDirty(long offset, long bytes) {
        return owner.locked(() -> bits.nextDirty(offset, bytes));
    }

    public long nextZero(long offset, long bytes) {
        return owner.locked(() -> bits.nextZero(offset, bytes));
    }

    public HBitmap.Area nextDirtyArea(long start, long end, long maxLength) {
        return owner.locked(() -> bits.nextDirtyArea(start, end, maxLength));
    }

    /** A copy of the bits (for storing or comparing), taken under the lock. */
    public HBitmap snapshot() {
        return owner.locked(bits::copy);
    }

    public String sha256() {
        return owner.locked(bits::sha256);
    }

    /**
     * Clears the bitmap (QEMU's bdrv_clear_dirty_bitmap). With {@code keepBackup} the old bits are returned and a
     * fresh clear array takes their place, so {@link #restore} can put them back; otherwise returns null.
     */
    public HBitmap clear(boolean keepBackup) {
        return owner.locked(() -> {
            if (readonly) {
                throw new IllegalStateException("bitmap '" + name + "' is read-only");
            }
            if (!keepBackup) {
                bits.resetAll();
                return null;
            }
            HBitmap old = bits;
            bits = new HBitmap(size, old.granularity());
            return old;
        });
    }

    /** Puts back the bits {@link #clear} or a merge returned (a transaction's abort). */
    public void restore(HBitmap backup) {
        owner.locked(() -> {
            bits = backup;
        });
    }

    /** Replaces the bits wholesale (loading from an image). */
    public void load(HBitmap loaded) {
        owner.locked(() -> {
            if (loaded.origSize() != size || loaded.granularity() != bits.granularity()) {
                throw new IllegalArgumentException("loaded bitmap does not match");
            }
            bits = loaded;
        });
    }

    // ---- successors (a job's frozen bitmap and the anonymous one recording meanwhile) -------------------------

    /**
     * Freezes this bitmap for an operation: an anonymous successor records writes instead (QEMU's
     * bdrv_dirty_bitmap_create_successor). The bitmap becomes busy.
     */
    public DirtyBitmap createSuccessor() {
        check(BUSY);
        return owner.locked(() -> {
            if (successor != null) {
                throw new BlockException("Cannot create a successor for a bitmap that already has one");
            }
            DirtyBitmap child = owner.createLocked(null, size, bits.granularity());
            child.disabled = disabled;
            disabled = true;
            successor = child;
            busy = true;
            return child;
        });
    }

    /** The operation succeeded: the successor takes this bitmap's name and place; this one goes away. */
    public DirtyBitmap abdicate() {
        return owner.locked(() -> {
            DirtyBitmap s = successor;
            if (s == null) {
                throw new BlockException("Cannot relinquish control if there's no successor present");
            }
            s.name = name;
            name = null;
            successor = null;
            s.persistent = persistent;
            persistent = false;
            busy = false;
            owner.releaseLocked(this);
            return s;
        });
    }

    /** The operation failed: merges the successor back and drops it (QEMU's bdrv_reclaim_dirty_bitmap). */
    public DirtyBitmap reclaim() {
        return owner.locked(() -> {
            DirtyBitmap s = successor;
            if (s == null) {
                throw new BlockException("Cannot reclaim a successor when none is present");
            }
            HBitmap.merge(bits, s.bits, bits);
            disabled = s.disabled;
            busy = false;
            owner.releaseLocked(s);
            successor = null;
            return this;
        });
    }

    /** Lets the successor record (a job enabling it later). */
    public void enableSuccessor() {
        owner.locked(() -> {
            if (successor != null) {
                successor.disabled = false;
            }
        });
    }

    // ---- state shared with the owner --------------------------------------------------------------------------

    boolean enabledLocked() {
        return !disabled;
    }

    boolean readonlyLocked() {
        return readonly;
    }

    boolean busyLocked() {
        return busy;
    }

    boolean hasSuccessorLocked() {
        return successor != null;
    }

    String nameLocked() {
        return name;
    }

    /**
     * ORs {@code src} into this bitmap, both locks held by the caller. With {@code keepBackup} the old bits are
     * returned and the result goes into a fresh array (so an abort can restore them); otherwise null.
     */
    HBitmap mergeFromLocked(DirtyBitmap src, boolean keepBackup) {
        if (!keepBackup) {
            HBitmap.merge(bits, src.bits, bits);
            return null;
        }
        HBitmap old = bits;
        HBitmap result = new HBitmap(size, old.granularity());
        HBitmap.merge(old, src.bits, result);
        bits = result;
        return old;
    }

    void truncateLocked(long bytes) {
        bits.truncate(bytes);
        size = bytes;
    }

    @Override
    public String toString() {
        return "DirtyBitmap[" + (name == null ? "(anonymous)" : name) + "]";
    }
}

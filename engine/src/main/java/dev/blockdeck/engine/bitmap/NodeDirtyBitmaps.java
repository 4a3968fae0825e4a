package dev.blockdeck.engine.bitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.blockdeck.engine.block.BlockException;

/**
 * The dirty bitmaps of one node, newest first (the order QEMU lists them in), and the one lock that guards them
 * (QEMU's per-node dirty_bitmap_mutex): writes finishing on the node's IOThread mark bits while the main loop
 * queries, adds or clears. Graph-level rules (which node, which checks) live in {@link BitmapOperations}.
 */
public final class NodeDirtyBitmaps {
    /** QEMU's BDRV_BITMAP_MAX_NAME_SIZE. */
    public static final int MAX_NAME_BYTES = 1023;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<DirtyBitmap> list = new ArrayList<>();
    /** Lets the write path skip the lock when there is nothing to mark (QEMU checks the list unlocked too). */
    private volatile boolean empty = true;
    private volatile boolean anyReadonly;

    public ReentrantLock lock() {
        return lock;
    }

    <T> T locked(Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a clear, enabled bitmap of {@code size} bytes in front (QEMU's bdrv_create_dirty_bitmap); a named one
     * must be new and at most {@value #MAX_NAME_BYTES} bytes long.
     */
    public DirtyBitmap create(String name, long size, int granularityBits) {
        return locked(() -> {
            if (name != null) {
                if (findLocked(name) != null) {
                    throw new BlockException("Bitmap already exists: " + name);
                }
                if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                    throw new BlockException("Bitmap name too long: " + name);
                }
            }
            return createLocked(name, size, granularityBits);
        });
    }

    DirtyBitmap createLocked(String name, long size, int granularityBits) {
        DirtyBitmap bm = new DirtyBitmap(this, name, size, granularityBits);
        list.add(0, bm);
        empty = false;
        return bm;
    }

    public Optional<DirtyBitmap> find(String name) {
        return Optional.ofNullable(locked(() -> findLocked(name)));
    }

    private DirtyBitmap findLocked(String name) {
        for (DirtyBitmap bm : list) {
            if (name.equals(bm.nameLocked())) {
                return bm;
            }
        }
        return null;
    }

    /** Every bitmap, newest first. */
    public List<DirtyBitmap> all() {
        return locked(() -> List.copyOf(list));
    }

    public boolean isEmpty() {
        return empty;
    }

    /** Removes a bitmap that is neither busy nor frozen (QEMU's bdrv_release_dirty_bitmap). */
    public void release(DirtyBitmap bm) {
        locked(() -> releaseLocked(bm));
    }

    void releaseLocked(DirtyBitmap bm) {
        if (bm.busyLocked() || bm.hasSuccessorLocked()) {
            throw new IllegalStateException(bm + " is in use");
        }
        list.remove(bm);
        empty = list.isEmpty();
        refreshReadonly();
    }

    /** Drops every named bitmap (the node closes; persistent ones were stored by the driver before). */
    public void releaseNamed() {
        locked(() -> {
            list.removeIf(bm -> bm.nameLocked() != null);
            empty = list.isEmpty();
            refreshReadonly();
        });
    }

    /** Recomputes the flag the write path checks (under the lock). */
    void refreshReadonly() {
        boolean any = false;
        for (DirtyBitmap bm : list) {
            any |= bm.readonlyLocked();
        }
        anyReadonly = any;
    }

    /** Whether a bitmap is read-only: then the node refuses writes and discards (QEMU: -EPERM). */
    public boolean hasReadonly() {
        return anyReadonly;
    }

    /**
     * A write, write-zeroes or discard of {@code [offset, offset + bytes)} finished (successfully or not, as in
     * QEMU): every enabled bitmap records it. Called on the node's AioContext thread; never throws.
     */
    public void markDirty(long offset, long bytes) {
        if (empty || bytes <= 0 || offset < 0) {
            return;
        }
        locked(() -> {
            for (DirtyBitmap bm : list) {
                if (bm.enabledLocked() && !bm.readonlyLocked()) {
                    bm.setDirtyLocked(offset, bytes);
                }
            }
        });
    }

    /** The node's length changed to {@code bytes}: every bitmap follows (QEMU's bdrv_dirty_bitmap_truncate). */
    public void truncate(long bytes) {
        if (empty) {
            return;
        }
        locked(() -> {
            for (DirtyBitmap bm : list) {
                bm.truncateLocked(bytes);
            }
        });
    }
}

package dev.blockdeck.engine.bitmap;

import java.util.List;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.driver.DriverInfo;

/**
 * The bitmap operations behind the QMP commands and the transaction actions (QEMU's block/monitor/bitmap-qmp-cmds.c
 * and block/dirty-bitmap.c): node lookup, the checks in QEMU's order, and the changes. Main loop only.
 */
public final class BitmapOperations {
    private static final long MIN_GRANULARITY = 512;

    private BitmapOperations() {
    }

    /** A bitmap and the node it belongs to. */
    public record Found(BlockNode node, DirtyBitmap bitmap) {
    }

    /** A source of a merge: a bitmap of the target's node ({@code node} null) or of any node. */
    public record Source(String node, String name) {
        public static Source local(String name) {
            return new Source(null, name);
        }
    }

    /**
     * QEMU's block_dirty_bitmap_lookup: {@code node} names a BlockBackend or a node; any failure to find it reads
     * {@code Node '...' not found}.
     */
    public static Found lookup(BlockGraph graph, String node, String name) {
        BlockNode bs;
        try {
            bs = graph.lookupBs(node, node);
        } catch (BlockException e) {
            throw new BlockException("Node '" + node + "' not found");
        }
        DirtyBitmap bm = bs.dirtyBitmaps().find(name)
                .orElseThrow(() -> new BlockException("Dirty bitmap '" + name + "' not found"));
        return new Found(bs, bm);
    }

    /** QEMU's bdrv_get_default_bitmap_granularity: the cluster size clamped to [4 KiB, 64 KiB], else 64 KiB. */
    public static long defaultGranularity(BlockNode bs) {
        long cluster = bs.info().map(DriverInfo::clusterSize).orElse(0L);
        return cluster > 0 ? Math.min(65536, Math.max(4096, cluster)) : 65536;
    }

    /**
     * block-dirty-bitmap-add. {@code granularity} null means the node's default; it is a uint32 (the QAPI layer
     * checked the range).
     */
    public static DirtyBitmap add(BlockGraph graph, String node, String name, Long granularity, boolean persistent,
            boolean disabled) {
        if (name == null || name.isEmpty()) {
            throw new BlockException("Bitmap name cannot be empty");
        }
        BlockNode bs = graph.lookupBs(node, node);
        long g;
        if (granularity != null) {
            g = granularity;
            if (g < MIN_GRANULARITY || Long.bitCount(g) != 1) {
                throw new BlockException("Granularity must be power of 2 and at least 512");
            }
        } else {
            g = defaultGranularity(bs);
        }
        if (persistent) {
            checkCanStore(bs, name, g);
        }
        DirtyBitmap bm = create(bs, name, g);
        if (disabled) {
            bm.setEnabled(false);
        }
        bm.setPersistent(persistent);
        return bm;
    }

    /** QEMU's bdrv_can_store_new_dirty_bitmap. */
    static void checkCanStore(BlockNode bs, String name, long granularity) {
        if (bs.driverState() instanceof PersistentBitmapStore store) {
            store.checkCanStoreNew(name, granularity);
            return;
        }
        throw new BlockException("Can't store persistent bitmaps to " + bs.deviceOrNodeName()
                + ": Operation not supported");
    }

    /** QEMU's bdrv_create_dirty_bitmap on a node: name checks, then the node's current length. */
    public static DirtyBitmap create(BlockNode bs, String name, long granularity) {
        NodeDirtyBitmaps list = bs.dirtyBitmaps();
        if (name != null) {
            if (list.find(name).isPresent()) {
                throw new BlockException("Bitmap already exists: " + name);
            }
            if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NodeDirtyBitmaps.MAX_NAME_BYTES) {
                throw new BlockException("Bitmap name too long: " + name);
            }
        }
        long length;
        try {
            length = bs.refreshLength();
        } catch (BlockIOException e) {
            throw new BlockException("could not get length of device: " + e.errno().text());
        }
        return list.create(name, length, Long.numberOfTrailingZeros(granularity));
    }

    /**
     * block-dirty-bitmap-remove (QEMU's block_dirty_bitmap_remove): not busy, not read-only; a persistent one
     * leaves the image first. With {@code release} it is gone afterwards; without, the caller holds it (a
     * transaction releases it in commit).
     */
    public static Found remove(BlockGraph graph, String node, String name, boolean release) {
        Found f = lookup(graph, node, name);
        DirtyBitmap bm = f.bitmap();
        bm.check(DirtyBitmap.BUSY | DirtyBitmap.RO);
        if (bm.storable() && f.node().driverState() instanceof PersistentBitmapStore store) {
            store.removePersistent(name);
        }
        if (release) {
            f.node().dirtyBitmaps().release(bm);
        }
        return f;
    }

    /** block-dirty-bitmap-clear; with {@code keepBackup} returns the old bits for a transaction's abort. */
    public static Cleared clear(BlockGraph graph, String node, String name, boolean keepBackup) {
        Found f = lookup(graph, node, name);
        f.bitmap().check(DirtyBitmap.DEFAULT);
        return new Cleared(f.bitmap(), f.bitmap().clear(keepBackup));
    }

    /** What a clear or merge changed: the bitmap and its previous bits (null when no backup was asked for). */
    public record Cleared(DirtyBitmap bitmap, HBitmap backup) {
    }

    /** block-dirty-bitmap-enable/-disable; returns the bitmap and whether it was enabled before. */
    public static Toggled setEnabled(BlockGraph graph, String node, String name, boolean enable) {
        Found f = lookup(graph, node, name);
        f.bitmap().check(DirtyBitmap.ALLOW_RO);
        boolean was = f.bitmap().enabled();
        f.bitmap().setEnabled(enable);
        return new Toggled(f.bitmap(), was);
    }

    /** An enable or disable: the bitmap and its state before. */
    public record Toggled(DirtyBitmap bitmap, boolean wasEnabled) {
    }

    /**
     * block-dirty-bitmap-merge as QEMU 7.2 does it: each source is merged straight into the target, the first
     * merge keeping a backup; any failure restores the target, so it is unchanged on error. With
     * {@code keepBackup} the backup is returned for a transaction's abort.
     */
    public static Cleared merge(BlockGraph graph, String node, String target, List<Source> sources,
            boolean keepBackup) {
        Found f = lookup(graph, node, target);
        DirtyBitmap dst = f.bitmap();
        if (sources.isEmpty()) {
            // QEMU 7.2 dereferences a missing backup here and crashes; refuse instead
            throw new BlockException("Parameter 'bitmaps' must name at least one bitmap");
        }
        HBitmap backup = null;
        try {
            for (Source s : sources) {
                DirtyBitmap src;
                if (s.node() == null) {
                    src = f.node().dirtyBitmaps().find(s.name())
                            .orElseThrow(() -> new BlockException("Dirty bitmap '" + s.name() + "' not found"));
                } else {
                    src = lookup(graph, s.node(), s.name()).bitmap();
                }
                HBitmap b = mergeInto(dst, src, backup == null);
                if (backup == null) {
                    backup = b;
                }
            }
        } catch (RuntimeException e) {
            if (backup != null) {
                dst.restore(backup);
            }
            throw e;
        }
        return new Cleared(dst, keepBackup ? backup : null);
    }

    /** QEMU's bdrv_merge_dirty_bitmap: checks both, then ORs {@code src} into {@code dst} under both locks. */
    static HBitmap mergeInto(DirtyBitmap dst, DirtyBitmap src, boolean keepBackup) {
        NodeDirtyBitmaps a = dst.owner();
        NodeDirtyBitmaps b = src.owner();
        a.lock().lock();
        if (b != a) {
            b.lock().lock();
        }
        try {
            dst.check(DirtyBitmap.DEFAULT);
            src.check(DirtyBitmap.ALLOW_RO);
            if (src.size() != dst.size()) {
                throw new BlockException("Bitmaps are of different sizes (destination size is " + dst.size()
                        + ", source size is " + src.size() + ") and can't be merged");
            }
            return dst.mergeFromLocked(src, keepBackup);
        } finally {
            if (b != a) {
                b.lock().unlock();
            }
            a.lock().unlock();
        }
    }

    /** x-debug-block-dirty-bitmap-sha256: no state checks, as in QEMU. */
    public static String sha256(BlockGraph graph, String node, String name) {
        return lookup(graph, node, name).bitmap().sha256();
    }
}

package dev.blockdeck.engine.block.driver.qcow2.bitmap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.blockdeck.engine.bitmap.DirtyBitmap;
import dev.blockdeck.engine.bitmap.NodeDirtyBitmaps;
import dev.blockdeck.engine.bitmap.PersistentBitmapStore;
import dev.blockdeck.engine.block.BlockException;

/**
 * Joins a qcow2 image's stored bitmaps to a node's dirty bitmaps, for the qcow2 block driver: load at open,
 * store at close, and the checks and removal the bitmap commands ask for ({@link PersistentBitmapStore}).
 */
public final class Qcow2PersistentBitmaps implements PersistentBitmapStore {
    private final Qcow2Bitmaps image;
    private final Supplier<String> deviceOrNodeName;

    /** {@code deviceOrNodeName} names the node in messages (QEMU's bdrv_get_device_or_node_name). */
    public Qcow2PersistentBitmaps(Qcow2Bitmaps image, Supplier<String> deviceOrNodeName) {
        this.image = image;
        this.deviceOrNodeName = deviceOrNodeName;
    }

    /**
     * Creates the node's bitmaps from the image (QEMU's qcow2_load_dirty_bitmaps): persistent; in-use ones
     * inconsistent; those without {@code auto} disabled; all read-only when the image is.
     */
    public List<DirtyBitmap> loadInto(NodeDirtyBitmaps list, boolean imageReadOnly) throws IOException {
        List<DirtyBitmap> made = new ArrayList<>();
        try {
            for (Qcow2Bitmaps.Loaded l : image.load()) {
                DirtyBitmap bm = list.create(l.name(), l.bits().origSize(), l.bits().granularity());
                made.add(bm);
                bm.load(l.bits());
                bm.setPersistent(true);
                if (l.inUse()) {
                    bm.setInconsistent();
                }
                if (!l.auto()) {
                    bm.setEnabled(false);
                }
                if (imageReadOnly) {
                    bm.setReadonly(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            made.forEach(list::release);
            throw e;
        }
        return made;
    }

    /**
     * Stores the node's persistent bitmaps (QEMU's qcow2_store_persistent_dirty_bitmaps), skipping read-only,
     * inconsistent and "don't store" ones; with {@code release} the stored ones leave the node (close).
     */
    public void storeFrom(NodeDirtyBitmaps list, boolean release) throws IOException {
        boolean changed = false;
        List<DirtyBitmap> chosen = new ArrayList<>();
        List<Qcow2Bitmaps.ToStore> out = new ArrayList<>();
        for (DirtyBitmap bm : list.all()) {
            if (!bm.storable() || bm.readonly()) {
                continue;
            }
            changed = true;
            if (bm.inconsistent()) {
                continue;
            }
            chosen.add(bm);
            out.add(new Qcow2Bitmaps.ToStore(bm.name(), bm.enabled(), bm.snapshot()));
        }
        if (!changed) {
            return;
        }
        image.store(out);
        if (release) {
            chosen.forEach(list::release);
        }
    }

    @Override
    public void checkCanStoreNew(String name, long granularity) {
        try {
            image.checkCanStoreNew(name, granularity, deviceOrNodeName.get());
        } catch (IOException e) {
            throw new BlockException(e.getMessage());
        }
    }

    @Override
    public void removePersistent(String name) {
        try {
            image.remove(name);
        } catch (IOException e) {
            throw new BlockException(e.getMessage());
        }
    }
}

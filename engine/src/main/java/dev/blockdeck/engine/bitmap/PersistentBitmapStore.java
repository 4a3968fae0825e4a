package dev.blockdeck.engine.bitmap;

/**
 * What a node's driver implements when its image can keep bitmaps (qcow2 in QEMU): the checks and the removal
 * the bitmap commands need. Drivers without it cannot store persistent bitmaps. Called on the main loop.
 */
public interface PersistentBitmapStore {
    /**
     * Throws a {@link dev.blockdeck.engine.block.BlockException} with QEMU's full message if a new persistent
     * bitmap {@code name} of {@code granularity} bytes could not be stored (QEMU's
     * bdrv_co_can_store_new_dirty_bitmap of the driver).
     */
    void checkCanStoreNew(String name, long granularity);

    /** Removes {@code name} from the image if it is stored there; absence is no error. */
    void removePersistent(String name);
}

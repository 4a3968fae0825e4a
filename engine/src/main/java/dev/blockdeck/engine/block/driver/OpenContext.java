package dev.blockdeck.engine.block.driver;

import dev.blockdeck.engine.block.BdrvChild;

/** What a driver may do while it opens a node: open or attach its children (QEMU's {@code bdrv_open_child}). */
public interface OpenContext {
    /**
     * Opens the child {@code name} from the node's options ({@code name.*} inline options or {@code name} as a
     * node-name reference) and attaches it with {@code role}. Returns null only when {@code allowNone} and
     * nothing was given; otherwise throws with QEMU's message ({@code A block device must be specified for "file"}).
     */
    default BdrvChild openChild(String name, int role, boolean allowNone) {
        return openChild(null, name, role, allowNone);
    }

    /**
     * As {@link #openChild(String, int, boolean)}, with a legacy filename for the child as well (QEMU's
     * {@code bdrv_open_child(filename, ...)}: blkdebug's {@code x-image}); {@code filename} may be null.
     */
    BdrvChild openChild(String filename, String name, int role, boolean allowNone);
}

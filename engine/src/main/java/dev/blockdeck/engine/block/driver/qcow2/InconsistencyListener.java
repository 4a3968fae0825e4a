package dev.blockdeck.engine.block.driver.qcow2;

/**
 * Told when the core finds its metadata inconsistent (QEMU's qcow2_signal_corruption). The block-driver adapter
 * raises {@code BLOCK_IMAGE_CORRUPTED} from it; when {@code fatal} (never on a read-only image), the core refuses
 * all further I/O and sets the corrupt bit, and the adapter ejects the node (QEMU's {@code bs->drv = NULL}).
 *
 * @param offset host offset of the bad structure, or -1
 * @param size   its size, or -1
 */
@FunctionalInterface
public interface InconsistencyListener {
    void corrupted(String message, long offset, long size, boolean fatal);
}

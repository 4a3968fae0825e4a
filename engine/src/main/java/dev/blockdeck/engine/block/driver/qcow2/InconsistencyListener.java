package dev.blockdeck.engine.block.driver.qcow2;

/**
 * Told when the core finds its metadata inconsistent (QEMU's qcow2_signal_corruption). The block-driver adapter
 * raises {@code BLOCK_IMAGE_CORRUPTED} from it; when {@code fatal}, the core has already set the corrupt bit and
 * refuses further writes, and the adapter should make the node read-only.
 *
 * @param offset host offset of the bad structure, or -1
 * @param size   its size, or -1
 */
@FunctionalInterface
public interface InconsistencyListener {
    void corrupted(String message, long offset, long size, boolean fatal);
}

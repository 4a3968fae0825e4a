package dev.blockdeck.engine.block;

import dev.blockdeck.engine.aio.AioContext;

/**
 * A guest device attached to a BlockBackend (QEMU's {@code blk->dev} with its BlockDevOps). The device work
 * implements this; the block layer asks it how to show the backend and tells it about drains and AioContext moves.
 */
public interface BlockDevice {
    /**
     * The device's id, or its QOM path when it has none (QEMU's blk_get_attached_dev_id): query-block's and
     * query-blockstats' {@code qdev}, and the backend's name in the graph when the backend has no name.
     */
    String attachedDeviceId();

    /** query-block {@code removable}: devices with removable media (CD-ROM, floppy). */
    default boolean hasRemovableMedia() {
        return false;
    }

    /** query-block {@code locked}. */
    default boolean isMediumLocked() {
        return false;
    }

    /** Whether the device has a tray (query-block {@code tray_open} is shown then). */
    default boolean hasTray() {
        return false;
    }

    default boolean isTrayOpen() {
        return false;
    }

    /** Whether query-block shows {@code io-status}; devices enable it (virtio-blk, scsi-hd). */
    default boolean ioStatusEnabled() {
        return false;
    }

    /** {@code ok}, {@code failed} or {@code nospace}. */
    default String ioStatus() {
        return "ok";
    }

    /**
     * Check phase of a context change that reached this device's backend from elsewhere in the component.
     * QEMU 7.2 refuses for every device ({@code Cannot change iothread of active block backend}); a device whose
     * request handling can move live (a downstream extension) returns true and moves in {@link #contextChanged}.
     */
    default boolean allowsContextChange(AioContext target) {
        return false;
    }

    /** Commit phase: the backend is now in {@code ctx}; move the device's queue handlers (the backend is drained). */
    default void contextChanged(AioContext ctx) {
    }

    /** The backend entered a drained section: stop taking requests from guest queues. */
    default void drainedBegin() {
    }

    /** The drained section ended: resume taking requests. */
    default void drainedEnd() {
    }

    /** Whether the device still has requests of its own to finish before the drain is complete. */
    default boolean drainedPoll() {
        return false;
    }
}

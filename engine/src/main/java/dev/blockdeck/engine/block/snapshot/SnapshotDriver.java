package dev.blockdeck.engine.block.snapshot;

import java.util.List;

/**
 * Implemented by the node drivers that keep internal snapshots (QEMU's bdrv_snapshot_* driver callbacks). Called
 * on the main loop; create and delete only while the node is drained.
 */
public interface SnapshotDriver {
    /** The snapshots in the driver's order. */
    List<InternalSnapshot> snapshotList() throws SnapshotException;

    /** Takes a snapshot named as in {@code request}; the driver picks the id. Returns what it stored. */
    InternalSnapshot snapshotCreate(InternalSnapshot request) throws SnapshotException;

    /** Deletes the snapshot that matches {@code id} and/or {@code name} (null matches anything). */
    void snapshotDelete(String id, String name) throws SnapshotException;
}

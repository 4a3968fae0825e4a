/**
 * Internal snapshots at the block layer (QEMU 7.2's block/snapshot.c). Drivers that keep snapshots implement
 * {@link dev.blockdeck.engine.block.snapshot.SnapshotDriver} (qcow2); {@link
 * dev.blockdeck.engine.block.snapshot.BlockSnapshots} finds the driver that serves a node (the node's own, or
 * its primary child's when no other child holds data) and words failures as QEMU does. The QMP commands and the
 * transaction action live in {@code engine.txn} ({@code InternalSnapshotAction}, {@code
 * InternalSnapshotCommands}); the on-disk work in {@code driver.qcow2.Qcow2Snapshots}. Everything runs on the
 * main loop; creating and deleting happen inside a drained section of the node.
 */
package dev.blockdeck.engine.block.snapshot;

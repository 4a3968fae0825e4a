/**
 * Dirty bitmaps as QEMU 7.2 has them.
 *
 * <ul>
 * <li>{@link dev.blockdeck.engine.bitmap.HBitmap}: the bits (QEMU's HBitmap), with its serialisation, merge across
 * granularities and the debug hash.</li>
 * <li>{@link dev.blockdeck.engine.bitmap.DirtyBitmap}: one named (or a job's anonymous) bitmap and its states:
 * enabled, busy, read-only, persistent, inconsistent, "don't store", a successor while frozen.</li>
 * <li>{@link dev.blockdeck.engine.bitmap.NodeDirtyBitmaps}: a node's bitmaps, newest first, under one lock. The
 * node's write path marks them on its IOThread ({@code BlockNode} calls {@code markDirty} when a write,
 * write-zeroes or discard finishes, failed or not); the main loop adds, queries and changes them.</li>
 * <li>{@link dev.blockdeck.engine.bitmap.BitmapOperations}: what the QMP commands and the transaction actions
 * ({@code actions.BitmapActions}) do, with QEMU's checks and messages; {@code qmp.BitmapCommands} declares the
 * commands. A driver whose image keeps bitmaps implements {@link dev.blockdeck.engine.bitmap.PersistentBitmapStore}
 * (qcow2: {@code block.driver.qcow2.bitmap.Qcow2PersistentBitmaps}).</li>
 * </ul>
 */
package dev.blockdeck.engine.bitmap;

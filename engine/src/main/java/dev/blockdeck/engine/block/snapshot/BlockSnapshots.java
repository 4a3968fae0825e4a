package dev.blockdeck.engine.block.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.block.BdrvChild;
import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockIOException.Errno;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.ChildRole;

/**
 * Internal snapshots at the block layer (QEMU's block/snapshot.c): a node whose driver keeps no snapshots passes
 * every operation to its primary child, as long as no other child holds data or metadata (a raw node over a qcow2
 * node snapshots the qcow2 node). All on the main loop.
 */
public final class BlockSnapshots {
    /** QEMUSnapshotInfo's fixed buffers: longer ids and names are cut to fit, as pstrcpy does. */
    public static final int ID_BYTES = 127;
    public static final int NAME_BYTES = 255;

    private BlockSnapshots() {
    }

    /** The child snapshot operations fall back to, or null (QEMU's bdrv_snapshot_fallback). */
    static BlockNode fallback(BlockNode bs) {
        BdrvChild primary = bs.primaryChild();
        if (primary == null) {
            return null;
        }
        for (BdrvChild c : bs.childEdges()) {
            if (c != primary && (c.role() & (ChildRole.DATA | ChildRole.METADATA | ChildRole.FILTERED)) != 0) {
                return null;
            }
        }
        return primary.node();
    }

    /** Whether a snapshot can be taken of {@code bs} now (writable, and some driver on the way keeps them). */
    public static boolean canSnapshot(BlockNode bs) {
        if (bs.driver() == null || !bs.isInserted() || !bs.isWritable()) {
            return false;
        }
        if (bs.driverState() instanceof SnapshotDriver) {
            return true;
        }
        BlockNode f = fallback(bs);
        return f != null && canSnapshot(f);
    }

    public static List<InternalSnapshot> list(BlockNode bs) throws SnapshotException {
        if (bs.driver() == null || bs.isEjected()) {
            throw SnapshotException.errno(Errno.ENOMEDIUM.text());
        }
        if (bs.driverState() instanceof SnapshotDriver d) {
            return d.snapshotList();
        }
        BlockNode f = fallback(bs);
        if (f != null) {
            return list(f);
        }
        throw SnapshotException.errno(Errno.ENOTSUP.text());
    }

    /**
     * The snapshot matching {@code id} and/or {@code name} (QEMU's bdrv_snapshot_find_by_id_and_name); at least
     * one must be given.
     */
    public static Optional<InternalSnapshot> find(BlockNode bs, String id, String name) {
        List<InternalSnapshot> all;
        try {
            all = list(bs);
        } catch (SnapshotException e) {
            throw new BlockException("Failed to get a snapshot list: " + e.errnoText());
        }
        for (InternalSnapshot s : all) {
            if ((id == null || s.id().equals(id)) && (name == null || s.name().equals(name))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Takes a snapshot; the caller drained {@code bs}. */
    public static InternalSnapshot create(BlockNode bs, InternalSnapshot request) throws SnapshotException {
        if (bs.driver() == null || bs.isEjected()) {
            throw SnapshotException.errno(Errno.ENOMEDIUM.text());
        }
        if (bs.driverState() instanceof SnapshotDriver d) {
            return d.snapshotCreate(request);
        }
        BlockNode f = fallback(bs);
        if (f != null) {
            return create(f, request);
        }
        throw SnapshotException.errno(Errno.ENOTSUP.text());
    }

    /** Deletes a snapshot inside a drained section of {@code bs} (QEMU's bdrv_snapshot_delete); QEMU's messages. */
    public static void delete(BlockGraph graph, BlockNode bs, String id, String name) {
        if (bs.driver() == null || bs.isEjected()) {
            throw new BlockException("Device '" + deviceName(bs) + "' has no medium");
        }
        if (id == null && name == null) {
            throw new BlockException("snapshot_id and name are both NULL");
        }
        graph.drainedBegin(bs);
        try {
            if (bs.driverState() instanceof SnapshotDriver d) {
                try {
                    d.snapshotDelete(id, name);
                } catch (SnapshotException e) {
                    throw new BlockException(e.getMessage());
                }
            } else if (fallback(bs) != null) {
                delete(graph, fallback(bs), id, name);
            } else {
                throw new BlockException("Block format '" + bs.driver().formatName() + "' used by device '"
                        + deviceName(bs) + "' does not support internal snapshot deletion");
            }
        } finally {
            graph.drainedEnd(bs);
        }
    }

    /** ImageInfo's {@code snapshots}: absent when there are none or the node cannot have any. */
    public static Optional<ArrayNode> infoList(BlockNode bs) {
        List<InternalSnapshot> all;
        try {
            all = list(bs);
        } catch (SnapshotException e) {
            String dev = deviceName(bs);
            if (e.errnoText().equals(Errno.ENOTSUP.text()) || e.errnoText().equals(Errno.ENOMEDIUM.text())) {
                return Optional.empty();
            }
            throw new BlockException("Can't list snapshots of device '" + dev + "': " + e.errnoText());
        }
        if (all.isEmpty()) {
            return Optional.empty();
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (InternalSnapshot s : all) {
            a.add(s.toSnapshotInfo());
        }
        return Optional.of(a);
    }

    /**
     * QEMU's qmp_get_root_bs: the root of a device, or a node without node parents that has a medium.
     */
    public static BlockNode rootNode(BlockGraph graph, String name) {
        BlockNode bs = graph.lookupBs(name, name);
        for (BdrvChild c : bs.parentEdges()) {
            if (!(c.parent() instanceof BlockBackend)) {
                throw new BlockException("Need a root block node");
            }
        }
        if (bs.driver() == null || !bs.isInserted()) {
            throw new BlockException("Device has no medium");
        }
        return bs;
    }

    /** The name of the first named BlockBackend above {@code bs}, or "" (QEMU's bdrv_get_device_name). */
    public static String deviceName(BlockNode bs) {
        for (BdrvChild c : bs.parentEdges()) {
            if (c.parent() instanceof BlockBackend b && b.name() != null && !b.name().isEmpty()) {
                return b.name();
            }
        }
        return "";
    }

    /** {@code s} cut to at most {@code max} UTF-8 bytes (QEMU copies names into fixed C buffers). */
    public static String cut(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= max ? s : new String(Arrays.copyOf(b, max), StandardCharsets.UTF_8);
    }
}

package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.blockdeck.engine.block.BlockIOException.Errno;
import dev.blockdeck.engine.block.snapshot.BlockSnapshots;
import dev.blockdeck.engine.block.snapshot.InternalSnapshot;
import dev.blockdeck.engine.block.snapshot.SnapshotException;

/**
 * The qcow2 node's internal snapshots for the block layer: the core's {@link Qcow2Snapshots} run on the main loop
 * (the node is drained, so no request is in the core), its metadata I/O going through the node's file child.
 */
final class Qcow2NodeSnapshots {
    private Qcow2NodeSnapshots() {
    }

    private static Qcow2Snapshots of(Qcow2Image img) throws SnapshotException {
        if (img == null || img.snapshots() == null) {
            throw SnapshotException.errno(Errno.ENOMEDIUM.text());
        }
        return img.snapshots();
    }

    private static InternalSnapshot info(Qcow2Snapshot s) {
        return new InternalSnapshot(BlockSnapshots.cut(s.id(), BlockSnapshots.ID_BYTES),
                BlockSnapshots.cut(s.name(), BlockSnapshots.NAME_BYTES), s.vmStateSize(), s.dateSec(), s.dateNsec(),
                s.vmClockNsec(), s.icount());
    }

    static List<InternalSnapshot> list(Qcow2Image img) throws SnapshotException {
        List<InternalSnapshot> out = new ArrayList<>();
        for (Qcow2Snapshot s : of(img).list()) {
            out.add(info(s));
        }
        return out;
    }

    static InternalSnapshot create(Qcow2Image img, InternalSnapshot sn) throws SnapshotException {
        try {
            return info(of(img).create(sn.name(), sn.dateSec(), sn.dateNsec(), sn.vmClockNsec(), sn.icount()));
        } catch (IOException e) {
            throw SnapshotException.errno(Errnos.text(e));
        }
    }

    static void delete(Qcow2Image img, String id, String name) throws SnapshotException {
        try {
            of(img).delete(id, name);
        } catch (IOException e) {
            throw new SnapshotException(e.getMessage(), Errnos.text(e));
        }
    }
}

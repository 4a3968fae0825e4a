package dev.blockdeck.engine.txn;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.time.Instant;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockOp;
import dev.blockdeck.engine.block.snapshot.BlockSnapshots;
import dev.blockdeck.engine.block.snapshot.InternalSnapshot;
import dev.blockdeck.engine.block.snapshot.SnapshotException;
import dev.blockdeck.engine.monitor.qapi.ObjectType;

/**
 * {@code blockdev-snapshot-internal-sync} as a transaction action (QEMU's internal_snapshot_prepare/abort/clean):
 * prepare refuses grouped completion, finds the root node, begins a drained section, checks in QEMU's order and
 * takes the snapshot; abort deletes the snapshot it took (a failure there is only logged, as in QEMU); clean ends
 * the drained section. The snapshot records the wall clock in microseconds and the VM's virtual clock; icount is
 * unused.
 */
final class InternalSnapshotAction implements TransactionAction {
    static final String TYPE = "blockdev-snapshot-internal-sync";
    static final ObjectType DATA = ObjectType.builder("BlockdevSnapshotInternal")
            .required("device", STR).required("name", STR).build();

    private final TxnContext t;
    private final int index;
    private final String device;
    private final String name;
    private final LongSupplier vmClock;
    private BlockNode bs;
    private InternalSnapshot created;

    InternalSnapshotAction(TxnContext t, int index, ObjectNode data, LongSupplier vmClock) {
        this.t = t;
        this.index = index;
        this.device = data.get("device").textValue();
        this.name = data.get("name").textValue();
        this.vmClock = vmClock;
    }

    @Override
    public void prepare() {
        t.rejectGrouped(TYPE);
        BlockNode root = BlockSnapshots.rootNode(t.graph(), device);
        t.drainBegin(index, root);
        bs = root;
        bs.checkOpNotBlocked(BlockOp.INTERNAL_SNAPSHOT);
        if (bs.isReadOnly()) {
            throw new BlockException("Device '" + device + "' is read only");
        }
        if (!BlockSnapshots.canSnapshot(bs)) {
            throw new BlockException("Block format '" + bs.driver().formatName() + "' used by device '" + device
                    + "' does not support internal snapshots");
        }
        if (name.isEmpty()) {
            throw new BlockException("Name is empty");
        }
        if (BlockSnapshots.find(bs, null, name).isPresent()) {
            throw new BlockException("Snapshot with name '" + name + "' already exists on device '" + device + "'");
        }
        Instant now = Instant.now();
        long micros = now.getNano() / 1000;
        InternalSnapshot request = new InternalSnapshot("", BlockSnapshots.cut(name, BlockSnapshots.NAME_BYTES), 0,
                now.getEpochSecond() & 0xffffffffL, micros * 1000, vmClock.getAsLong(), -1);
        try {
            created = BlockSnapshots.create(bs, request);
        } catch (SnapshotException e) {
            throw new BlockException("Failed to create snapshot '" + name + "' on device '" + device + "': "
                    + e.errnoText());
        }
    }

    @Override
    public void abort() {
        if (created == null) {
            return;
        }
        try {
            BlockSnapshots.delete(t.graph(), bs, created.id(), created.name());
        } catch (BlockException e) {
            System.err.println("Failed to delete snapshot with id '" + created.id() + "' and name '"
                    + created.name() + "' on device '" + BlockSnapshots.deviceName(bs) + "' in abort: "
                    + e.getMessage());
        }
    }

    @Override
    public void clean() {
        if (bs != null) {
            t.drainEnd(index, bs);
        }
    }
}

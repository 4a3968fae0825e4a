package dev.blockdeck.engine.txn;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockOp;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.block.snapshot.BlockSnapshots;
import dev.blockdeck.engine.block.snapshot.InternalSnapshot;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.qmp.QmpException;

/**
 * The internal snapshot commands: {@code blockdev-snapshot-internal-sync} (a one-action transaction, as in
 * QEMU, registered with the transaction's action types) and {@code blockdev-snapshot-delete-internal-sync}.
 */
final class InternalSnapshotCommands {
    private static final ObjectType DELETE_ARGS = ObjectType.builder("q_obj_blockdev-snapshot-delete-internal-sync-arg")
            .required("device", STR).optional("id", STR).optional("name", STR).build();

    private InternalSnapshotCommands() {
    }

    static void register(QapiSchema schema, BlockGraph graph, QmpTransaction txn, LongSupplier vmClock) {
        txn.register(InternalSnapshotAction.TYPE, (ctx, i, d) -> new InternalSnapshotAction(ctx, i, d, vmClock));
        schema.add(CommandDef.of(InternalSnapshotAction.TYPE, InternalSnapshotAction.DATA, ObjectType.EMPTY,
                (ctx, args) -> {
                    qmp(() -> txn.run(List.of(new QmpTransaction.Entry(InternalSnapshotAction.TYPE, args)), false));
                    return JsonNodeFactory.instance.objectNode();
                }));
        schema.add(CommandDef.of("blockdev-snapshot-delete-internal-sync", DELETE_ARGS,
                BlockTypes.get().snapshotInfo(), (ctx, args) -> {
                    InternalSnapshot[] deleted = new InternalSnapshot[1];
                    qmp(() -> deleted[0] = delete(graph, args));
                    return deleted[0].toSnapshotInfo();
                }));
    }

    /** QEMU's qmp_blockdev_snapshot_delete_internal_sync: checks in its order, then the block layer's delete. */
    static InternalSnapshot delete(BlockGraph graph, ObjectNode args) {
        String device = args.get("device").textValue();
        String id = text(args, "id");
        String name = text(args, "name");
        BlockNode bs = BlockSnapshots.rootNode(graph, device);
        if (id == null && name == null) {
            throw new BlockException("Name or id must be provided");
        }
        bs.checkOpNotBlocked(BlockOp.INTERNAL_SNAPSHOT_DELETE);
        Optional<InternalSnapshot> sn = BlockSnapshots.find(bs, id, name);
        if (sn.isEmpty()) {
            throw new BlockException("Snapshot with id '" + orNull(id) + "' and name '" + orNull(name)
                    + "' does not exist on device '" + device + "'");
        }
        BlockSnapshots.delete(graph, bs, id, name);
        return sn.get();
    }

    private static String text(ObjectNode args, String key) {
        JsonNode v = args.get(key);
        return v == null || v.isNull() ? null : v.textValue();
    }

    private static String orNull(String s) {
        return s == null ? "null" : s;
    }

    private static void qmp(Runnable r) {
        try {
            r.run();
        } catch (BlockException e) {
            throw new QmpException(e.getMessage());
        }
    }
}

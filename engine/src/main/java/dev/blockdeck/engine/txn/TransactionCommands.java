package dev.blockdeck.engine.txn;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.monitor.EventBroadcaster;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.EventDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.engine.monitor.qapi.UnionType;
import dev.blockdeck.qmp.QmpException;

/**
 * QMP {@code transaction}, {@code blockdev-snapshot-sync} and {@code blockdev-snapshot} (the stand-alone commands
 * are one-action transactions, as in QEMU), declared as QEMU 7.2 declares them, plus the downstream phase-trace
 * event {@value #TRACE_EVENT}.
 */
public final class TransactionCommands {
    public static final String TRACE_EVENT = "__dev.blockdeck_TRANSACTION_TRACE";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private TransactionCommands() {
    }

    /** The action types declared in the schema, in QEMU's TransactionActionKind order (implemented ones). */
    private static final List<String> KIND_ORDER = List.of("abort", "block-dirty-bitmap-add",
            "block-dirty-bitmap-remove", "block-dirty-bitmap-clear", "block-dirty-bitmap-enable",
            "block-dirty-bitmap-disable", "block-dirty-bitmap-merge", "blockdev-backup", "blockdev-snapshot",
            "blockdev-snapshot-internal-sync", "blockdev-snapshot-sync", "drive-backup");

    /**
     * Declares the commands. {@code extraData} maps further action types (implemented elsewhere and registered
     * on the returned engine) to their data types. {@code vmClock} is the VM's virtual clock, which internal
     * snapshots record ({@link InternalSnapshotCommands} adds their commands and action).
     */
    public static QmpTransaction register(QapiSchema schema, BlockGraph graph, EventBroadcaster events,
                                          PrintStream out, Map<String, ObjectType> extraData,
                                          Map<String, ActionFactory> extraFactories, LongSupplier vmClock) {
        QmpTransaction txn = new QmpTransaction(graph, out, (committed, data) -> {
            if (events != null) {
                events.emit(TRACE_EVENT, data);
            }
        });
        extraFactories.forEach(txn::register);

        ObjectType snapshotSync = ObjectType.builder("BlockdevSnapshotSync")
                .optional("device", STR)
                .optional("node-name", STR)
                .required("snapshot-file", STR)
                .optional("snapshot-node-name", STR)
                .optional("format", STR)
                .optional("mode", EnumType.of("NewImageMode", "existing", "absolute-paths"))
                .build();
        ObjectType snapshot = ObjectType.builder("BlockdevSnapshot")
                .required("node", STR).required("overlay", STR).build();
        Map<String, ObjectType> data = new LinkedHashMap<>();
        data.put("abort", ObjectType.builder("Abort").build());
        data.put("blockdev-snapshot", snapshot);
        data.put("blockdev-snapshot-sync", snapshotSync);
        data.put(InternalSnapshotAction.TYPE, InternalSnapshotAction.DATA);
        data.putAll(extraData);
        List<String> kinds = KIND_ORDER.stream().filter(data::containsKey).toList();
        Map<String, ObjectType> variants = new LinkedHashMap<>();
        for (String k : kinds) {
            variants.put(k, ObjectType.builder(wrapperName(k)).required("data", data.get(k)).build());
        }
        EnumType kind = new EnumType("TransactionActionKind", kinds);
        UnionType action = new UnionType("TransactionAction",
                ObjectType.builder("q_obj_TransactionAction-base").required("type", kind).build(), "type", variants);
        ObjectType props = ObjectType.builder("TransactionProperties")
                .optional("completion-mode", EnumType.of("ActionCompletionMode", "individual", "grouped"))
                .build();

        schema.add(CommandDef.of("transaction", ObjectType.builder("q_obj_transaction-arg")
                .required("actions", new ArrayType(action)).optional("properties", props).build(),
                ObjectType.EMPTY, (ctx, args) -> {
                    List<QmpTransaction.Entry> entries = new ArrayList<>();
                    for (JsonNode a : args.get("actions")) {
                        entries.add(new QmpTransaction.Entry(a.get("type").textValue(), (ObjectNode) a.get("data")));
                    }
                    boolean grouped = "grouped".equals(args.path("properties").path("completion-mode").asText());
                    run(() -> txn.run(entries, grouped));
                    return F.objectNode();
                }));
        schema.add(CommandDef.of("blockdev-snapshot-sync", snapshotSync, ObjectType.EMPTY, (ctx, args) -> {
            run(() -> txn.run(List.of(new QmpTransaction.Entry("blockdev-snapshot-sync", args)), false));
            return F.objectNode();
        }));
        schema.add(CommandDef.of("blockdev-snapshot", snapshot, ObjectType.EMPTY, (ctx, args) -> {
            run(() -> txn.run(List.of(new QmpTransaction.Entry("blockdev-snapshot", args)), false));
            return F.objectNode();
        }).withFeatures("allow-write-only-overlay"));
        InternalSnapshotCommands.register(schema, graph, txn, vmClock);

        ObjectType span = ObjectType.builder("q_obj_BlockdeckTxnPhase").required("phase", STR)
                .required("start-ns", INT).required("end-ns", INT).build();
        ObjectType drained = ObjectType.builder("q_obj_BlockdeckTxnDrained").required("node", STR)
                .required("start-ns", INT).required("end-ns", INT).build();
        ObjectType traced = ObjectType.builder("q_obj_BlockdeckTxnAction").required("type", STR)
                .required("phases", new ArrayType(span)).required("drained", new ArrayType(drained)).build();
        schema.add(new EventDef(TRACE_EVENT, ObjectType.builder("q_obj_" + TRACE_EVENT + "-arg")
                .required("outcome", EnumType.of("q_obj_BlockdeckTxnOutcome", "committed", "aborted"))
                .optional("error", STR)
                .required("total-ns", INT)
                .required("actions", new ArrayType(traced))
                .build()));
        return txn;
    }

    private static String wrapperName(String kind) {
        StringBuilder sb = new StringBuilder();
        for (String part : kind.split("-")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.append("Wrapper").toString();
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (BlockException e) {
            throw new QmpException(e.getMessage());
        }
    }
}

package dev.blockdeck.engine.bitmap.actions;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.bitmap.BitmapArgs;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.txn.TransactionAction;

/** The bitmap actions of QMP {@code transaction}, for the transaction command to plug in. */
public final class BitmapActions {
    /** The action types this factory makes, in QEMU's TransactionActionKind order. */
    public static final List<String> TYPES = List.of("block-dirty-bitmap-add", "block-dirty-bitmap-remove",
            "block-dirty-bitmap-clear", "block-dirty-bitmap-enable", "block-dirty-bitmap-disable",
            "block-dirty-bitmap-merge");

    private BitmapActions() {
    }

    /** The {@code data} type of each bitmap action, for the transaction command's union. */
    public static java.util.Map<String, dev.blockdeck.engine.monitor.qapi.ObjectType> dataTypes() {
        java.util.Map<String, dev.blockdeck.engine.monitor.qapi.ObjectType> m = new java.util.LinkedHashMap<>();
        for (String t : TYPES) {
            m.put(t, switch (t) {
                case "block-dirty-bitmap-add" -> dev.blockdeck.engine.bitmap.qmp.BitmapTypes.ADD;
                case "block-dirty-bitmap-merge" -> dev.blockdeck.engine.bitmap.qmp.BitmapTypes.MERGE;
                default -> dev.blockdeck.engine.bitmap.qmp.BitmapTypes.BITMAP;
            });
        }
        return m;
    }

    /** Factories for the transaction engine, one per bitmap action type. */
    public static java.util.Map<String, dev.blockdeck.engine.txn.ActionFactory> factories(BlockGraph graph) {
        java.util.Map<String, dev.blockdeck.engine.txn.ActionFactory> m = new java.util.LinkedHashMap<>();
        for (String t : TYPES) {
            m.put(t, (ctx, index, data) -> forTransaction(t, data, graph, ctx.grouped() ? "grouped" : "individual"));
        }
        return m;
    }

    /**
     * The action for {@code type} with its (already schema-checked) {@code data}. {@code completionMode} is the
     * transaction's ({@code individual} or {@code grouped}); every bitmap action refuses {@code grouped} in its
     * prepare, with QEMU's message.
     */
    public static TransactionAction forTransaction(String type, ObjectNode data, BlockGraph graph,
            String completionMode) {
        return switch (type) {
            case "block-dirty-bitmap-add" -> new AddBitmapAction(graph, completionMode, BitmapArgs.Add.of(data));
            case "block-dirty-bitmap-remove" ->
                    new RemoveBitmapAction(graph, completionMode, BitmapArgs.Named.of(data));
            case "block-dirty-bitmap-clear" -> new ClearBitmapAction(graph, completionMode, BitmapArgs.Named.of(data));
            case "block-dirty-bitmap-enable" ->
                    new ToggleBitmapAction(graph, completionMode, BitmapArgs.Named.of(data), true);
            case "block-dirty-bitmap-disable" ->
                    new ToggleBitmapAction(graph, completionMode, BitmapArgs.Named.of(data), false);
            case "block-dirty-bitmap-merge" -> new MergeBitmapAction(graph, completionMode, BitmapArgs.Merge.of(data));
            default -> throw new IllegalArgumentException("not a bitmap action: " + type);
        };
    }
}

package dev.blockdeck.engine.bitmap.qmp;

import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.bitmap.BitmapArgs;
import dev.blockdeck.engine.bitmap.BitmapOperations;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.qmp.QmpException;

/**
 * The dirty bitmap commands: block-dirty-bitmap-add/-remove/-clear/-enable/-disable/-merge and
 * x-debug-block-dirty-bitmap-sha256. Thin handlers over {@link BitmapOperations}, the same code the transaction
 * actions run; block-layer failures become GenericError with QEMU's text.
 */
public final class BitmapCommands {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private BitmapCommands() {
    }

    public static void register(QapiSchema schema, BlockGraph graph) {
        schema.add(CommandDef.of("block-dirty-bitmap-add", BitmapTypes.ADD, ObjectType.EMPTY, (ctx, args) -> done(() -> {
            BitmapArgs.Add a = BitmapArgs.Add.of(args);
            BitmapOperations.add(graph, a.node(), a.name(), a.granularity(), a.persistent(), a.disabled());
        })));
        schema.add(CommandDef.of("block-dirty-bitmap-remove", BitmapTypes.BITMAP, ObjectType.EMPTY,
                (ctx, args) -> done(() -> {
                    BitmapArgs.Named a = BitmapArgs.Named.of(args);
                    BitmapOperations.remove(graph, a.node(), a.name(), true);
                })));
        schema.add(CommandDef.of("block-dirty-bitmap-clear", BitmapTypes.BITMAP, ObjectType.EMPTY,
                (ctx, args) -> done(() -> {
                    BitmapArgs.Named a = BitmapArgs.Named.of(args);
                    BitmapOperations.clear(graph, a.node(), a.name(), false);
                })));
        schema.add(CommandDef.of("block-dirty-bitmap-enable", BitmapTypes.BITMAP, ObjectType.EMPTY,
                (ctx, args) -> done(() -> toggle(graph, args, true))));
        schema.add(CommandDef.of("block-dirty-bitmap-disable", BitmapTypes.BITMAP, ObjectType.EMPTY,
                (ctx, args) -> done(() -> toggle(graph, args, false))));
        schema.add(CommandDef.of("block-dirty-bitmap-merge", BitmapTypes.MERGE, ObjectType.EMPTY,
                (ctx, args) -> done(() -> {
                    BitmapArgs.Merge m = BitmapArgs.Merge.of(args);
                    BitmapOperations.merge(graph, m.node(), m.target(), m.bitmaps(), false);
                })));
        schema.add(CommandDef.of("x-debug-block-dirty-bitmap-sha256", BitmapTypes.BITMAP, BitmapTypes.SHA256,
                (ctx, args) -> call(() -> {
                    BitmapArgs.Named a = BitmapArgs.Named.of(args);
                    ObjectNode o = F.objectNode();
                    o.put("sha256", BitmapOperations.sha256(graph, a.node(), a.name()));
                    return o;
                })).withFeatures("unstable"));
    }

    private static void toggle(BlockGraph graph, ObjectNode args, boolean enable) {
        BitmapArgs.Named a = BitmapArgs.Named.of(args);
        BitmapOperations.setEnabled(graph, a.node(), a.name(), enable);
    }

    private static JsonNode done(Runnable r) {
        return call(() -> {
            r.run();
            return F.objectNode();
        });
    }

    private static JsonNode call(Supplier<JsonNode> s) {
        try {
            return s.get();
        } catch (BlockException e) {
            throw new QmpException(e.getMessage());
        }
    }
}

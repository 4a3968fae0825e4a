package dev.blockdeck.engine.block.qmp;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.qmp.QmpException;

/**
 * Block-layer QMP commands: blockdev-add, blockdev-del, query-named-block-nodes, query-block,
 * query-blockstats, x-debug-query-block-graph, x-blockdev-set-iothread. Thin handlers over {@link BlockGraph}
 * and {@link BlockQueries}; block-layer failures become GenericError with QEMU's text.
 */
public final class BlockCommands {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private BlockCommands() {
    }

    /** Declares the commands; returns the query builder (for extensions such as the job view). */
    public static BlockQueries register(QapiSchema schema, BlockGraph graph, IoThreads ioThreads) {
        BlockTypes t = BlockTypes.get();
        BlockQueries q = new BlockQueries(graph);
        AioContextQuery.register(schema, graph);
        schema.add(new dev.blockdeck.engine.monitor.qapi.EventDef("BLOCK_IMAGE_CORRUPTED",
                ObjectType.builder("q_obj_BLOCK_IMAGE_CORRUPTED-arg").required("device", STR)
                        .optional("node-name", STR).required("msg", STR)
                        .optional("offset", dev.blockdeck.engine.monitor.qapi.BuiltinType.INT)
                        .optional("size", dev.blockdeck.engine.monitor.qapi.BuiltinType.INT)
                        .required("fatal", BOOL).build()));
        dev.blockdeck.engine.bitmap.qmp.BitmapCommands.register(schema, graph);

        schema.add(CommandDef.of("blockdev-add", t.blockdevOptions(), ObjectType.EMPTY, (ctx, args) -> {
            run(() -> graph.blockdevAdd(NodeOptions.flatten(args)));
            return F.objectNode();
        }));
        schema.add(CommandDef.of("blockdev-del",
                ObjectType.builder("q_obj_blockdev-del-arg").required("node-name", STR).build(), ObjectType.EMPTY,
                (ctx, args) -> {
                    run(() -> graph.blockdevDel(args.get("node-name").textValue()));
                    return F.objectNode();
                }));
        schema.add(CommandDef.of("query-named-block-nodes",
                ObjectType.builder("q_obj_query-named-block-nodes-arg").optional("flat", BOOL).build(),
                new ArrayType(t.blockDeviceInfo()),
                (ctx, args) -> call(() -> q.namedBlockNodes(args.path("flat").asBoolean(false)))));
        schema.add(CommandDef.of("query-block", ObjectType.EMPTY, new ArrayType(t.blockInfo()),
                (ctx, args) -> call(q::queryBlock)));
        schema.add(CommandDef.of("query-blockstats",
                ObjectType.builder("q_obj_query-blockstats-arg").optional("query-nodes", BOOL).build(),
                new ArrayType(t.blockStats()),
                (ctx, args) -> call(() -> q.blockStats(args.path("query-nodes").asBoolean(false)))));
        schema.add(CommandDef.of("x-debug-query-block-graph", ObjectType.EMPTY, t.xdbgGraph(),
                (ctx, args) -> call(q::debugGraph)).withFeatures("unstable"));
        schema.add(CommandDef.of("x-blockdev-set-iothread",
                ObjectType.builder("q_obj_x-blockdev-set-iothread-arg").required("node-name", STR)
                        .required("iothread", t.strOrNull()).optional("force", BOOL).build(),
                ObjectType.EMPTY, (ctx, args) -> {
                    run(() -> setIothread(graph, ioThreads, args));
                    return F.objectNode();
                }).withFeatures("unstable"));
        return q;
    }

    private static void setIothread(BlockGraph graph, IoThreads ioThreads, ObjectNode args) {
        String nodeName = args.get("node-name").textValue();
        BlockNode bs = graph.findNode(nodeName).orElseThrow(
                () -> new BlockException("Failed to find node with node-name='" + nodeName + "'"));
        if (!args.path("force").asBoolean(false) && bs.hasBackend()) {
            throw new BlockException("Node " + nodeName + " is associated with a BlockBackend and could be in use "
                    + "(use force=true to override this check)");
        }
        JsonNode io = args.get("iothread");
        AioContext ctx;
        if (io.isTextual()) {
            IoThread thread = ioThreads.find(io.textValue()).orElseThrow(
                    () -> new BlockException("Cannot find iothread " + io.textValue()));
            ctx = thread.context();
        } else {
            ctx = graph.mainContext();
        }
        graph.changeContext(bs, ctx, null);
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (BlockException e) {
            throw new QmpException(e.getMessage());
        }
    }

    private static JsonNode call(java.util.function.Supplier<JsonNode> s) {
        try {
            return s.get();
        } catch (BlockException e) {
            throw new QmpException(e.getMessage());
        }
    }
}

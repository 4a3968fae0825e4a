package dev.blockdeck.engine.block.qmp;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.NULL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.monitor.qapi.AlternateType;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;

/**
 * Downstream extension {@code __dev.blockdeck_query-aio-contexts}: which AioContext every named node runs
 * in ({@code iothread} null = the main loop). QEMU has no such query, so a console cannot draw IOThread
 * lanes from QEMU's answers alone; on the engine it can, exactly.
 */
final class AioContextQuery {
    static final String NAME = "__dev.blockdeck_query-aio-contexts";

    private AioContextQuery() {
    }

    static void register(QapiSchema schema, BlockGraph graph) {
        ObjectType entry = ObjectType.builder("BlockdeckNodeAioContext").required("node-name", STR)
                .required("iothread", new AlternateType("StrOrNull", List.of(STR, NULL))).build();
        schema.add(CommandDef.of(NAME, ObjectType.EMPTY, new ArrayType(entry), (ctx, args) -> {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            List<BlockNode> nodes = graph.nodes();
            for (int i = nodes.size() - 1; i >= 0; i--) { // newest first, as query-named-block-nodes
                BlockNode n = nodes.get(i);
                ObjectNode e = out.addObject();
                e.put("node-name", n.name());
                if (n.aioContext().isMainLoop()) {
                    e.putNull("iothread");
                } else {
                    e.put("iothread", n.aioContext().name());
                }
            }
            return out;
        }));
    }
}

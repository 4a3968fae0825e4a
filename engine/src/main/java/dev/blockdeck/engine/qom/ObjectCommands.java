package dev.blockdeck.engine.qom;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.engine.monitor.qapi.UnionType;

/** object-add, object-del and query-iothreads. */
public final class ObjectCommands {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The qom-types object-add accepts: only the implemented ones. */
    static final EnumType OBJECT_TYPE = EnumType.of("ObjectType", IothreadObject.TYPE);
    static final ObjectType IOTHREAD_PROPERTIES = iothreadProperties();
    static final UnionType OBJECT_OPTIONS = new UnionType("ObjectOptions",
            ObjectType.builder("q_obj_ObjectOptions-base").required("qom-type", OBJECT_TYPE).required("id", STR)
                    .build(),
            "qom-type", Map.of(IothreadObject.TYPE, IOTHREAD_PROPERTIES));
    static final ObjectType IOTHREAD_INFO = ObjectType.builder("IOThreadInfo").required("id", STR)
            .required("thread-id", INT).required("poll-max-ns", INT).required("poll-grow", INT)
            .required("poll-shrink", INT).required("aio-max-batch", INT).build();

    private ObjectCommands() {
    }

    private static ObjectType iothreadProperties() {
        ObjectType.Builder b = ObjectType.builder("IothreadProperties");
        IothreadObject.SCHEMA_ORDER.forEach(m -> b.optional(m, INT));
        return b.build();
    }

    public static void register(QapiSchema schema, QomTree tree, UserObjects objects) {
        schema.add(CommandDef.of("object-add", OBJECT_OPTIONS, ObjectType.EMPTY, (ctx, args) -> {
            objects.addIothread(args.get("id").textValue(), schemaOrdered(args));
            return F.objectNode();
        }));
        schema.add(CommandDef.of("object-del", ObjectType.builder("q_obj_object-del-arg").required("id", STR).build(),
                ObjectType.EMPTY, (ctx, args) -> {
                    objects.delete(args.get("id").textValue());
                    return F.objectNode();
                }));
        schema.add(CommandDef.of("query-iothreads", ObjectType.EMPTY, new ArrayType(IOTHREAD_INFO),
                (ctx, args) -> queryIothreads(tree)));
    }

    /** The given iothread properties in schema order, as QEMU's output visitor rebuilds them. */
    private static ObjectNode schemaOrdered(ObjectNode args) {
        ObjectNode props = F.objectNode();
        for (String m : IothreadObject.SCHEMA_ORDER) {
            if (args.has(m)) {
                props.set(m, args.get(m));
            }
        }
        return props;
    }

    /** One entry per iothread child of /objects, in the container's hash-table order. */
    private static ArrayNode queryIothreads(QomTree tree) {
        QomContainer objects = tree.objects();
        ArrayNode list = F.arrayNode();
        for (String name : objects.childNames()) {
            if (objects.child(name).orElseThrow() instanceof IothreadObject io) {
                IoThread t = io.thread();
                list.addObject().put("id", t.id()).put("thread-id", t.threadId()).put("poll-max-ns", t.pollMaxNs())
                        .put("poll-grow", t.pollGrow()).put("poll-shrink", t.pollShrink())
                        .put("aio-max-batch", t.aioMaxBatch());
            }
        }
        return list;
    }
}

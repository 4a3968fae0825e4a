package dev.blockdeck.engine.qom;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.ANY;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.qmp.QmpErrorClass;
import dev.blockdeck.qmp.QmpException;

/**
 * qom-list, qom-get and qom-set. Objects the engine does not model ({@code /machine} and below,
 * {@code /chardevs}, {@code pc.ram}) answer as a missing path would.
 */
public final class QomCommands {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final ObjectType PROPERTY_INFO = ObjectType.builder("ObjectPropertyInfo").required("name", STR)
            .required("type", STR).optional("description", STR).optional("default-value", ANY).build();

    private QomCommands() {
    }

    public static void register(QapiSchema schema, QomTree tree) {
        schema.add(CommandDef.of("qom-list", ObjectType.builder("q_obj_qom-list-arg").required("path", STR).build(),
                new ArrayType(PROPERTY_INFO), (ctx, args) -> list(tree, args.get("path").textValue())));
        schema.add(CommandDef.of("qom-get", ObjectType.builder("q_obj_qom-get-arg").required("path", STR)
                .required("property", STR).build(), ANY, (ctx, args) -> {
                    QomObject o = find(tree, args.get("path").textValue());
                    return property(o, args.get("property").textValue()).getter().get();
                }));
        schema.add(CommandDef.of("qom-set", ObjectType.builder("q_obj_qom-set-arg").required("path", STR)
                .required("property", STR).required("value", ANY).build(), ObjectType.EMPTY, (ctx, args) -> {
                    QomObject o = find(tree, args.get("path").textValue());
                    String name = args.get("property").textValue();
                    QomProperty p = property(o, name);
                    if (!p.writable()) {
                        throw new QmpException("Property '" + o.typename() + "." + name + "' is not writable");
                    }
                    p.setter().set(args.get("value"));
                    return F.objectNode();
                }));
    }

    /** QEMU lists by prepending while it iterates, so the answer is the iteration order reversed. */
    private static JsonNode list(QomTree tree, String path) {
        QomPaths.Resolution r = tree.resolve(path);
        if (r.ambiguous()) {
            throw new QmpException("Path '" + path + "' is ambiguous");
        }
        QomObject o = modelled(r.object(), path);
        List<QomProperty> props = o.properties();
        ArrayNode out = F.arrayNode();
        for (int i = props.size() - 1; i >= 0; i--) {
            out.addObject().put("name", props.get(i).name()).put("type", props.get(i).type());
        }
        return out;
    }

    /** qom-get and qom-set do not tell an ambiguous path from a missing one. */
    private static QomObject find(QomTree tree, String path) {
        return modelled(tree.resolve(path).object(), path);
    }

    private static QomObject modelled(QomObject o, String path) {
        if (o == null || !o.modelled()) {
            throw new QmpException(QmpErrorClass.DeviceNotFound, "Device '" + path + "' not found");
        }
        return o;
    }

    private static QomProperty property(QomObject o, String name) {
        return o.property(name).orElseThrow(() -> new QmpException(
                "Property '" + o.typename() + "." + name + "' not found"));
    }
}

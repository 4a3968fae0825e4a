package dev.blockdeck.engine.monitor.qapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds {@code query-qmp-schema}'s answer from the declarations. Like QEMU, names of non-builtin
 * types are masked as numbers (so clients cannot depend on them); the empty object type is "0".
 */
public final class SchemaIntrospection {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Map<QapiType, String> names = new LinkedHashMap<>();
    private final List<QapiType> pending = new ArrayList<>();
    private int next;

    private SchemaIntrospection() {
    }

    public static ArrayNode of(QapiSchema schema) {
        return new SchemaIntrospection().build(schema);
    }

    private ArrayNode build(QapiSchema schema) {
        ArrayNode out = F.arrayNode();
        nameOf(ObjectType.EMPTY);
        for (CommandDef c : schema.commands()) {
            ObjectNode e = entity(c.name(), "command", c.features());
            e.put("arg-type", nameOf(c.arguments()));
            e.put("ret-type", nameOf(c.returns()));
            if (c.allowOob()) {
                e.put("allow-oob", true);
            }
            out.add(e);
        }
        for (EventDef ev : schema.events()) {
            ObjectNode e = entity(ev.name(), "event", List.of());
            e.put("arg-type", nameOf(ev.data()));
            out.add(e);
        }
        // types are described in the order they were first referenced; describing one may add more
        for (int i = 0; i < pending.size(); i++) {
            out.add(describe(pending.get(i)));
        }
        return out;
    }

    private ObjectNode entity(String name, String metaType, List<String> features) {
        ObjectNode e = F.objectNode();
        e.put("name", name);
        e.put("meta-type", metaType);
        if (!features.isEmpty()) {
            ArrayNode f = e.putArray("features");
            features.forEach(f::add);
        }
        return e;
    }

    private String nameOf(QapiType t) {
        t = TypeRef.resolve(t);
        if (t == BuiltinType.INT64 || t == BuiltinType.INT32 || t == BuiltinType.UINT32 || t == BuiltinType.UINT64
                || t == BuiltinType.SIZE) {
            t = BuiltinType.INT; // QEMU's introspection shows every integer type as plain int
        }
        String n = names.get(t);
        if (n != null) {
            return n;
        }
        if (t instanceof BuiltinType b) {
            n = b.schemaName();
        } else if (t instanceof ArrayType a) {
            n = "[" + nameOf(a.element()) + "]";
        } else {
            n = Integer.toString(next++);
        }
        names.put(t, n);
        pending.add(t);
        return n;
    }

    private ObjectNode describe(QapiType t) {
        String name = names.get(t);
        if (t instanceof BuiltinType b) {
            ObjectNode e = entity(name, "builtin", List.of());
            e.put("json-type", b.jsonType());
            return e;
        }
        if (t instanceof EnumType en) {
            ObjectNode e = entity(name, "enum", List.of());
            ArrayNode members = e.putArray("members");
            ArrayNode values = e.putArray("values");
            for (String v : en.values()) {
                members.addObject().put("name", v);
                values.add(v);
            }
            return e;
        }
        if (t instanceof ArrayType a) {
            ObjectNode e = entity(name, "array", List.of());
            e.put("element-type", nameOf(a.element()));
            return e;
        }
        if (t instanceof AlternateType alt) {
            ObjectNode e = entity(name, "alternate", List.of());
            ArrayNode members = e.putArray("members");
            alt.alternatives().forEach(a -> members.addObject().put("type", nameOf(a)));
            return e;
        }
        if (t instanceof UnionType u) {
            ObjectNode e = objectEntity(name, u.base());
            e.put("tag", u.tag());
            ArrayNode variants = e.putArray("variants");
            u.variants().forEach((value, type) -> {
                ObjectNode v = variants.addObject();
                v.put("case", value);
                v.put("type", nameOf(type));
            });
            return e;
        }
        return objectEntity(name, (ObjectType) t);
    }

    private ObjectNode objectEntity(String name, ObjectType o) {
        ObjectNode e = entity(name, "object", o.features());
        ArrayNode members = e.putArray("members");
        for (Member m : o.members()) {
            ObjectNode mn = members.addObject();
            mn.put("name", m.name());
            mn.put("type", nameOf(m.type()));
            if (m.optional()) {
                mn.putNull("default");
            }
            if (!m.features().isEmpty()) {
                ArrayNode f = mn.putArray("features");
                m.features().forEach(f::add);
            }
        }
        return e;
    }
}

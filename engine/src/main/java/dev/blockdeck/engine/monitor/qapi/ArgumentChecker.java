package dev.blockdeck.engine.monitor.qapi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.QmpException;
import dev.blockdeck.qmp.json.QdictOrder;

/**
 * Checks a JSON value against a QAPI type with the messages and the order of checks of QEMU's
 * QObject input visitor: members in schema order (wrong type, or missing), then leftover members
 * (unexpected). Paths in messages are built like QEMU's: {@code a.b}, {@code a[0].b}; enum and
 * alternate mismatches name only the leaf ({@code null} for a list element).
 */
public final class ArgumentChecker {
    /** One level of the path: a member name of an object, or an index into a list. */
    private record Step(String name, int index) {
    }

    private final Deque<Step> path = new ArrayDeque<>();
    /** Keyval input (-blockdev a=b) names list elements {@code a.0.b}, as its keys do, not {@code a[0].b}. */
    private final boolean keyvalPaths;

    private ArgumentChecker() {
        this(false);
    }

    private ArgumentChecker(boolean keyvalPaths) {
        this.keyvalPaths = keyvalPaths;
    }

    /** Checks a tree parsed from keyval syntax (union arguments such as BlockdevOptions). */
    public static void checkKeyval(QapiType type, ObjectNode arguments) {
        type = TypeRef.resolve(type);
        ArgumentChecker c = new ArgumentChecker(true);
        if (type instanceof UnionType u) {
            c.unionMembers(u, arguments);
        } else {
            c.members((ObjectType) type, arguments);
        }
    }

    /** Checks command arguments (the root object has no name of its own). */
    public static void check(ObjectType type, ObjectNode arguments) {
        new ArgumentChecker().members(type, arguments);
    }

    /** Checks the arguments of a command whose arguments are a union (QAPI 'boxed'). */
    public static void check(QapiType type, ObjectNode arguments) {
        type = TypeRef.resolve(type);
        if (type instanceof UnionType u) {
            new ArgumentChecker().unionMembers(u, arguments);
        } else {
            check((ObjectType) type, arguments);
        }
    }

    private void members(ObjectType type, ObjectNode obj) {
        Set<String> visited = new HashSet<>();
        visitMembers(type, obj, visited);
        checkNoneLeft(obj, visited);
    }

    /** A flat union: base members in order, then the members of the variant its tag selects. */
    private void unionMembers(UnionType type, ObjectNode obj) {
        Set<String> visited = new HashSet<>();
        visitMembers(type.base(), obj, visited);
        visitMembers(type.variant(obj.get(type.tag()).textValue()), obj, visited);
        checkNoneLeft(obj, visited);
    }

    private void visitMembers(ObjectType type, ObjectNode obj, Set<String> visited) {
        for (Member m : type.members()) {
            JsonNode v = obj.get(m.name());
            if (v == null) {
                if (!m.optional()) {
                    throw new QmpException("Parameter '" + fullName(m.name()) + "' is missing");
                }
                continue;
            }
            visited.add(m.name());
            value(m.type(), m.name(), v);
        }
    }

    private void checkNoneLeft(ObjectNode obj, Set<String> visited) {
        // QEMU puts every member into a GLib hash set, removes those it consumes, and names the first
        // one left in that set's order
        List<String> all = new ArrayList<>();
        QdictOrder.entries(obj).forEachRemaining(e -> all.add(e.getKey()));
        for (String key : GlibStringSetOrder.order(all)) {
            if (!visited.contains(key)) {
                throw new QmpException("Parameter '" + fullName(key) + "' is unexpected");
            }
        }
    }

    /** Checks {@code v} as a value of {@code type}; {@code leaf} is null for a list element. */
    private void value(QapiType type, String leaf, JsonNode v) {
        type = TypeRef.resolve(type);
        if (type instanceof BuiltinType b) {
            if (!b.accepts(v)) {
                throw wrongType(leaf, b);
            }
            if (b == BuiltinType.UINT32 && !BuiltinType.fitsUint32(v)) {
                // QEMU's visit_type_uintN names only the member, not its path
                throw new QmpException("Parameter '" + (leaf == null ? "null" : leaf) + "' expects uint32_t");
            }
            if (b == BuiltinType.INT32 && v.longValue() != (int) v.longValue()) {
                // QEMU's range check after reading an int64 names only the leaf
                throw new QmpException("Parameter '" + (leaf == null ? "null" : leaf) + "' expects int32_t");
            }
        } else if (type instanceof EnumType e) {
            if (!v.isTextual()) {
                throw wrongType(leaf, e);
            }
            if (!e.values().contains(v.textValue())) {
                throw new QmpException("Parameter '" + (leaf == null ? "null" : leaf)
                        + "' does not accept value '" + v.textValue() + "'");
            }
        } else if (type instanceof ArrayType a) {
            if (!v.isArray()) {
                throw wrongType(leaf, a);
            }
            for (int i = 0; i < v.size(); i++) {
                path.push(new Step(leaf, i));
                try {
                    value(a.element(), null, v.get(i));
                } finally {
                    path.pop();
                }
            }
        } else if (type instanceof ObjectType o) {
            if (!v.isObject()) {
                throw wrongType(leaf, o);
            }
            path.push(new Step(leaf, -1));
            try {
                members(o, (ObjectNode) v);
            } finally {
                path.pop();
            }
        } else if (type instanceof UnionType u) {
            if (!v.isObject()) {
                throw wrongType(leaf, u);
            }
            path.push(new Step(leaf, -1));
            try {
                unionMembers(u, (ObjectNode) v);
            } finally {
                path.pop();
            }
        } else if (type instanceof AlternateType alt) {
            QapiType chosen = alt.alternatives().stream().filter(t -> sameJsonKind(t, v)).findFirst()
                    .orElseThrow(() -> new QmpException("Invalid parameter type for '"
                            + (leaf == null ? "null" : leaf) + "', expected: " + alt.name()));
            value(chosen, leaf, v);
        }
    }

    /** Alternates pick a branch by the JSON kind of the value, as QEMU does by QObject type. */
    private static boolean sameJsonKind(QapiType t, JsonNode v) {
        t = TypeRef.resolve(t);
        if (t instanceof BuiltinType b) {
            switch (b) {
                case STR: return v.isTextual();
                case NULL: return v.isNull();
                case BOOL: return v.isBoolean();
                case ANY: return true;
                default: return v.isNumber();
            }
        }
        if (t instanceof EnumType) {
            return v.isTextual();
        }
        if (t instanceof ArrayType) {
            return v.isArray();
        }
        return (t instanceof ObjectType || t instanceof UnionType) && v.isObject();
    }

    private QmpException wrongType(String leaf, QapiType type) {
        if (type == BuiltinType.UINT32 || type == BuiltinType.UINT64 || type == BuiltinType.SIZE) {
            return new QmpException("Parameter '" + fullName(leaf) + "' expects " + type.expectedName());
        }
        return new QmpException("Invalid parameter type for '" + fullName(leaf) + "', expected: "
                + type.expectedName());
    }

    /** The path of {@code leaf} below the current position, as QEMU prints it. */
    private String fullName(String leaf) {
        StringBuilder sb = new StringBuilder();
        // path is a stack: iterate from the root (last) to the innermost (first)
        Iterator<Step> it = path.descendingIterator();
        while (it.hasNext()) {
            Step s = it.next();
            if (s.name() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(s.name());
            }
            if (s.index() >= 0 && keyvalPaths) {
                sb.append(sb.length() > 0 ? "." : "").append(s.index());
            } else if (s.index() >= 0) {
                sb.append('[').append(s.index()).append(']');
            }
        }
        if (leaf != null) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(leaf);
        }
        return sb.length() == 0 ? "<anonymous>" : sb.toString();
    }
}

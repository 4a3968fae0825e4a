package dev.blockdeck.engine.device;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.qom.OpaqueObject;
import dev.blockdeck.engine.qom.QomObject;
import dev.blockdeck.engine.qom.QomProperty;
import dev.blockdeck.qmp.QmpException;

/**
 * The QOM face of a device: the properties of its {@link PropertyTable} in QEMU's order, read from the device model
 * where it knows the value (an {@link #compute override}) and from the recording otherwise, with qom-set answering
 * as QEMU does for a realized device. Its {@code child<...>} properties are objects of the tree: a modelled child
 * device ({@link #child}) or, for memory regions and buses, placeholders that only take part in path resolution.
 */
final class DeviceQomObject implements QomObject {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** qom-set of one property of a realized device. */
    @FunctionalInterface
    interface Setter {
        void set(String property, JsonNode value);
    }

    private final PropertyTable table;
    private final Supplier<String> path;
    private final Map<String, Supplier<JsonNode>> computed = new HashMap<>();
    private final Map<PropertyTable.SetterKind, Setter> setters = new HashMap<>();
    private final Map<String, QomObject> children = new LinkedHashMap<>();
    /** The device's id for refusal messages, or null ("anonymous device"). */
    private final Supplier<String> id;

    /** {@code path} is the device's canonical QOM path (children's paths follow it). */
    DeviceQomObject(PropertyTable table, Supplier<String> path, Supplier<String> id) {
        this.table = table;
        this.path = path;
        this.id = id;
        for (PropertyTable.Row r : table.rows()) {
            if (r.isChild()) {
                String childType = r.type().substring("child<".length(), r.type().length() - 1);
                children.put(r.name(), new OpaqueObject(childType));
                computed.put(r.name(), () -> F.textNode(path.get() + "/" + r.name()));
            }
        }
        computed.put("type", () -> F.textNode(table.typename()));
        setters.put(PropertyTable.SetterKind.QDEV, (name, v) -> {
            throw afterRealize(name, table.typename(), this.id.get());
        });
        // aliases of the virtio-blk-device's properties: QEMU refuses them naming that device, which has no id
        setters.put(PropertyTable.SetterKind.BACKEND, (name, v) -> {
            throw afterRealize(name, VirtioBlkPci.BACKEND_TYPE, null);
        });
        setters.put(PropertyTable.SetterKind.REALIZED, (name, v) -> {
            if (!v.isBoolean()) {
                throw new QmpException("Invalid parameter type for 'realized', expected: boolean");
            }
            if (!v.booleanValue()) {
                throw new QmpException("Unrealizing a device through qom-set is not supported by this engine"
                        + " (use device_del)");
            }
        });
    }

    /** QEMU's refusal to change a qdev property of a realized device. */
    static QmpException afterRealize(String property, String typename, String id) {
        return new QmpException("Attempt to set property '" + property + "' on "
                + (id == null ? "anonymous device" : "device '" + id + "'") + " (type '" + typename
                + "') after it was realized");
    }

    /** The device model's value of {@code name} (instead of the recorded one). */
    void compute(String name, Supplier<JsonNode> value) {
        computed.put(name, value);
    }

    /** How qom-set treats properties of {@code kind} (the models give LINK, DRIVE and BOOTINDEX theirs). */
    void onSet(PropertyTable.SetterKind kind, Setter s) {
        setters.put(kind, s);
    }

    /** A modelled child device in place of a placeholder (virtio-blk-pci's {@code virtio-backend}). */
    void child(String name, QomObject child) {
        children.put(name, child);
    }

    @Override
    public String typename() {
        return table.typename();
    }

    @Override
    public boolean modelled() {
        return true;
    }

    @Override
    public List<QomProperty> properties() {
        List<QomProperty> out = new ArrayList<>();
        List<PropertyTable.Row> rows = table.rows();
        // qom-list answers in the reverse of QEMU's iteration order; the table holds qom-list's order
        for (int i = rows.size() - 1; i >= 0; i--) {
            PropertyTable.Row r = rows.get(i);
            out.add(new QomProperty(r.name(), r.type(), () -> read(r), setter(r)));
        }
        return out;
    }

    private JsonNode read(PropertyTable.Row r) {
        Supplier<JsonNode> c = computed.get(r.name());
        if (c != null) {
            return c.get();
        }
        if (r.value() == null) {
            throw new QmpException("Property '" + table.typename() + "." + r.name() + "' is not readable");
        }
        return r.value().deepCopy();
    }

    private QomProperty.Setter setter(PropertyTable.Row r) {
        if (r.setter() == PropertyTable.SetterKind.RO) {
            return null;
        }
        Setter s = setters.get(r.setter());
        return value -> s.set(r.name(), value);
    }

    @Override
    public Optional<QomObject> resolveComponent(String name) {
        return Optional.ofNullable(children.get(name));
    }

    @Override
    public Collection<QomObject> children() {
        return children.values();
    }
}

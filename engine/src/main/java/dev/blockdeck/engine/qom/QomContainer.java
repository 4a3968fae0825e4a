package dev.blockdeck.engine.qom;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.glib.GlibStringHashTable;
import dev.blockdeck.qmp.QmpException;

/**
 * A QOM {@code container} ({@code /objects}, {@code /machine/peripheral}, ...): nothing but children.
 * QEMU keeps an object's properties, children included, in a GLib hash table and lists children in its
 * order, so the order here is that table's, deletions included.
 */
public final class QomContainer implements QomObject {
    private final String path;
    private final String typename;
    private final boolean modelled;
    private final GlibStringHashTable order = new GlibStringHashTable();
    private final Map<String, QomObject> children = new HashMap<>();

    /** {@code path} is the canonical path ("/" for the root); {@code modelled} as in {@link QomObject}. */
    public QomContainer(String path, String typename, boolean modelled) {
        this.path = path;
        this.typename = typename;
        this.modelled = modelled;
    }

    public String path() {
        return path;
    }

    /** The canonical path of a child of this container. */
    public String childPath(String name) {
        return path.equals("/") ? "/" + name : path + "/" + name;
    }

    /** Adds a child property, with QEMU's message for a name already taken (class properties count). */
    public void addChild(String name, QomObject child) {
        if (name.equals("type") || !order.add(name)) {
            throw new QmpException("attempt to add duplicate property '" + name + "' to object (type '"
                    + typename + "')");
        }
        children.put(name, child);
    }

    /** Removes a child as object_property_del does (g_hash_table_remove: the table may shrink). */
    public boolean deleteProperty(String name) {
        children.remove(name);
        return order.remove(name);
    }

    /**
     * Removes a child as object_unparent does: QEMU finds it by iterating the table and removes it
     * through the iterator, which never shrinks the table (a later insertion may).
     */
    public boolean unparent(String name) {
        children.remove(name);
        return order.iterRemove(name);
    }

    public Optional<QomObject> child(String name) {
        return Optional.ofNullable(children.get(name));
    }

    /** Child names in QEMU's iteration order (object_child_foreach). */
    public List<String> childNames() {
        return order.keys();
    }

    @Override
    public String typename() {
        return typename;
    }

    @Override
    public boolean modelled() {
        return modelled;
    }

    @Override
    public List<QomProperty> properties() {
        List<QomProperty> props = new ArrayList<>();
        for (String name : order.keys()) {
            QomObject c = children.get(name);
            // reading a child property gives the child's canonical path; children are never writable
            props.add(QomProperty.readOnly(name, "child<" + c.typename() + ">",
                    () -> JsonNodeFactory.instance.textNode(childPath(name))));
        }
        props.add(QomProperty.readOnly("type", "string", () -> JsonNodeFactory.instance.textNode(typename)));
        return props;
    }

    @Override
    public Optional<QomObject> resolveComponent(String name) {
        return child(name);
    }

    @Override
    public Collection<QomObject> children() {
        return children.values();
    }
}

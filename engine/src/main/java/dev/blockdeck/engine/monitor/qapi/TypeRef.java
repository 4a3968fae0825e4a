package dev.blockdeck.engine.monitor.qapi;

/**
 * A reference to a type bound after its users are built, for recursive declarations: BlockdevRef names
 * BlockdevOptions, whose raw variant names BlockdevRef again; ImageInfo's {@code backing-image} and BlockStats'
 * {@code parent} name their own type. Equality is identity, so records holding a reference never recurse in
 * {@code equals}/{@code hashCode}; argument checking and introspection look through it.
 */
public final class TypeRef implements QapiType {
    private final String name;
    private volatile QapiType target;

    public TypeRef(String name) {
        this.name = name;
    }

    /** Binds the reference once; the target is normally the type that (indirectly) contains it. */
    public void bind(QapiType t) {
        if (target != null) {
            throw new IllegalStateException("type reference " + name + " bound twice");
        }
        target = t;
    }

    public QapiType target() {
        QapiType t = target;
        if (t == null) {
            throw new IllegalStateException("type reference " + name + " used before it was bound");
        }
        return t;
    }

    /** {@code t} itself, or what the reference chain starting at it finally names. */
    public static QapiType resolve(QapiType t) {
        while (t instanceof TypeRef r) {
            t = r.target();
        }
        return t;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String expectedName() {
        return target().expectedName();
    }

    @Override
    public String toString() {
        return "TypeRef[" + name + "]";
    }
}

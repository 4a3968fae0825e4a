package dev.blockdeck.engine.qom;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * An object of the QOM composition tree, as far as the engine models it. Objects that QEMU has but the
 * engine does not model ({@code /machine}, {@code pc.ram}) still exist for path resolution, so that
 * paths resolve (or are ambiguous) as in QEMU, but answer "not found" when inspected.
 */
public interface QomObject {
    /** The QOM type name ({@code iothread}, {@code container}, ...). */
    String typename();

    /** Whether qom-list, qom-get and qom-set may inspect this object. */
    boolean modelled();

    /** Properties in QEMU's iteration order: the object's own, then each class's, subclass first. */
    List<QomProperty> properties();

    /** The child (or link target) that a path component names here. */
    Optional<QomObject> resolveComponent(String name);

    /** The children, for partial path searches (any order: only the number of matches counts). */
    Collection<QomObject> children();

    default Optional<QomProperty> property(String name) {
        return properties().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}

package dev.blockdeck.engine.qom;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * An object QEMU has at this place but the engine does not model (e.g. q35's {@code /objects/pc.ram}):
 * it takes its name in its container (ordering and duplicate checks stay QEMU's) and cannot be deleted,
 * but qom-list, qom-get and qom-set answer "not found" for it.
 */
public record OpaqueObject(String typename) implements QomObject {
    @Override
    public boolean modelled() {
        return false;
    }

    @Override
    public List<QomProperty> properties() {
        return List.of();
    }

    @Override
    public Optional<QomObject> resolveComponent(String name) {
        return Optional.empty();
    }

    @Override
    public Collection<QomObject> children() {
        return List.of();
    }
}

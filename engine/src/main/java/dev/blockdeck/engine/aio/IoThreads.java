package dev.blockdeck.engine.aio;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The engine's iothread objects by id. {@link #find} is the one lookup every command uses
 * (each command words its own "not found" error, as QEMU's do). Touched from the main loop only.
 */
public final class IoThreads {
    private final Map<String, IoThread> byId = new LinkedHashMap<>();
    /** Every thread started and not yet stopped here, including deleted ones a holder keeps alive. */
    private final List<IoThread> live = new ArrayList<>();
    private Function<String, Optional<IoThread>> resolver = id -> Optional.ofNullable(byId.get(id));

    /**
     * The iothread that {@code id} names, resolved as QEMU resolves an iothread id: a plain id, but
     * also a QOM path ({@code /objects/io1}, {@code objects/io1}) once the QOM tree has installed its
     * resolver; {@code ""} names the only iothread when there is exactly one, as in QEMU.
     */
    public Optional<IoThread> find(String id) {
        return resolver.apply(id);
    }

    /** Installs QOM path resolution for {@link #find} (done by the QOM tree that owns the objects). */
    public void resolveWith(Function<String, Optional<IoThread>> pathResolver) {
        this.resolver = pathResolver;
    }

    /** The registered iothreads in registration order (QMP lists them in /objects order instead). */
    public Collection<IoThread> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public void add(IoThread t) {
        if (byId.putIfAbsent(t.id(), t) != null) {
            throw new IllegalStateException("duplicate iothread " + t.id());
        }
        live.removeIf(x -> !x.isAlive());
        live.add(t);
    }

    /** Unregisters {@code t} (object-del); its thread stops when its last holder releases it. */
    public void remove(IoThread t) {
        byId.remove(t.id(), t);
    }

    /** Stops every thread, registered or only still held (engine shutdown). */
    public void stopAll() {
        live.forEach(IoThread::stop);
        live.clear();
        byId.clear();
    }
}

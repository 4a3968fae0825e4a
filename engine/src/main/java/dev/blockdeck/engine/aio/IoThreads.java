package dev.blockdeck.engine.aio;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's iothread objects by id. {@link #find} is the one lookup every command uses
 * (each command words its own "not found" error, as QEMU's do). Touched from the main loop only.
 */
public final class IoThreads {
    private final Map<String, IoThread> byId = new LinkedHashMap<>();

    public Optional<IoThread> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<IoThread> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public void add(IoThread t) {
        if (byId.putIfAbsent(t.id(), t) != null) {
            throw new IllegalStateException("duplicate iothread " + t.id());
        }
    }

    public void remove(IoThread t) {
        byId.remove(t.id(), t);
    }

    /** Stops every thread (engine shutdown). */
    public void stopAll() {
        byId.values().forEach(IoThread::stop);
        byId.clear();
    }
}

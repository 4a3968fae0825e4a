package dev.blockdeck.engine.monitor.qapi;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The commands and events this engine offers, in declaration order. */
public final class QapiSchema {
    private final Map<String, CommandDef> commands = new LinkedHashMap<>();
    private final Map<String, EventDef> events = new LinkedHashMap<>();

    public void add(CommandDef c) {
        if (commands.putIfAbsent(c.name(), c) != null) {
            throw new IllegalStateException("command declared twice: " + c.name());
        }
    }

    public void add(EventDef e) {
        if (events.putIfAbsent(e.name(), e) != null) {
            throw new IllegalStateException("event declared twice: " + e.name());
        }
    }

    public Optional<CommandDef> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    public Collection<CommandDef> commands() {
        return Collections.unmodifiableCollection(commands.values());
    }

    public Collection<EventDef> events() {
        return Collections.unmodifiableCollection(events.values());
    }

    public EventDef event(String name) {
        EventDef e = events.get(name);
        if (e == null) {
            throw new IllegalArgumentException("undeclared event " + name);
        }
        return e;
    }
}

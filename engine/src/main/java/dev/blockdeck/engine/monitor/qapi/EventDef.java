package dev.blockdeck.engine.monitor.qapi;

/** One QMP event and the type of its {@code data}. */
public record EventDef(String name, ObjectType data) {
}

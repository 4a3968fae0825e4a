package dev.blockdeck.engine.qom;

import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/** One QOM property: its name, its QOM type as qom-list shows it, how to read it and (if writable) set it. */
public record QomProperty(String name, String type, Supplier<JsonNode> getter, Setter setter) {

    /** Sets a property from a QMP value; throws {@link dev.blockdeck.qmp.QmpException} with QEMU's message. */
    @FunctionalInterface
    public interface Setter {
        void set(JsonNode value);
    }

    public static QomProperty readOnly(String name, String type, Supplier<JsonNode> getter) {
        return new QomProperty(name, type, getter, null);
    }

    public boolean writable() {
        return setter != null;
    }
}

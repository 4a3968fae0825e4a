package dev.blockdeck.engine.monitor.qapi;

import java.util.List;

/** A QAPI enum: a string from a fixed list. */
public record EnumType(String name, List<String> values) implements QapiType {
    public EnumType {
        values = List.copyOf(values);
    }

    public static EnumType of(String name, String... values) {
        return new EnumType(name, List.of(values));
    }

    @Override
    public String expectedName() {
        return "string";
    }
}

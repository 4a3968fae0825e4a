package dev.blockdeck.engine.monitor.qapi;

import java.util.List;

/** A QAPI alternate: one of several types told apart by JSON type (e.g. StrOrNull). */
public record AlternateType(String name, List<QapiType> alternatives) implements QapiType {
    public AlternateType {
        alternatives = List.copyOf(alternatives);
    }

    @Override
    public String expectedName() {
        return name;
    }
}

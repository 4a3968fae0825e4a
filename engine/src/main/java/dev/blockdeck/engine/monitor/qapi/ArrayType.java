package dev.blockdeck.engine.monitor.qapi;

/** A QAPI list: {@code [T]}. */
public record ArrayType(QapiType element) implements QapiType {
    @Override
    public String name() {
        return "[" + element.name() + "]";
    }

    @Override
    public String expectedName() {
        return "array";
    }
}

package dev.blockdeck.engine.monitor.qapi;

/**
 * A type of the QAPI schema: what a command's arguments and return value look like. One declaration
 * drives argument checking ({@link ArgumentChecker}) and introspection ({@link SchemaIntrospection}).
 */
public sealed interface QapiType permits BuiltinType, EnumType, ArrayType, ObjectType, AlternateType, UnionType,
        TypeRef {
    /** The schema name (e.g. {@code str}, {@code StatusInfo}, {@code [str]}). */
    String name();

    /** What QEMU's input visitor names this type in "expected: ..." messages. */
    String expectedName();
}

package dev.blockdeck.engine.monitor.qapi;

import com.fasterxml.jackson.databind.JsonNode;

/** QAPI built-in scalar types. */
public enum BuiltinType implements QapiType {
    STR("str", "string", "string"),
    INT("int", "int", "integer"),
    INT64("int64", "int", "integer"),
    /** Visited as a uint64 first (whose errors it shares), then range-checked: see {@link #fitsUint32}. */
    UINT32("uint32", "int", "uint64"),
    /** A 32-bit signed integer: an integer that must also fit in 32 bits ("expects int32_t"). */
    INT32("int32", "int", "integer"),
    UINT64("uint64", "int", "uint64"),
    SIZE("size", "int", "size"),
    NUMBER("number", "number", "number"),
    BOOL("bool", "boolean", "boolean"),
    NULL("null", "null", "null"),
    ANY("any", "value", "any");

    private final String schemaName;
    private final String jsonType;
    private final String expected;

    BuiltinType(String schemaName, String jsonType, String expected) {
        this.schemaName = schemaName;
        this.jsonType = jsonType;
        this.expected = expected;
    }

    @Override
    public String expectedName() {
        return expected;
    }

    public String schemaName() {
        return schemaName;
    }

    /** The introspection {@code json-type}. */
    public String jsonType() {
        return jsonType;
    }

    /** Whether an accepted uint32 value is in range; QEMU takes negative numbers modulo 2^64 first. */
    public static boolean fitsUint32(JsonNode v) {
        if (v.canConvertToLong()) {
            return Long.compareUnsigned(v.longValue(), 0xffffffffL) <= 0;
        }
        return false;
    }

    /** Whether a JSON value is acceptable for this type (QEMU's QObject type check). */
    public boolean accepts(JsonNode v) {
        return switch (this) {
            case STR -> v.isTextual();
            case INT, INT64, INT32 -> v.isIntegralNumber() && v.canConvertToLong();
            case UINT32, UINT64, SIZE -> v.isIntegralNumber() && (v.canConvertToLong() || v.bigIntegerValue().bitLength() <= 64);
            case NUMBER -> v.isNumber();
            case BOOL -> v.isBoolean();
            case NULL -> v.isNull();
            case ANY -> true;
        };
    }
}

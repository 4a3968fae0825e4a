package dev.blockdeck.engine.monitor.commands;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.ANY;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.Member;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.UnionType;

/** The declaration of query-qmp-schema's own answer (QEMU's SchemaInfo union), for its introspection. */
final class SchemaInfoTypes {
    private static final ArrayType FEATURES = new ArrayType(STR);

    static final UnionType SCHEMA_INFO = build();

    private SchemaInfoTypes() {
    }

    private static UnionType build() {
        EnumType metaType = EnumType.of("SchemaMetaType", "builtin", "enum", "array", "object", "alternate",
                "command", "event");
        ObjectType base = ObjectType.builder("SchemaInfo-base").required("name", STR).required("meta-type", metaType)
                .optional("features", FEATURES).build();
        EnumType jsonType = EnumType.of("JSONType", "string", "number", "int", "boolean", "null", "object",
                "array", "value");
        ObjectType enumMember = ObjectType.builder("SchemaInfoEnumMember").required("name", STR)
                .optional("features", FEATURES).build();
        ObjectType objectMember = ObjectType.builder("SchemaInfoObjectMember").required("name", STR)
                .required("type", STR).optional("default", ANY).optional("features", FEATURES).build();
        ObjectType variant = ObjectType.builder("SchemaInfoObjectVariant").required("case", STR)
                .required("type", STR).build();
        Map<String, ObjectType> variants = new LinkedHashMap<>();
        variants.put("builtin", ObjectType.builder("SchemaInfoBuiltin").required("json-type", jsonType).build());
        variants.put("enum", new ObjectType("SchemaInfoEnum", List.of(
                Member.required("members", new ArrayType(enumMember)),
                new Member("values", FEATURES, false, List.of("deprecated")))));
        variants.put("array", ObjectType.builder("SchemaInfoArray").required("element-type", STR).build());
        variants.put("object", ObjectType.builder("SchemaInfoObject")
                .required("members", new ArrayType(objectMember)).optional("tag", STR)
                .optional("variants", new ArrayType(variant)).build());
        variants.put("alternate", ObjectType.builder("SchemaInfoAlternate").required("members",
                new ArrayType(ObjectType.builder("SchemaInfoAlternateMember").required("type", STR).build())).build());
        variants.put("command", ObjectType.builder("SchemaInfoCommand").required("arg-type", STR)
                .required("ret-type", STR).optional("allow-oob", BOOL).build());
        variants.put("event", ObjectType.builder("SchemaInfoEvent").required("arg-type", STR).build());
        return new UnionType("SchemaInfo", base, "meta-type", variants);
    }
}

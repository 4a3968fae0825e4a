package dev.blockdeck.engine.monitor.commands;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.EngineVersion;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.CommandContext;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.engine.monitor.qapi.SchemaIntrospection;
import dev.blockdeck.qmp.QmpErrorClass;
import dev.blockdeck.qmp.QmpException;

/** Monitor control: capability negotiation, version, and what the monitor offers. */
public final class ControlCommands {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final EnumType QMP_CAPABILITY = EnumType.of("QMPCapability", "oob");
    static final ObjectType VERSION_TRIPLE = ObjectType.builder("VersionTriple")
            .required("major", INT).required("minor", INT).required("micro", INT).build();
    static final ObjectType VERSION_INFO = ObjectType.builder("VersionInfo")
            .required("qemu", VERSION_TRIPLE).required("package", STR).build();
    static final ObjectType COMMAND_INFO = ObjectType.builder("CommandInfo").required("name", STR).build();

    private ControlCommands() {
    }

    public static void register(QapiSchema schema) {
        schema.add(CommandDef.of("qmp_capabilities",
                ObjectType.builder("q_obj_qmp_capabilities-arg").optional("enable", new ArrayType(QMP_CAPABILITY))
                        .build(),
                ObjectType.EMPTY, ControlCommands::qmpCapabilities));
        schema.add(CommandDef.of("query-version", ObjectType.EMPTY, VERSION_INFO,
                (ctx, args) -> EngineVersion.versionInfo()));
        schema.add(CommandDef.of("query-commands", ObjectType.EMPTY, new ArrayType(COMMAND_INFO),
                (ctx, args) -> {
                    ArrayNode list = F.arrayNode();
                    schema.commands().forEach(c -> list.addObject().put("name", c.name()));
                    return list;
                }));
        schema.add(CommandDef.of("query-qmp-schema", ObjectType.EMPTY, new ArrayType(SchemaInfoTypes.SCHEMA_INFO),
                (ctx, args) -> SchemaIntrospection.of(schema)));
    }

    private static JsonNode qmpCapabilities(CommandContext ctx, ObjectNode args) {
        if (ctx.negotiated()) {
            throw new QmpException(QmpErrorClass.CommandNotFound,
                    "Capabilities negotiation is already complete, command ignored");
        }
        Set<String> enable = new LinkedHashSet<>();
        for (JsonNode cap : args.path("enable")) {
            if (!ctx.offeredCapabilities().contains(cap.textValue())) {
                throw new QmpException("Capability " + cap.textValue() + " not available");
            }
            enable.add(cap.textValue());
        }
        ctx.completeNegotiation(enable);
        return F.objectNode();
    }
}

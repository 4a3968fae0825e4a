package dev.blockdeck.engine.monitor.commands;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;

import java.util.Arrays;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.EventDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.engine.vm.RunStatus;
import dev.blockdeck.engine.vm.VmState;

/** query-status, query-name, stop, cont, quit and their events. */
public final class RunStateCommands {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final EnumType RUN_STATE = new EnumType("RunState",
            Arrays.stream(RunStatus.values()).map(RunStatus::qapiName).toList());
    static final ObjectType STATUS_INFO = ObjectType.builder("StatusInfo")
            .required("running", BOOL).required("singlestep", BOOL).required("status", RUN_STATE).build();
    static final EnumType SHUTDOWN_CAUSE = EnumType.of("ShutdownCause", "none", "host-error", "host-qmp-quit",
            "host-qmp-system-reset", "host-signal", "host-ui", "guest-shutdown", "guest-reset", "guest-panic",
            "subsystem-reset", "snapshot-load");

    static final ObjectType NAME_INFO = ObjectType.builder("NameInfo")
            .optional("name", dev.blockdeck.engine.monitor.qapi.BuiltinType.STR).build();

    private RunStateCommands() {
    }

    public static void register(QapiSchema schema, VmState vm) {
        schema.add(CommandDef.of("query-status", ObjectType.EMPTY, STATUS_INFO, (ctx, args) -> {
            ObjectNode s = F.objectNode();
            s.put("running", vm.status() == RunStatus.RUNNING);
            s.put("singlestep", false);
            s.put("status", vm.status().qapiName());
            return s;
        }));
        schema.add(CommandDef.of("query-name", ObjectType.EMPTY, NAME_INFO, (ctx, args) -> {
            ObjectNode n = F.objectNode();
            if (vm.name() != null) {
                n.put("name", vm.name());
            }
            return n;
        }));
        schema.add(CommandDef.of("stop", ObjectType.EMPTY, ObjectType.EMPTY, (ctx, args) -> {
            vm.stop();
            return F.objectNode();
        }));
        schema.add(CommandDef.of("cont", ObjectType.EMPTY, ObjectType.EMPTY, (ctx, args) -> {
            vm.cont();
            return F.objectNode();
        }));
        schema.add(CommandDef.of("quit", ObjectType.EMPTY, ObjectType.EMPTY, (ctx, args) -> {
            vm.quit();
            return F.objectNode();
        }));
        schema.add(new EventDef("SHUTDOWN", ObjectType.builder("q_obj_SHUTDOWN-arg")
                .required("guest", BOOL).required("reason", SHUTDOWN_CAUSE).build()));
        schema.add(new EventDef("STOP", ObjectType.EMPTY));
        schema.add(new EventDef("RESUME", ObjectType.EMPTY));
    }
}

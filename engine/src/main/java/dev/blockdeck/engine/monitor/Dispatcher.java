package dev.blockdeck.engine.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.monitor.qapi.ArgumentChecker;
import dev.blockdeck.engine.monitor.qapi.CommandContext;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.qmp.QmpErrorClass;
import dev.blockdeck.qmp.QmpException;
import dev.blockdeck.qmp.QmpMessages;
import dev.blockdeck.qmp.QmpRequest;

/** Runs one well-formed request on the main loop and builds its answer, in QEMU's order of checks. */
public final class Dispatcher {
    static final String NEGOTIATION_ONLY = "qmp_capabilities";

    private final QapiSchema schema;

    public Dispatcher(QapiSchema schema) {
        this.schema = schema;
    }

    public ObjectNode dispatch(CommandContext ctx, QmpRequest req) {
        try {
            return QmpMessages.ret(run(ctx, req), req.id());
        } catch (QmpException e) {
            return QmpMessages.error(e.errorClass(), e.desc(), req.id());
        }
    }

    private JsonNode run(CommandContext ctx, QmpRequest req) {
        // in negotiation mode the only command that exists is qmp_capabilities
        CommandDef cmd = schema.command(req.command())
                .filter(c -> ctx.negotiated() || c.name().equals(NEGOTIATION_ONLY))
                .orElseThrow(() -> new QmpException(QmpErrorClass.CommandNotFound, ctx.negotiated()
                        ? "The command " + req.command() + " has not been found"
                        : "Expecting capabilities negotiation with 'qmp_capabilities'"));
        if (req.oob() && !cmd.allowOob()) {
            throw new QmpException("The command " + cmd.name() + " does not support OOB");
        }
        if (cmd.checkArguments()) {
            ArgumentChecker.check(cmd.arguments(), req.arguments());
        }
        return cmd.handler().run(ctx, req.arguments());
    }
}

package dev.blockdeck.engine.monitor.qapi;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One QMP command: its declaration (arguments, return type, features) and its handler. Argument
 * checking and {@code query-qmp-schema} are both derived from this one declaration.
 */
public record CommandDef(String name, QapiType arguments, QapiType returns, List<String> features,
                         boolean allowOob, boolean checkArguments, Handler handler) {

    /** Runs a command whose arguments already passed the declaration's checks. */
    @FunctionalInterface
    public interface Handler {
        JsonNode run(CommandContext context, ObjectNode arguments);
    }

    public CommandDef {
        features = List.copyOf(features);
    }

    public static CommandDef of(String name, QapiType arguments, QapiType returns, Handler handler) {
        return new CommandDef(name, arguments, returns, List.of(), false, true, handler);
    }

    public CommandDef withFeatures(String... f) {
        return new CommandDef(name, arguments, returns, List.of(f), allowOob, checkArguments, handler);
    }

    /**
     * QAPI's {@code 'gen': false} (device_add): the declared members are only what the schema shows; the handler
     * takes any arguments object and checks it itself, so nothing is checked before it runs.
     */
    public CommandDef withUncheckedArguments() {
        return new CommandDef(name, arguments, returns, features, allowOob, false, handler);
    }
}

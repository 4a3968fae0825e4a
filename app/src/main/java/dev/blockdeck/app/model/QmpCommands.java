package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.CompletableFuture;

/**
 * Runs one QMP command: completes with its {@code return} value, or fails with a
 * {@link dev.blockdeck.qmp.QmpCommandException}. The session provides it; tests feed recorded answers.
 */
@FunctionalInterface
public interface QmpCommands {
    CompletableFuture<JsonNode> execute(String command, ObjectNode arguments);
}

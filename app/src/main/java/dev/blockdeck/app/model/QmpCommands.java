package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.CompletableFuture;

/**
 * Runs one QMP command: completes with its {@code return} value, or fails with a
 * {@link dev.blockdeck.qmp.QmpCommandException}. The session provides it; tests feed recorded answers.
 */
@FunctionalInterface
public interface QmpCommands {
    CompletableFuture<JsonNode> execute(String command, ObjectNode arguments);

    /**
     * The command's answer, or null (never a failure) when the VM refused it or the call failed: for facts that
     * may be missing, such as a property a device type does not have.
     */
    default CompletableFuture<JsonNode> executeOrNull(String command, ObjectNode arguments) {
        CompletableFuture<JsonNode> f;
        try {
            f = execute(command, arguments);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((value, error) -> error != null || value == null || value.isNull() ? null : value);
    }

    /** {@code qom-get} of {@code property} at {@code path}, or null when it has none (see {@link #executeOrNull}). */
    default CompletableFuture<JsonNode> qomGet(String path, String property) {
        return executeOrNull("qom-get", JsonNodeFactory.instance.objectNode().put("path", path)
                .put("property", property));
    }
}

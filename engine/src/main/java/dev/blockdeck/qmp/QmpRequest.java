package dev.blockdeck.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A well-formed request envelope: command name, arguments ({@code {}} when absent) and the id
 * ({@code null} when the request had no id member; a JSON null id is a {@code NullNode}).
 */
public record QmpRequest(String command, ObjectNode arguments, JsonNode id, boolean oob) {
}

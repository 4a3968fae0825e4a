package dev.blockdeck.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/** An asynchronous QMP event; {@code data} is an empty object for events without members. */
public record QmpEvent(String name, JsonNode data, long seconds, long microseconds) {
}

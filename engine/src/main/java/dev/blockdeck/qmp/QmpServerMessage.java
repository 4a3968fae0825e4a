package dev.blockdeck.qmp;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** What a QMP server sends, typed: the greeting, a command's return or error, or an event. */
public sealed interface QmpServerMessage {

    record Greeting(JsonNode version, List<String> capabilities) implements QmpServerMessage {
    }

    /** {@code id} is null when the request had none. */
    record Return(JsonNode value, JsonNode id) implements QmpServerMessage {
    }

    /** {@code id} is null when the request had none, or could not be parsed. */
    record Error(String errorClass, String desc, JsonNode id) implements QmpServerMessage {
    }

    record Event(QmpEvent event) implements QmpServerMessage {
    }

    /** Classifies one message from a server; anything else is a protocol violation. */
    static QmpServerMessage of(JsonNode msg) {
        if (msg.isObject()) {
            if (msg.has("QMP")) {
                JsonNode qmp = msg.get("QMP");
                List<String> caps = new ArrayList<>();
                qmp.path("capabilities").forEach(c -> caps.add(c.asText()));
                return new Greeting(qmp.get("version"), List.copyOf(caps));
            }
            if (msg.has("return")) {
                return new Return(msg.get("return"), msg.get("id"));
            }
            if (msg.has("error")) {
                JsonNode e = msg.get("error");
                return new Error(e.path("class").asText(), e.path("desc").asText(), msg.get("id"));
            }
            QmpEvent ev = QmpMessages.asEvent(msg);
            if (ev != null) {
                return new Event(ev);
            }
        }
        throw new IllegalArgumentException("not a QMP server message: " + msg);
    }
}

package dev.blockdeck.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the server's outgoing messages. Member order is fixed later by QdictOrder at write time. */
public final class QmpMessages {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private QmpMessages() {
    }

    public static ObjectNode greeting(JsonNode version, Iterable<String> capabilities) {
        ObjectNode qmp = F.objectNode();
        qmp.set("version", version);
        var caps = qmp.putArray("capabilities");
        capabilities.forEach(caps::add);
        ObjectNode msg = F.objectNode();
        msg.set("QMP", qmp);
        return msg;
    }

    public static ObjectNode ret(JsonNode value, JsonNode id) {
        ObjectNode msg = F.objectNode();
        msg.set("return", value);
        if (id != null) {
            msg.set("id", id);
        }
        return msg;
    }

    public static ObjectNode error(QmpErrorClass cls, String desc, JsonNode id) {
        ObjectNode msg = F.objectNode();
        if (id != null) {
            msg.set("id", id);
        }
        ObjectNode err = msg.putObject("error");
        err.put("class", cls.name());
        err.put("desc", desc);
        return msg;
    }

    public static ObjectNode event(String name, JsonNode data, long seconds, long micros) {
        ObjectNode msg = F.objectNode();
        msg.put("event", name);
        if (data != null) {
            msg.set("data", data);
        }
        ObjectNode ts = msg.putObject("timestamp");
        ts.put("seconds", seconds);
        ts.put("microseconds", micros);
        return msg;
    }

    /** Reads an incoming message as an event, or null if it is not one. */
    public static QmpEvent asEvent(JsonNode msg) {
        if (!msg.isObject() || !msg.has("event")) {
            return null;
        }
        JsonNode ts = msg.path("timestamp");
        JsonNode data = msg.has("data") ? msg.get("data") : F.objectNode();
        return new QmpEvent(msg.get("event").asText(), data, ts.path("seconds").asLong(),
                ts.path("microseconds").asLong());
    }
}

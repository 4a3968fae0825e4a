package dev.blockdeck.qmp;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.json.QdictOrder;

/** Checks a request envelope the way QEMU 7.2's dispatcher does, first failure wins. */
public final class QmpEnvelope {
    private QmpEnvelope() {
    }

    public static QmpRequest parse(JsonNode value, boolean oobEnabled) {
        if (!value.isObject()) {
            throw new QmpEnvelopeException("QMP input must be a JSON object", null);
        }
        JsonNode id = value.get("id");
        String command = null;
        boolean oob = false;
        ObjectNode arguments = null;
        // QEMU walks the request dict in its hash-table order, so with several bad members the first
        // reported one is the first in that order, not in input order.
        Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries((ObjectNode) value);
        String seenCommandKey = null;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "execute", "exec-oob" -> {
                    if (key.equals("exec-oob") && !oobEnabled) {
                        throw new QmpEnvelopeException("QMP input member 'exec-oob' is unexpected", id);
                    }
                    if (!v.isTextual()) {
                        throw new QmpEnvelopeException("QMP input member '" + key + "' must be a string", id);
                    }
                    if (seenCommandKey != null) {
                        throw new QmpEnvelopeException("QMP input member '" + key + "' clashes with '"
                                + seenCommandKey + "'", id);
                    }
                    seenCommandKey = key;
                    command = v.textValue();
                    oob = key.equals("exec-oob");
                }
                case "arguments" -> {
                    if (!v.isObject()) {
                        throw new QmpEnvelopeException("QMP input member 'arguments' must be an object", id);
                    }
                    arguments = (ObjectNode) v;
                }
                case "id" -> {
                    // any JSON value is a valid id
                }
                default -> throw new QmpEnvelopeException("QMP input member '" + key + "' is unexpected", id);
            }
        }
        if (command == null) {
            throw new QmpEnvelopeException("QMP input lacks member 'execute'", id);
        }
        if (arguments == null) {
            arguments = JsonNodeFactory.instance.objectNode();
        }
        return new QmpRequest(command, arguments, id, oob);
    }
}

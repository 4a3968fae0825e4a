package dev.blockdeck.engine.device;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.cli.EngineOptionParser;
import dev.blockdeck.qmp.QmpException;
import dev.blockdeck.qmp.json.QdictOrder;

/**
 * One device's options as QEMU 7.2 hands them to the device code: {@code driver}, {@code bus} and {@code id}, and the
 * other properties as strings in the order they are applied (QEMU's QDict order). device_add's arguments go through
 * QemuOpts first, as in QEMU: strings stay, numbers and booleans become text ({@code on}/{@code off}), anything
 * else is dropped, and an {@code id} that is not a string counts as no id.
 */
record DeviceOptions(String driver, String bus, String id, List<Map.Entry<String, String>> properties) {

    /** device_add's arguments (any JSON object: QEMU's device_add is not type-checked by its schema). */
    static DeviceOptions fromQmp(ObjectNode args) {
        JsonNode idNode = args.get("id");
        String id = idNode != null && idNode.isTextual() ? idNode.textValue() : null;
        if (id != null && !EngineOptionParser.isIdentifier(id)) {
            throw new QmpException("Parameter 'id' expects an identifier");
        }
        Map<String, String> text = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries(args); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("id")) {
                continue;
            }
            String v = asText(e.getValue());
            if (v != null) {
                text.put(e.getKey(), v);
            }
        }
        return of(text, id);
    }

    /** A {@code -device} option's keys and values (already parsed, the implied first key being {@code driver}). */
    static DeviceOptions fromCommandLine(Map<String, String> kv) {
        Map<String, String> text = new LinkedHashMap<>(kv);
        String id = text.remove("id");
        return of(text, id);
    }

    private static DeviceOptions of(Map<String, String> text, String id) {
        String driver = text.remove("driver");
        String bus = text.remove("bus");
        ObjectNode rest = JsonNodeFactory.instance.objectNode();
        text.forEach(rest::put);
        List<Map.Entry<String, String>> ordered = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries(rest); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ordered.add(Map.entry(e.getKey(), e.getValue().textValue()));
        }
        return new DeviceOptions(driver, bus, id, List.copyOf(ordered));
    }

    /** QemuOpts' view of a JSON value, or null for the kinds it ignores. */
    private static String asText(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "on" : "off";
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
        }
        return null;
    }
}

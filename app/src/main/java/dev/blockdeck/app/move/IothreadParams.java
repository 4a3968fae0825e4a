package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tunables of an iothread that {@code object-add} takes and {@code query-iothreads} reports, by QOM property
 * name ({@code poll-max-ns}, {@code poll-grow}, {@code poll-shrink}, {@code aio-max-batch}); a property left out
 * gets the VM's default. Re-creating a deleted iothread with these gives it back as it was.
 */
public record IothreadParams(Map<String, Long> values) {

    /** In the order QEMU documents them. */
    public static final List<String> PROPERTIES = List.of("poll-max-ns", "poll-grow", "poll-shrink", "aio-max-batch");

    /** Nothing set: the VM's defaults (a new iothread from the dialog). */
    public static final IothreadParams DEFAULTS = new IothreadParams(Map.of());

    public IothreadParams {
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String p : PROPERTIES) {
            if (values.containsKey(p)) {
                ordered.put(p, values.get(p));
            }
        }
        values = Collections.unmodifiableMap(ordered);
    }

    /** From one {@code query-iothreads} entry: the properties it reports as integers. */
    public static IothreadParams of(JsonNode entry) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String p : PROPERTIES) {
            JsonNode v = entry.path(p);
            if (v.isIntegralNumber()) {
                values.put(p, v.asLong());
            }
        }
        return new IothreadParams(values);
    }

    /** Adds the properties to {@code object-add}'s arguments. */
    void addTo(ObjectNode arguments) {
        values.forEach(arguments::put);
    }

    /** {@code poll-max-ns 1000, poll-grow 3}; empty when nothing is set. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        values.forEach((p, v) -> parts.add(p + " " + v));
        return String.join(", ", parts);
    }
}

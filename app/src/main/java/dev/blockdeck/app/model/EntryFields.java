package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flattens one entry the VM reported (a {@code query-named-block-nodes}, {@code query-block} or
 * {@code query-iothreads} element) into named fields with categories. Every member is kept, nested ones
 * under a dotted name ({@code format-specific.data.compat}); an empty list or object is one field of its own,
 * so nothing the VM said disappears.
 */
public final class EntryFields {

    public enum Source { BLOCK_NODE, BLOCK_BACKEND, IOTHREAD }

    /**
     * @param path the member's full path in the entry ({@code image.virtual-size}), for lookups and edits
     */
    public record Field(String category, String name, String path, JsonNode value) {
    }

    public static final String NODE = "Node";
    public static final String BACKEND = "BlockBackend";
    public static final String INSERTED = "Inserted node";
    public static final String IOTHREAD = "IOThread";
    public static final String IMAGE = "Image";
    public static final String CACHE = "Cache";
    public static final String LIMITS = "I/O limits";
    public static final String BITMAPS = "Dirty bitmaps";

    /** The order categories are shown in; others follow in the order met. */
    public static final List<String> CATEGORY_ORDER = List.of(NODE, BACKEND, IOTHREAD, INSERTED, IMAGE, CACHE,
            LIMITS, BITMAPS);

    /** BlockDeviceInfo's throttling members ({@code block_set_io_throttle}'s). */
    private static final Set<String> THROTTLING = Set.of("bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr",
            "bps_max", "bps_rd_max", "bps_wr_max", "iops_max", "iops_rd_max", "iops_wr_max", "bps_max_length",
            "bps_rd_max_length", "bps_wr_max_length", "iops_max_length", "iops_rd_max_length",
            "iops_wr_max_length", "iops_size", "group");

    private static final Map<String, String> NESTED = Map.of("image", IMAGE, "cache", CACHE, "dirty-bitmaps", BITMAPS);

    private EntryFields() {
    }

    /** What identifies an entry comes first in its own category; the rest keeps the VM's order. */
    private static final List<String> FIRST = List.of("node-name", "drv", "file", "backing_file", "ro", "device",
            "qdev", "type", "id", "thread-id", "poll-max-ns", "poll-grow", "poll-shrink", "aio-max-batch");

    public static List<Field> of(Source source, JsonNode entry) {
        List<Field> out = new ArrayList<>();
        if (entry == null || !entry.isObject()) {
            return out;
        }
        collect(source, entry, out);
        // stable: equal ranks keep the VM's order
        out.sort(java.util.Comparator.comparingInt(f -> {
            int i = FIRST.indexOf(f.path().startsWith("inserted.") ? f.path().substring(9) : f.path());
            return i < 0 ? FIRST.size() : i;
        }));
        return out;
    }

    private static void collect(Source source, JsonNode entry, List<Field> out) {
        switch (source) {
            case BLOCK_NODE -> nodeMembers(entry, "", NODE, out);
            case IOTHREAD -> entry.fields().forEachRemaining(e -> flatten(IOTHREAD, e.getKey(), e.getKey(), e.getValue(), out));
            case BLOCK_BACKEND -> entry.fields().forEachRemaining(e -> {
                if (e.getKey().equals("inserted") && e.getValue().isObject()) {
                    nodeMembers(e.getValue(), "inserted.", INSERTED, out);
                } else {
                    flatten(BACKEND, e.getKey(), e.getKey(), e.getValue(), out);
                }
            });
        }
    }

    /** A BlockDeviceInfo: its own scalars under {@code plain}, image, cache, limits and bitmaps apart. */
    private static void nodeMembers(JsonNode info, String prefix, String plain, List<Field> out) {
        info.fields().forEachRemaining(e -> {
            String key = e.getKey();
            String nested = NESTED.get(key);
            if (nested != null && e.getValue().isContainerNode() && !e.getValue().isEmpty()) {
                flattenChildren(nested, "", prefix + key, e.getValue(), out);
            } else {
                flatten(THROTTLING.contains(key) ? LIMITS : plain, key, prefix + key, e.getValue(), out);
            }
        });
    }

    private static void flatten(String category, String name, String path, JsonNode value, List<Field> out) {
        if (value.isContainerNode() && !value.isEmpty()) {
            flattenChildren(category, name, path, value, out);
        } else {
            out.add(new Field(category, name, path, value));
        }
    }

    private static void flattenChildren(String category, String name, String path, JsonNode value, List<Field> out) {
        if (value.isObject()) {
            value.fields().forEachRemaining(e -> flatten(category, join(name, e.getKey()), path + "." + e.getKey(),
                    e.getValue(), out));
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            // a list of named things (dirty bitmaps) reads better by name than by index
            String label = element.path("name").isTextual() && !element.path("name").asText().isEmpty()
                    ? element.path("name").asText() : "[" + i + "]";
            flatten(category, name.isEmpty() ? label : name + (label.startsWith("[") ? label : "." + label),
                    path + "[" + i + "]", element, out);
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "." + b;
    }

    /** How a value reads in a sheet: strings bare, byte counts with their binary size too. */
    public static String display(Field f) {
        JsonNode v = f.value();
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isIntegralNumber() && isByteCount(f.path()) && v.asLong() >= 1024) {
            return v.asText() + " (" + Units.bytes(v.asLong()) + ")";
        }
        return v.toString();
    }

    private static boolean isByteCount(String path) {
        return path.endsWith("virtual-size") || path.endsWith("actual-size") || path.endsWith("cluster-size")
                || path.endsWith(".granularity") || path.endsWith("write_threshold");
    }
}

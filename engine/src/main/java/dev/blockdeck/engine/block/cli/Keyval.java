package dev.blockdeck.engine.block.cli;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.blockdeck.engine.block.BlockException;

/**
 * QEMU's keyval syntax ({@code -blockdev driver=file,file.x=y}): dotted keys build nested objects, values are
 * strings ({@code ,,} is a comma), a repeated key keeps the last value, numeric keys make lists
 * ({@code x.0=a,x.1=b}). Messages are QEMU's.
 */
final class Keyval {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern FRAGMENT = Pattern.compile("__[a-z0-9.-]+|_|[A-Za-z][A-Za-z0-9_-]*|[0-9]+");

    private Keyval() {
    }

    static ObjectNode parse(String text) {
        ObjectNode root = F.objectNode();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && text.charAt(i) != ',') {
                i++;
            }
            String key = text.substring(keyStart, i);
            if (i >= n || text.charAt(i) == ',') {
                if (key.isEmpty()) {
                    throw new BlockException("Invalid parameter ''");
                }
                throw new BlockException("Expected '=' after parameter '" + key + "'");
            }
            i++; // '='
            StringBuilder val = new StringBuilder();
            while (i < n) {
                char c = text.charAt(i);
                if (c == ',') {
                    if (i + 1 < n && text.charAt(i + 1) == ',') {
                        val.append(',');
                        i += 2;
                        continue;
                    }
                    break;
                }
                val.append(c);
                i++;
            }
            i++; // ','
            put(root, key, val.toString());
        }
        return (ObjectNode) listify(root, "");
    }

    /**
     * QEMU's keyval_listify: an object whose keys are all list indexes ({@code inject-error.0.event}) becomes a
     * list; indexes must run from 0 without gaps, and may not be mixed with member names.
     */
    private static JsonNode listify(ObjectNode cur, String prefix) {
        boolean hasIndex = false;
        boolean hasMember = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = cur.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (isIndex(e.getKey())) {
                hasIndex = true;
            } else {
                hasMember = true;
            }
            if (e.getValue() instanceof ObjectNode o) {
                e.setValue(listify(o, prefix + e.getKey() + "."));
            }
        }
        if (hasIndex && hasMember) {
            throw new BlockException("Parameters '" + prefix + "*' used inconsistently");
        }
        if (!hasIndex) {
            return cur;
        }
        Map<Integer, JsonNode> byIndex = new HashMap<>();
        int max = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = cur.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int index = index(e.getKey());
            max = Math.max(max, index);
            byIndex.put(index, e.getValue());
        }
        ArrayNode list = F.arrayNode();
        for (int i = 0; i <= max; i++) {
            JsonNode v = byIndex.get(i);
            if (v == null) {
                throw new BlockException("Parameter '" + prefix + i + "' missing");
            }
            list.add(v);
        }
        return list;
    }

    private static boolean isIndex(String key) {
        return !key.isEmpty() && Character.isDigit(key.charAt(0));
    }

    private static int index(String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // QEMU's strtoi range error: the index is then missing below it
        }
    }

    private static void put(ObjectNode root, String key, String value) {
        String[] parts = key.split("\\.", -1);
        for (String p : parts) {
            if (!FRAGMENT.matcher(p).matches()) {
                throw new BlockException("Invalid parameter '" + key + "'");
            }
        }
        ObjectNode cur = root;
        StringBuilder prefix = new StringBuilder();
        for (int k = 0; k < parts.length - 1; k++) {
            if (prefix.length() > 0) {
                prefix.append('.');
            }
            prefix.append(parts[k]);
            JsonNode next = cur.get(parts[k]);
            if (next == null) {
                next = cur.putObject(parts[k]);
            } else if (!next.isObject()) {
                throw new BlockException("Parameters '" + prefix + ".*' used inconsistently");
            }
            cur = (ObjectNode) next;
        }
        String last = parts[parts.length - 1];
        JsonNode existing = cur.get(last);
        if (existing != null && existing.isObject()) {
            throw new BlockException("Parameters '" + key + ".*' used inconsistently");
        }
        cur.set(last, TextNode.valueOf(value));
    }
}

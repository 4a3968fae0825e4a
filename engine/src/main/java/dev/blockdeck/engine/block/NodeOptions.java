package dev.blockdeck.engine.block;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.blockdeck.qmp.json.QdictOrder;

/**
 * The options of a node being opened, flattened as QEMU's QDict after {@code qdict_flatten}: nested objects
 * become dotted keys ({@code file.filename}, {@code cache.direct}). Values are typed when they come from
 * blockdev-add or -blockdev and strings when they come from -drive; the getters accept both, with QemuOpts'
 * parsing and messages. Insertion order is kept (it decides QEMU's member order inside json: filenames).
 */
public final class NodeOptions {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final LinkedHashMap<String, JsonNode> map;

    public NodeOptions() {
        this.map = new LinkedHashMap<>();
    }

    private NodeOptions(LinkedHashMap<String, JsonNode> map) {
        this.map = map;
    }

    /** Flattens a QAPI object tree ({@code qdict_flatten}); lists become {@code key.0}, {@code key.1}. */
    public static NodeOptions flatten(ObjectNode tree) {
        NodeOptions o = new NodeOptions();
        flattenInto(o.map, "", tree);
        return o;
    }

    private static void flattenInto(Map<String, JsonNode> out, String prefix, JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            put(out, prefix + e.getKey(), e.getValue());
        }
    }

    private static void put(Map<String, JsonNode> out, String key, JsonNode v) {
        if (v.isObject() && v.size() > 0) {
            flattenInto(out, key + ".", v);
        } else if (v.isArray() && v.size() > 0) {
            for (int i = 0; i < v.size(); i++) {
                JsonNode el = v.get(i);
                if (el.isObject() && el.size() > 0) {
                    // qdict_flatten takes a list element's members in QEMU's dictionary order
                    Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries((ObjectNode) el);
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        put(out, key + "." + i + "." + e.getKey(), e.getValue());
                    }
                } else {
                    put(out, key + "." + i, el);
                }
            }
        } else {
            out.put(key, v);
        }
    }

    public NodeOptions copy() {
        return new NodeOptions(new LinkedHashMap<>(map));
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    public int size() {
        return map.size();
    }

    public boolean has(String key) {
        return map.containsKey(key);
    }

    public JsonNode get(String key) {
        return map.get(key);
    }

    public Set<String> keys() {
        return map.keySet();
    }

    public String firstKey() {
        return map.isEmpty() ? null : map.keySet().iterator().next();
    }

    public void put(String key, JsonNode v) {
        map.put(key, v);
    }

    public void putString(String key, String v) {
        map.put(key, TextNode.valueOf(v));
    }

    public JsonNode remove(String key) {
        return map.remove(key);
    }

    /** A string value, or null when absent or not a string ({@code qdict_get_try_str}). */
    public String getString(String key) {
        JsonNode v = map.get(key);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** {@code qdict_set_default_str}. */
    public void setDefault(String key, String value) {
        map.putIfAbsent(key, TextNode.valueOf(value));
    }

    /** {@code qdict_copy_default}: takes {@code key} from {@code from} unless already set. */
    public void copyDefault(NodeOptions from, String key) {
        if (!map.containsKey(key) && from != null && from.map.containsKey(key)) {
            map.put(key, from.map.get(key));
        }
    }

    /** {@code qdict_extract_subqdict}: moves every {@code prefix.*} entry out, without the prefix. */
    public NodeOptions extract(String prefix) {
        String dot = prefix + ".";
        NodeOptions sub = new NodeOptions();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith(dot)) {
                sub.map.put(e.getKey().substring(dot.length()), e.getValue());
                it.remove();
            }
        }
        return sub;
    }

    /** The nested tree again ({@code qdict_crumple} for plain dotted keys). */
    public ObjectNode toTree() {
        ObjectNode root = F.objectNode();
        for (Map.Entry<String, JsonNode> e : map.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            ObjectNode cur = root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = cur.get(parts[i]);
                if (!(next instanceof ObjectNode)) {
                    next = cur.putObject(parts[i]);
                }
                cur = (ObjectNode) next;
            }
            cur.set(parts[parts.length - 1], e.getValue());
        }
        return root;
    }

    // ---- QemuOpts-style typed reads: the value as QemuOpts sees it (a string), then its parser -----------------

    /** How QemuOpts sees a QDict entry: strings as they are, numbers printed, booleans as on/off. */
    static String asOptString(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
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
            return dev.blockdeck.qmp.json.QmpJsonWriter.write(v);
        }
        return null;
    }

    /** Removes and returns {@code key} as a string option; null when absent. */
    public String takeString(String key) {
        JsonNode v = map.remove(key);
        return asOptString(v);
    }

    /** Removes {@code key} and parses it as a QemuOpts bool. */
    public boolean takeBool(String key, boolean dflt) {
        String s = takeString(key);
        return s == null ? dflt : parseBool(key, s);
    }

    /** Peeks a bool without consuming it. */
    public boolean peekBool(String key, boolean dflt) {
        String s = asOptString(map.get(key));
        return s == null ? dflt : parseBool(key, s);
    }

    /** Removes {@code key} and parses it as a QemuOpts size (suffixes k, M, G, T, P, E). */
    public long takeSize(String key, long dflt) {
        String s = takeString(key);
        return s == null ? dflt : parseSize(key, s);
    }

    /** Removes {@code key} and parses it as a QemuOpts number (an unsigned 64-bit integer, returned as is). */
    public long takeNumber(String key, long dflt) {
        String s = takeString(key);
        if (s == null) {
            return dflt;
        }
        BigInteger v = parseUnsigned(s);
        if (v == null) {
            throw new BlockException("Parameter '" + key + "' expects a number");
        }
        return v.longValue();
    }

    public static boolean parseBool(String key, String s) {
        return switch (s) {
            case "on", "yes", "true", "y" -> true;
            case "off", "no", "false", "n" -> false;
            default -> throw new BlockException("Parameter '" + key + "' expects 'on' or 'off'");
        };
    }

    /** Digits as C's base-0 conversion reads them: {@code 0x} hex, leading {@code 0} octal, else decimal. */
    public static BigInteger parseMagnitude(String t) {
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return new BigInteger(t.substring(2), 16);
            }
            if (t.length() > 1 && t.startsWith("0")) {
                return new BigInteger(t.substring(1), 8);
            }
            return new BigInteger(t, 10);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** qemu_strtou64 with base 0: decimal, 0x hex, 0 octal; a leading minus wraps as strtoull does. */
    static BigInteger parseUnsigned(String s) {
        String t = s.strip();
        boolean neg = false;
        if (t.startsWith("-")) {
            neg = true;
            t = t.substring(1);
        } else if (t.startsWith("+")) {
            t = t.substring(1);
        }
        BigInteger v = parseMagnitude(t);
        if (v == null) {
            return null;
        }
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        if (v.compareTo(two64) >= 0) {
            return null;
        }
        return neg ? two64.subtract(v).mod(two64) : v;
    }

    /** qemu_strtosz: a non-negative number with an optional binary suffix; fractions allowed with a suffix. */
    public static long parseSize(String key, String s) {
        String msg = "Parameter '" + key + "' expects a non-negative number below 2^64";
        BlockException bad = BlockException.withHint(msg, "Optional suffix k, M, G, T, P or E means kilo-, mega-, "
                + "giga-, tera-, peta-\nand exabytes, respectively.\n");
        String t = s.strip();
        if (t.isEmpty() || t.startsWith("-")) {
            throw bad;
        }
        int i = 0;
        boolean hex = t.startsWith("0x") || t.startsWith("0X");
        if (hex) {
            i = 2;
            while (i < t.length() && Character.digit(t.charAt(i), 16) >= 0) {
                i++;
            }
            if (i == 2) {
                throw bad;
            }
        } else {
            while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
                i++;
            }
        }
        String num = t.substring(0, i);
        String suffix = t.substring(i);
        long mult = switch (suffix) {
            case "", "B", "b" -> 1L;
            case "K", "k" -> 1L << 10;
            case "M", "m" -> 1L << 20;
            case "G", "g" -> 1L << 30;
            case "T", "t" -> 1L << 40;
            case "P", "p" -> 1L << 50;
            case "E", "e" -> 1L << 60;
            default -> -1L;
        };
        if (mult < 0 || num.isEmpty()) {
            throw bad;
        }
        java.math.BigDecimal value;
        try {
            value = hex ? new java.math.BigDecimal(new BigInteger(num.substring(2), 16))
                    : new java.math.BigDecimal(num);
        } catch (NumberFormatException e) {
            throw bad;
        }
        if (num.contains(".") && mult == 1) {
            throw bad;
        }
        BigInteger bytes = value.multiply(java.math.BigDecimal.valueOf(mult)).toBigInteger();
        if (bytes.bitLength() > 64) {
            throw new BlockException("Value '" + s + "' is out of range for parameter '" + key + "'");
        }
        return bytes.longValue();
    }

    /** The keys in insertion order (for diagnostics and for the unknown-option check). */
    public List<String> keyList() {
        return new ArrayList<>(map.keySet());
    }

    /** The options as a JSON object in insertion order (flat). */
    public ObjectNode toFlatJson() {
        ObjectNode o = F.objectNode();
        map.forEach(o::set);
        return o;
    }

    @Override
    public String toString() {
        return map.toString();
    }
}

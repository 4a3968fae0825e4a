package dev.blockdeck.engine.block.driver.blkdebug;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.qmp.json.QdictOrder;

/**
 * One of blkdebug's two QemuOpts lists ({@code inject-error}, {@code set-state}): a named group of option
 * sections, each with an optional id and string values checked against the group's option types. Messages are
 * QemuOpts' own.
 */
final class OptsList {
    enum Kind { STRING, NUMBER, BOOL }

    /** One section: what {@code [inject-error]} in a config file or {@code inject-error.0.*} gave. */
    static final class Opts {
        private final String id;
        private final Map<String, String> values = new LinkedHashMap<>();

        private Opts(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        String get(String key) {
            return values.get(key);
        }
    }

    private final String name;
    private final Map<String, Kind> desc;
    private final List<Opts> sections = new ArrayList<>();

    OptsList(String name, Map<String, Kind> desc) {
        this.name = name;
        this.desc = desc;
    }

    String name() {
        return name;
    }

    boolean accepts(String key) {
        return desc.containsKey(key);
    }

    List<Opts> sections() {
        return Collections.unmodifiableList(sections);
    }

    /** qemu_opts_create with fail_if_exists: ids must be identifiers and unique within the list. */
    Opts create(String id) {
        if (id != null) {
            if (!dev.blockdeck.engine.block.NodeNames.wellFormed(id)) {
                throw BlockException.withHint("Parameter 'id' expects an identifier",
                        "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.\n");
            }
            for (Opts o : sections) {
                if (id.equals(o.id)) {
                    throw new BlockException("Duplicate ID '" + id + "' for " + name);
                }
            }
        }
        Opts o = new Opts(id);
        sections.add(o);
        return o;
    }

    void delete(Opts o) {
        sections.remove(o);
    }

    /** qemu_opt_set: an unknown key, or a value its type cannot parse, is an error. */
    void set(Opts o, String key, String value) {
        Kind k = desc.get(key);
        if (k == null) {
            throw new BlockException("Invalid parameter '" + key + "'");
        }
        switch (k) {
            case NUMBER -> parseNumber(key, value);
            case BOOL -> NodeOptions.parseBool(key, value);
            default -> {
            }
        }
        o.values.put(key, value);
    }

    /**
     * qemu_opts_absorb_qdict: takes (and removes) the entries this list knows, in QEMU's dictionary order;
     * others stay in {@code qdict}.
     */
    void absorb(Opts o, Map<String, JsonNode> qdict) {
        QdictOrder.entries(toObject(qdict)).forEachRemaining(e -> {
            if (accepts(e.getKey())) {
                String v = optString(e.getValue());
                if (v != null) {
                    set(o, e.getKey(), v);
                }
                qdict.remove(e.getKey());
            }
        });
    }

    static ObjectNode toObject(Map<String, JsonNode> map) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        map.forEach(o::set);
        return o;
    }

    /** How QemuOpts sees a dictionary value: strings as they are, integers printed, booleans on/off. */
    static String optString(JsonNode v) {
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "on" : "off";
        }
        return v.isTextual() ? v.textValue() : v.asText();
    }

    /** The value of a number option, as C's uint64_t (qemu_strtou64 in base 0: a minus sign wraps around). */
    static long number(Opts o, String key, long dflt) {
        String v = o.get(key);
        return v == null ? dflt : parseNumber(key, v);
    }

    static boolean bool(Opts o, String key, boolean dflt) {
        String v = o.get(key);
        return v == null ? dflt : NodeOptions.parseBool(key, v);
    }

    private static long parseNumber(String key, String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        String digits = s.substring(i);
        BigInteger v = digits.isEmpty() || !Character.isLetterOrDigit(digits.charAt(0)) ? null
                : NodeOptions.parseMagnitude(digits);
        if (v == null) {
            throw new BlockException("Parameter '" + key + "' expects a number");
        }
        if (v.bitLength() > 64) {
            throw new BlockException("Value '" + s + "' is too large for parameter '" + key + "'");
        }
        long l = v.longValue();
        return neg ? -l : l;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }
}

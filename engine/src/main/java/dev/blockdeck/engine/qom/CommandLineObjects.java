package dev.blockdeck.engine.qom;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.engine.glib.GlibStringHashTable;
import dev.blockdeck.qmp.QmpException;

/**
 * {@code -object iothread,...} at start, in QEMU's two phases. While parsing the command line, each
 * option in turn: its id must be new ({@code Duplicate ID}), every given property must be a C integer
 * ({@code expects an int64 value}), and no unknown parameter may be left ({@code Invalid parameter});
 * these errors name the option. Then the objects are created in order, with object-add's checks, whose
 * errors QEMU prints without the option.
 */
final class CommandLineObjects {
    private final String program;
    private final UserObjects objects;

    CommandLineObjects(String program, UserObjects objects) {
        this.program = program;
        this.objects = objects;
    }

    /** Each map is one {@code -object}, as the option parser keeps it (qom-type and id checked there). */
    void create(List<Map<String, String>> options) throws EngineStartException {
        List<ObjectNode> parsed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Map<String, String> o : options) {
            String shown = program + ": -object " + optionText(o) + ": ";
            if (!ids.add(o.get("id"))) {
                throw new EngineStartException(shown + "Duplicate ID '" + o.get("id") + "' for object");
            }
            parsed.add(parse(o, shown));
        }
        for (int i = 0; i < options.size(); i++) {
            try {
                objects.addIothread(options.get(i).get("id"), parsed.get(i));
            } catch (QmpException e) {
                throw new EngineStartException(program + ": " + e.desc(), e);
            }
        }
    }

    /**
     * The properties in schema order. QEMU's options visitor reads members in schema order, then names
     * the first parameter nobody read, in the order of its GLib table of unread parameters: every key in
     * the order written, {@code id} last, with the ones read removed.
     */
    private ObjectNode parse(Map<String, String> o, String shown) throws EngineStartException {
        // shown: "PROGRAM: -object TEXT: ", the prefix of QEMU's parse-time messages
        ObjectNode props = JsonNodeFactory.instance.objectNode();
        GlibStringHashTable unread = new GlibStringHashTable();
        o.keySet().stream().filter(k -> !k.equals("id")).forEach(unread::add);
        unread.add("id");
        unread.remove("qom-type");
        unread.remove("id");
        for (String m : IothreadObject.SCHEMA_ORDER) {
            String v = o.get(m);
            if (v == null) {
                continue;
            }
            Long n = strtoll(v);
            if (n == null) {
                throw new EngineStartException(shown + "Parameter '" + m + "' expects an int64 value");
            }
            props.put(m, n);
            unread.remove(m);
        }
        if (unread.size() > 0) {
            throw new EngineStartException(shown + "Invalid parameter '" + unread.keys().get(0) + "'");
        }
        return props;
    }

    /** C's strtoll with base 0, whole string: blanks, a sign, then decimal, 0x hex or 0 octal; null if bad. */
    static Long strtoll(String s) {
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            if (i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
                radix = 16;
                i += 2;
            }
        } else if (s.startsWith("0", i)) {
            radix = 8;
        }
        String digits = s.substring(i);
        if (digits.isEmpty()) {
            return null;
        }
        for (char c : digits.toCharArray()) {
            if (c >= 128 || Character.digit(c, radix) < 0) {
                return null;
            }
        }
        BigInteger v = new BigInteger(digits, radix);
        if (negative) {
            v = v.negate();
        }
        return v.bitLength() < 64 ? v.longValue() : null;
    }

    /**
     * The option as written, rebuilt from the parsed keys (the parser keeps no text): the type first
     * without its key, commas doubled. Repeated keys show once, with their last value.
     */
    private static String optionText(Map<String, String> o) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Map.Entry<String, String> e : o.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            if (!(first && e.getKey().equals("qom-type"))) {
                sb.append(e.getKey().replace(",", ",,")).append('=');
            }
            sb.append(e.getValue().replace(",", ",,"));
            first = false;
        }
        return sb.toString();
    }
}

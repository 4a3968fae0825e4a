package dev.blockdeck.qmp.json;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Serialises a JSON tree the way QEMU's monitor does: compact, {@code ", "} and {@code ": "} separators,
 * members in the tree's order, QEMU's string escaping and number formatting. No line ending is added.
 *
 * <p>Strings: {@code \"} {@code \\} {@code \b \f \n \r \t}; every other character below U+0020 or from U+007F
 * up as {@code \}{@code uXXXX} (upper-case hex), characters above U+FFFF as a surrogate pair, and what QEMU
 * cannot hold (unpaired surrogates, noncharacters) as {@code \}{@code uFFFD}. {@code /} is not escaped.
 * Integers are exact; other numbers are printed as C's {@code %.17g}.
 */
public final class QmpJsonWriter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private QmpJsonWriter() {
    }

    public static String write(JsonNode value) {
        StringBuilder sb = new StringBuilder(128);
        write(value, sb);
        return sb.toString();
    }

    /**
     * Writes {@code value} with every object's members in QEMU's QDict order (what {@link QdictOrder#reorder}
     * followed by {@link #write} gives, without copying the tree: answers are written this way).
     */
    public static String writeInQdictOrder(JsonNode value) {
        StringBuilder sb = new StringBuilder(256);
        write(value, sb, true);
        return sb.toString();
    }

    /** Appends {@code value} to {@code sb} as {@link #writeInQdictOrder(JsonNode)} would return it. */
    public static void writeInQdictOrder(JsonNode value, StringBuilder sb) {
        write(value, sb, true);
    }

    static void write(JsonNode node, StringBuilder sb) {
        write(node, sb, false);
    }

    private static void write(JsonNode node, StringBuilder sb, boolean qdict) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                if (qdict) {
                    writeObjectInQdictOrder((ObjectNode) node, sb);
                    return;
                }
                sb.append('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    writeString(e.getKey(), sb);
                    sb.append(": ");
                    write(e.getValue(), sb, false);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    write(node.get(i), sb, qdict);
                }
                sb.append(']');
            }
            case STRING -> writeString(node.textValue(), sb);
            case BINARY -> writeString(node.asText(), sb);
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    if (node.canConvertToLong()) {
                        sb.append(node.longValue());
                    } else {
                        sb.append(node.bigIntegerValue());
                    }
                } else {
                    sb.append(CDoubleFormat.g17(node.doubleValue()));
                }
            }
            case BOOLEAN -> sb.append(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> sb.append("null");
            default -> throw new IllegalArgumentException("cannot write JSON node of type " + node.getNodeType());
        }
    }

    private static void writeObjectInQdictOrder(ObjectNode obj, StringBuilder sb) {
        int n = obj.size();
        String[] names = new String[n];
        JsonNode[] values = new JsonNode[n];
        int i = 0;
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            names[i] = e.getKey();
            values[i++] = e.getValue();
        }
        QdictShape shape = QdictShape.of(names);
        sb.append('{');
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                sb.append(", ");
            }
            int p = shape.order[k];
            sb.append(shape.keyText[p]);
            write(values[p], sb, true);
        }
        sb.append('}');
    }

    static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        int n = s.length();
        int plain = 0; // start of the pending run of characters that need no escape
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                continue;
            }
            sb.append(s, plain, i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        char low = s.charAt(i + 1);
                        if (ModifiedUtf8.isValidCodePoint(Character.toCodePoint(c, low))) {
                            hex(c, sb);
                            hex(low, sb);
                        } else {
                            hex('\uFFFD', sb);
                        }
                        i++;
                    } else {
                        hex(ModifiedUtf8.isValidCodePoint(c) ? c : '\uFFFD', sb);
                    }
                }
            }
            plain = i + 1;
        }
        sb.append(s, plain, n).append('"');
    }

    private static void hex(int c, StringBuilder sb) {
        sb.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
    }
}

package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.qmp.json.QmpJsonWriter;

import java.util.Iterator;
import java.util.Map;

/** JSON for people: indented by two, {@code "key": value}, strings and numbers written as QEMU writes them. */
public final class JsonText {

    private JsonText() {
    }

    public static String pretty(JsonNode value) {
        StringBuilder b = new StringBuilder();
        write(value, 0, b);
        return b.toString();
    }

    /** One line, exactly as QEMU's monitor would write it. */
    public static String compact(JsonNode value) {
        return QmpJsonWriter.write(value);
    }

    private static void write(JsonNode v, int depth, StringBuilder b) {
        if (v.isObject() && !v.isEmpty()) {
            b.append("{\n");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                indent(depth + 1, b);
                b.append(QmpJsonWriter.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey())))
                        .append(": ");
                write(e.getValue(), depth + 1, b);
                b.append(it.hasNext() ? ",\n" : "\n");
            }
            indent(depth, b);
            b.append('}');
        } else if (v.isArray() && !v.isEmpty()) {
            b.append("[\n");
            for (int i = 0; i < v.size(); i++) {
                indent(depth + 1, b);
                write(v.get(i), depth + 1, b);
                b.append(i + 1 < v.size() ? ",\n" : "\n");
            }
            indent(depth, b);
            b.append(']');
        } else {
            b.append(QmpJsonWriter.write(v));
        }
    }

    private static void indent(int depth, StringBuilder b) {
        b.append("  ".repeat(depth));
    }
}

package dev.blockdeck.app.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the QMP console accepts on one line, turned into a command and its arguments:
 * <ul>
 *   <li>{@code query-block}: a command without arguments;</li>
 *   <li>{@code qom-get path=/objects/iothread0 property=poll-max-ns}: {@code key=value} pairs, as qmp-shell
 *       takes them; a value that is JSON ({@code 42}, {@code true}, {@code null}, {@code "a b"}, {@code [..]},
 *       {@code {..}}) is sent as that JSON, anything else as a string; dotted keys nest
 *       ({@code cache.direct=true});</li>
 *   <li>{@code blockdev-add {"driver": "null-co", "node-name": "n"}}: the arguments as one JSON object;</li>
 *   <li>{@code {"execute": "query-block", "arguments": {...}}}: a whole request (its {@code id} is replaced
 *       by the console's own).</li>
 * </ul>
 */
public final class CommandLine {

    /** @param arguments null when the line gave none */
    public record Parsed(String command, ObjectNode arguments) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern JSON_SCALAR = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?|true|false|null");

    private CommandLine() {
    }

    /** @throws IllegalArgumentException with a message for the user when the line cannot be read */
    public static Parsed parse(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Type a command, e.g. query-status");
        }
        if (text.startsWith("{")) {
            return request(text);
        }
        int space = firstSpace(text);
        String command = space < 0 ? text : text.substring(0, space);
        String rest = space < 0 ? "" : text.substring(space).strip();
        if (rest.isEmpty()) {
            return new Parsed(command, null);
        }
        if (rest.startsWith("{")) {
            JsonNode args = json(rest, "arguments");
            if (!args.isObject()) {
                throw new IllegalArgumentException("The arguments must be a JSON object");
            }
            return new Parsed(command, (ObjectNode) args);
        }
        return new Parsed(command, pairs(tokens(rest)));
    }

    private static Parsed request(String text) {
        JsonNode req = json(text, "request");
        if (!req.isObject()) {
            throw new IllegalArgumentException("A request must be a JSON object");
        }
        if (req.has("exec-oob")) {
            throw new IllegalArgumentException("This console sends in-band commands only: use \"execute\"");
        }
        JsonNode execute = req.get("execute");
        if (execute == null || !execute.isTextual()) {
            throw new IllegalArgumentException("A request needs \"execute\": \"<command>\"");
        }
        JsonNode args = req.get("arguments");
        if (args != null && !args.isObject()) {
            throw new IllegalArgumentException("\"arguments\" must be a JSON object");
        }
        return new Parsed(execute.asText(), (ObjectNode) args);
    }

    private static JsonNode json(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The " + what + " are not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code key=value} tokens into one object, dotted keys nesting. */
    static ObjectNode pairs(List<String> tokens) {
        ObjectNode args = F.objectNode();
        for (String token : tokens) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Expected key=value, got '" + token + "'");
            }
            put(args, token.substring(0, eq), value(token.substring(eq + 1)));
        }
        return args;
    }

    private static void put(ObjectNode root, String key, JsonNode value) {
        String[] path = key.split("\\.", -1);
        ObjectNode at = root;
        for (int i = 0; i < path.length - 1; i++) {
            if (path[i].isEmpty()) {
                throw new IllegalArgumentException("Empty name in key '" + key + "'");
            }
            JsonNode next = at.get(path[i]);
            if (next == null) {
                next = at.putObject(path[i]);
            } else if (!next.isObject()) {
                throw new IllegalArgumentException("Key '" + key + "' conflicts with " + path[i] + "=" + next);
            }
            at = (ObjectNode) next;
        }
        String last = path[path.length - 1];
        if (last.isEmpty()) {
            throw new IllegalArgumentException("Empty name in key '" + key + "'");
        }
        if (at.has(last)) {
            throw new IllegalArgumentException("Key '" + key + "' is given twice");
        }
        at.set(last, value);
    }

    /** A value that reads as JSON is that JSON; anything else is a string. */
    public static JsonNode value(String text) {
        if (text.isEmpty()) {
            return F.textNode("");
        }
        char c = text.charAt(0);
        if (c == '{' || c == '[' || c == '"' || JSON_SCALAR.matcher(text).matches()) {
            return json(text, "value '" + text + "'");
        }
        return F.textNode(text);
    }

    /** Splits on white space outside quotes and brackets: {@code a={"x": 1} b="c d"} is two tokens. */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                cur.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (Character.isWhitespace(c) && depth == 0) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && depth > 0) {
                depth--;
            }
            cur.append(c);
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    private static int firstSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The line as a QMP request, for the transcript: {@code {"execute": ..., "arguments": ...}}. */
    public static ObjectNode request(Parsed p) {
        ObjectNode req = F.objectNode().put("execute", p.command());
        if (p.arguments() != null) {
            req.set("arguments", p.arguments());
        }
        return req;
    }
}

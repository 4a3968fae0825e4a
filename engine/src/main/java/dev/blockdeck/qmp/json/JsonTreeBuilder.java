package dev.blockdeck.qmp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds one JSON value from the tokens of one message as they arrive. It follows the same grammar, and
 * reports the same first error, as QEMU's recursive-descent parser run over the complete token list
 * (in particular: an object key may be any value and is rejected only once that value is complete, and a
 * duplicate key is detected after its value). After the first error further tokens are ignored.
 */
final class JsonTreeBuilder {
    static final String PREFIX = "JSON parse error, ";
    /** QEMU formats parser messages into a buffer of this size (including the terminating zero). */
    private static final int MESSAGE_BUFFER = 1024;

    // what the innermost open container expects next
    private static final byte ARRAY_FIRST = 0;   // after '[': ']' or a value
    private static final byte ARRAY_NEXT = 1;    // after an element: ',' or ']'
    private static final byte ARRAY_VALUE = 2;   // after ',': a value
    private static final byte OBJECT_FIRST = 3;  // after '{': '}' or a key
    private static final byte OBJECT_KEY = 4;    // after ',': a key
    private static final byte OBJECT_COLON = 5;  // after a key: ':'
    private static final byte OBJECT_VALUE = 6;  // after ':': a value
    private static final byte OBJECT_NEXT = 7;   // after a member: ',' or '}'

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonStringDecoder strings = new JsonStringDecoder();
    private JsonNode[] containers = new JsonNode[16];
    private byte[] states = new byte[16];
    private String[] keys = new String[16];
    private int depth;
    private JsonNode result;
    private String error;

    void reset() {
        for (int i = 0; i < depth; i++) {
            containers[i] = null;
            keys[i] = null;
        }
        depth = 0;
        result = null;
        error = null;
    }

    /** The complete value, or null. */
    JsonNode result() {
        return result;
    }

    /** The first error (full QEMU text), or null. */
    String error() {
        return error;
    }

    void accept(JsonTokenType type, byte[] text, int length) {
        if (error != null || result != null) {
            return;
        }
        if (depth == 0) {
            beginValue(type, text, length);
            return;
        }
        int top = depth - 1;
        switch (states[top]) {
            case ARRAY_FIRST -> {
                if (type == JsonTokenType.RSQUARE) {
                    close();
                } else {
                    beginValue(type, text, length);
                }
            }
            case ARRAY_NEXT -> {
                if (type == JsonTokenType.RSQUARE) {
                    close();
                } else if (type == JsonTokenType.COMMA) {
                    states[top] = ARRAY_VALUE;
                } else {
                    fail("expected separator in list");
                }
            }
            case OBJECT_FIRST -> {
                if (type == JsonTokenType.RCURLY) {
                    close();
                } else {
                    beginValue(type, text, length);
                }
            }
            case OBJECT_COLON -> {
                if (type == JsonTokenType.COLON) {
                    states[top] = OBJECT_VALUE;
                } else {
                    fail("missing : in object pair");
                }
            }
            case OBJECT_NEXT -> {
                if (type == JsonTokenType.RCURLY) {
                    close();
                } else if (type == JsonTokenType.COMMA) {
                    states[top] = OBJECT_KEY;
                } else {
                    fail("expected separator in dict");
                }
            }
            default -> beginValue(type, text, length); // ARRAY_VALUE, OBJECT_KEY, OBJECT_VALUE
        }
    }

    private void beginValue(JsonTokenType type, byte[] text, int length) {
        switch (type) {
            case LCURLY -> open(NODES.objectNode(), OBJECT_FIRST);
            case LSQUARE -> open(NODES.arrayNode(), ARRAY_FIRST);
            case STRING -> {
                String s = strings.decode(text, length);
                if (s == null) {
                    fail(strings.error());
                } else {
                    complete(NODES.textNode(s));
                }
            }
            case INTEGER -> complete(JsonNumbers.integer(text, length));
            case FLOAT -> complete(JsonNumbers.floating(text, length));
            case KEYWORD -> keyword(text, length);
            default -> fail("expecting value");
        }
    }

    private void keyword(byte[] t, int length) {
        if (is(t, length, "true")) {
            complete(NODES.booleanNode(true));
        } else if (is(t, length, "false")) {
            complete(NODES.booleanNode(false));
        } else if (is(t, length, "null")) {
            complete(NODES.nullNode());
        } else {
            String message = "invalid keyword '" + new String(t, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1) + "'";
            if (message.length() > MESSAGE_BUFFER - 1) {
                message = message.substring(0, MESSAGE_BUFFER - 1); // keywords are ASCII: chars are bytes
            }
            fail(message);
        }
    }

    private static boolean is(byte[] t, int length, String word) {
        if (length != word.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (t[i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void open(JsonNode container, byte state) {
        if (depth == containers.length) {
            int n = depth * 2;
            containers = java.util.Arrays.copyOf(containers, n);
            states = java.util.Arrays.copyOf(states, n);
            keys = java.util.Arrays.copyOf(keys, n);
        }
        containers[depth] = container;
        states[depth] = state;
        depth++;
    }

    private void close() {
        depth--;
        JsonNode done = containers[depth];
        containers[depth] = null;
        keys[depth] = null;
        complete(done);
    }

    /** Hands a finished value to the innermost open container, or makes it the result. */
    private void complete(JsonNode value) {
        if (depth == 0) {
            result = value;
            return;
        }
        int top = depth - 1;
        switch (states[top]) {
            case ARRAY_FIRST, ARRAY_VALUE -> {
                ((ArrayNode) containers[top]).add(value);
                states[top] = ARRAY_NEXT;
            }
            case OBJECT_FIRST, OBJECT_KEY -> {
                if (value.isTextual()) {
                    keys[top] = value.textValue();
                    states[top] = OBJECT_COLON;
                } else {
                    fail("key is not a string in object");
                }
            }
            case OBJECT_VALUE -> {
                ObjectNode object = (ObjectNode) containers[top];
                String key = keys[top];
                if (object.has(key)) {
                    fail("duplicate key");
                } else {
                    object.set(key, value);
                    keys[top] = null;
                    states[top] = OBJECT_NEXT;
                }
            }
            default -> throw new IllegalStateException("value where none is expected");
        }
    }

    private void fail(String message) {
        error = PREFIX + message;
    }
}

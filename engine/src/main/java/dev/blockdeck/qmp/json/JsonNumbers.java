package dev.blockdeck.qmp.json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Number tokens to tree nodes with QEMU's rules: an integer token becomes an exact integer when it fits int64
 * (IntNode when it fits int, else LongNode) or, when non-negative, uint64 (BigIntegerNode); anything else,
 * and every token with a fraction or exponent, becomes a double rounded as strtod does.
 */
final class JsonNumbers {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonNumbers() {
    }

    static JsonNode integer(byte[] t, int length) {
        boolean negative = t[0] == '-';
        int digits = negative ? length - 1 : length;
        if (digits <= 18) {
            long v = 0;
            for (int i = negative ? 1 : 0; i < length; i++) {
                v = v * 10 + (t[i] - '0');
            }
            return exact(negative ? -v : v);
        }
        String text = new String(t, 0, length, StandardCharsets.ISO_8859_1);
        BigInteger big = new BigInteger(text);
        if (big.bitLength() < 64) {
            return exact(big.longValue());
        }
        if (!negative && big.compareTo(UINT64_MAX) <= 0) {
            return NODES.numberNode(big);
        }
        return NODES.numberNode(Double.parseDouble(text));
    }

    static JsonNode floating(byte[] t, int length) {
        return NODES.numberNode(Double.parseDouble(new String(t, 0, length, StandardCharsets.ISO_8859_1)));
    }

    private static JsonNode exact(long v) {
        return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }
}

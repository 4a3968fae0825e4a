package dev.blockdeck.engine.block.cli;

import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.monitor.qapi.AlternateType;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.BuiltinType;
import dev.blockdeck.engine.monitor.qapi.Member;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiType;
import dev.blockdeck.engine.monitor.qapi.TypeRef;
import dev.blockdeck.engine.monitor.qapi.UnionType;

/**
 * Gives a keyval tree (all strings) the types its QAPI declaration asks for, as QEMU's keyval input visitor
 * does: {@code Parameter 'x' expects integer}, {@code ... expects 'on' or 'off'}, {@code ... expects size}.
 * Structure problems (missing, unexpected, object expected) are left to the ArgumentChecker afterwards.
 */
final class KeyvalTyper {
    private KeyvalTyper() {
    }

    static JsonNode convert(QapiType type, JsonNode v, String path) {
        QapiType t = TypeRef.resolve(type);
        if (t instanceof BuiltinType b) {
            return v.isTextual() ? scalar(b, v.textValue(), path) : v;
        }
        if (t instanceof UnionType u && v instanceof ObjectNode o) {
            members(u.base(), o, path);
            JsonNode tag = o.get(u.tag());
            if (tag != null && tag.isTextual()) {
                members(u.variant(tag.textValue()), o, path);
            }
            return o;
        }
        if (t instanceof ObjectType ot && v instanceof ObjectNode o) {
            members(ot, o, path);
            return o;
        }
        if (t instanceof ArrayType a && v instanceof ArrayNode list) {
            for (int i = 0; i < list.size(); i++) {
                list.set(i, convert(a.element(), list.get(i), path + "." + i));
            }
            return list;
        }
        if (t instanceof AlternateType alt) {
            for (QapiType a : alt.alternatives()) {
                QapiType r = TypeRef.resolve(a);
                boolean objectAlt = r instanceof ObjectType || r instanceof UnionType;
                if (v.isObject() == objectAlt && !(r == BuiltinType.NULL)) {
                    return convert(r, v, path);
                }
            }
        }
        return v;
    }

    private static void members(ObjectType t, ObjectNode o, String path) {
        for (Member m : t.members()) {
            JsonNode v = o.get(m.name());
            if (v != null) {
                o.set(m.name(), convert(m.type(), v, path.isEmpty() ? m.name() : path + "." + m.name()));
            }
        }
    }

    private static JsonNode scalar(BuiltinType b, String s, String path) {
        switch (b) {
            case INT, INT64, INT32, UINT64 -> {
                BigInteger v = parseInteger(s, b != BuiltinType.UINT64);
                if (v == null) {
                    throw new BlockException("Parameter '" + path + "' expects integer");
                }
                return LongNode.valueOf(v.longValue());
            }
            case SIZE -> {
                try {
                    return LongNode.valueOf(NodeOptions.parseSize(path, s));
                } catch (BlockException e) {
                    throw new BlockException("Parameter '" + path + "' expects size");
                }
            }
            case BOOL -> {
                return switch (s) {
                    case "on", "yes", "true", "y" -> BooleanNode.TRUE;
                    case "off", "no", "false", "n" -> BooleanNode.FALSE;
                    default -> throw new BlockException("Parameter '" + path + "' expects 'on' or 'off'");
                };
            }
            case NUMBER -> {
                try {
                    return DoubleNode.valueOf(Double.parseDouble(s));
                } catch (NumberFormatException e) {
                    throw new BlockException("Parameter '" + path + "' expects number");
                }
            }
            default -> {
                return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
            }
        }
    }

    /** qemu_strtoi64 / qemu_strtou64 with base 0 (decimal, 0x hex, 0 octal). */
    private static BigInteger parseInteger(String s, boolean signed) {
        if (s.isEmpty() || Character.isWhitespace(s.charAt(0))) {
            return null;
        }
        boolean neg = s.startsWith("-");
        String t = neg || s.startsWith("+") ? s.substring(1) : s;
        BigInteger v = NodeOptions.parseMagnitude(t);
        if (v == null) {
            return null;
        }
        if (neg) {
            v = v.negate();
        }
        if (signed) {
            return v.bitLength() < 64 ? v : null;
        }
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        if (v.abs().compareTo(two64) >= 0) {
            return null;
        }
        return v.signum() < 0 ? v.add(two64) : v;
    }
}

package dev.blockdeck.engine.img;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.json.QdictOrder;

/** Helpers shared by the img subcommands: QEMU's size parsing and printing, JSON layout, format probing. */
final class ImgUtil {
    private ImgUtil() {
    }

    /** QEMU's size_to_str: "%0.3g %sB" with binary prefixes, switching up at 1000. */
    static String sizeToStr(long val) {
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        double scaled = val / (1000.0 / 1024.0);
        int exp = scaled == 0 ? 0 : Math.getExponent(scaled) + 1; // frexp exponent
        int i = (exp - 1) / 10;
        if (i < 0) {
            i = 0;
        }
        double div = (double) (1L << (i * 10));
        return g3(val / div) + " " + suffixes[i] + "B";
    }

    /** C's %0.3g for values in [0, 1000). */
    static String g3(double v) {
        if (v == 0) {
            return "0";
        }
        BigDecimal bd = new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_EVEN));
        return bd.stripTrailingZeros().toPlainString();
    }

    /** qemu-img's size argument: a number with an optional k/M/G/T/P/E suffix (binary), or b for bytes. */
    static long parseSize(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            throw new NumberFormatException(s);
        }
        char last = t.charAt(t.length() - 1);
        long mult = 1;
        if (Character.isLetter(last)) {
            switch (Character.toLowerCase(last)) {
                case 'b':
                    mult = 1;
                    break;
                case 'k':
                    mult = 1L << 10;
                    break;
                case 'm':
                    mult = 1L << 20;
                    break;
                case 'g':
                    mult = 1L << 30;
                    break;
                case 't':
                    mult = 1L << 40;
                    break;
                case 'p':
                    mult = 1L << 50;
                    break;
                case 'e':
                    mult = 1L << 60;
                    break;
                default:
                    throw new NumberFormatException(s);
            }
            t = t.substring(0, t.length() - 1);
        }
        BigDecimal v = new BigDecimal(t).multiply(BigDecimal.valueOf(mult));
        if (v.signum() < 0) {
            throw new NumberFormatException(s);
        }
        return v.setScale(0, RoundingMode.DOWN).longValueExact();
    }

    /** Prints like QEMU's qobject_to_json_pretty, members in QEMU's hash order. */
    static String prettyJson(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        pretty(QdictOrder.reorder(node), sb, 0);
        return sb.toString();
    }

    private static void pretty(JsonNode n, StringBuilder sb, int indent) {
        if (n.isObject()) {
            sb.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) n).fields();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    sb.append(",\n");
                }
                first = false;
                sb.append(" ".repeat(indent + 4)).append(quote(e.getKey())).append(": ");
                pretty(e.getValue(), sb, indent + 4);
            }
            sb.append("\n").append(" ".repeat(indent)).append("}");
        } else if (n.isArray()) {
            sb.append("[\n");
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(",\n");
                }
                sb.append(" ".repeat(indent + 4));
                pretty(n.get(i), sb, indent + 4);
            }
            sb.append("\n").append(" ".repeat(indent)).append("]");
        } else if (n.isTextual()) {
            sb.append(quote(n.asText()));
        } else {
            sb.append(n.toString());
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** "qcow2" when the file starts with the qcow2 magic, else "raw" (QEMU's probe for the two we know). */
    static String probe(Path p) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(p)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, 0);
            if (b.position() >= 8 && b.getInt(0) == 0x514649fb && b.getInt(4) >= 2) {
                return "qcow2";
            }
        }
        return "raw";
    }

    /** The backing file path as QEMU resolves a relative name: against the overlay's directory. */
    static Path resolveBacking(Path image, String backing) {
        if (backing.startsWith("/")) {
            return Path.of(backing);
        }
        Path dir = image.getParent();
        return dir == null ? Path.of(backing) : dir.resolve(backing);
    }

    /** The string QEMU shows as full backing filename (path_combine of the image name and the backing name). */
    static String fullBackingName(String imageName, String backing) {
        if (backing.startsWith("/") || backing.contains(":")) {
            return backing;
        }
        int slash = imageName.lastIndexOf('/');
        return slash < 0 ? backing : imageName.substring(0, slash + 1) + backing;
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}

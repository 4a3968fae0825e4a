package dev.blockdeck.qmp.json;

/**
 * Turns a string token (with its quotes, either {@code "} or {@code '}) into its value as QEMU's parser does:
 * RFC 8259 escapes plus {@code \'}, surrogate pairs in {@code \}{@code u} escapes, modified UTF-8 validation.
 * Reuses one builder, so an instance serves one parser.
 */
final class JsonStringDecoder {
    private final StringBuilder sb = new StringBuilder();
    private String error;

    /** The value, or null when invalid; then {@link #error()} holds the message (without the "JSON parse error, "). */
    String decode(byte[] t, int length) {
        error = null;
        sb.setLength(0);
        byte quote = t[0];
        int p = 1;
        while (p < length && at(t, length, p) != quote) {
            int c = t[p] & 0xFF;
            if (c == '\\') {
                int begin = p;
                p++;
                int e = at(t, length, p++);
                switch (e) {
                    case '"', '\'', '\\', '/' -> sb.append((char) e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        int cp = hex4(t, length, p);
                        p += 4;
                        if (cp >= 0xD800 && cp <= 0xDBFF && at(t, length, p) == '\\' && at(t, length, p + 1) == 'u') {
                            int low = hex4(t, length, p + 2);
                            if (low >= 0xDC00 && low <= 0xDFFF) {
                                cp = 0x10000 + ((cp & 0x3FF) << 10) + (low & 0x3FF);
                                p += 6;
                            } else {
                                cp = -1;
                            }
                        }
                        if (!ModifiedUtf8.isValidCodePoint(cp)) {
                            int shown = Math.min(p, length) - begin;
                            error = ModifiedUtf8.toDisplayString(t, begin, shown) + " is not a valid Unicode character";
                            return null;
                        }
                        ModifiedUtf8.appendCodePoint(sb, cp);
                    }
                    default -> {
                        error = "invalid escape sequence in string";
                        return null;
                    }
                }
            } else if (c < 0x80) {
                sb.append((char) c);
                p++;
            } else {
                long d = ModifiedUtf8.decode(t, p, length);
                int cp = ModifiedUtf8.codePoint(d);
                if (cp < 0) {
                    error = "invalid UTF-8 sequence in string";
                    return null;
                }
                ModifiedUtf8.appendCodePoint(sb, cp);
                p = ModifiedUtf8.next(d);
            }
        }
        return sb.toString();
    }

    String error() {
        return error;
    }

    private static int at(byte[] t, int length, int i) {
        return i < length ? t[i] & 0xFF : 0;
    }

    /** Four hex digits as a number, or -1 if one of them is not a hex digit. */
    private static int hex4(byte[] t, int length, int p) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int c = at(t, length, p + k);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}

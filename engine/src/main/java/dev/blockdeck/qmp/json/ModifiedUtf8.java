package dev.blockdeck.qmp.json;

/**
 * QEMU's notion of text: "modified UTF-8" (UTF-8 where U+0000 is written {@code C0 80}), with surrogates,
 * noncharacters and code points above U+10FFFF rejected, and C strings ending at the first zero byte.
 */
final class ModifiedUtf8 {
    /** Smallest code point that needs a sequence of 2, 3, 4, 5, 6 bytes. */
    private static final int[] MIN_FOR_LENGTH = {0, 0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000};

    private ModifiedUtf8() {
    }

    static boolean isValidCodePoint(int cp) {
        if (cp < 0 || cp > 0x10FFFF) {
            return false;
        }
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
            return false; // noncharacter
        }
        return cp < 0xD800 || cp > 0xDFFF;
    }

    /**
     * Decodes one character starting at {@code pos}; bytes at or after {@code limit} read as zero.
     * Returns {@code (long) next << 32 | (cp & 0xFFFFFFFFL)} where {@code cp} is -1 for an invalid sequence
     * (then {@code next} is just past the bytes that were judged) and {@code next == pos} at a zero byte.
     */
    static long decode(byte[] b, int pos, int limit) {
        int p = pos;
        int first = p < limit ? b[p] & 0xFF : 0;
        if (first == 0) {
            return pack(p, -1);
        }
        p++;
        if (first < 0x80) {
            return pack(p, first);
        }
        if (first >= 0xFE || (first & 0x40) == 0) {
            return pack(p, -1); // impossible byte, or a continuation byte without a lead
        }
        int len = Integer.numberOfLeadingZeros(~first << 24); // count of leading one bits: 2..6
        int cp = first & (0x7F >> len);
        for (int k = 1; k < len; k++) {
            int next = p < limit ? b[p] & 0xFF : 0;
            if ((next & 0xC0) != 0x80) {
                return pack(p, -1); // truncated sequence; the offending byte is not consumed
            }
            p++;
            cp = cp << 6 | (next & 0x3F);
        }
        if (!isValidCodePoint(cp)) {
            return pack(p, -1);
        }
        if (cp < MIN_FOR_LENGTH[len] && !(cp == 0 && len == 2)) {
            return pack(p, -1); // overlong, except C0 80 for U+0000
        }
        return pack(p, cp);
    }

    private static long pack(int next, int cp) {
        return (long) next << 32 | (cp & 0xFFFFFFFFL);
    }

    static int codePoint(long decoded) {
        return (int) decoded;
    }

    static int next(long decoded) {
        return (int) (decoded >>> 32);
    }

    /**
     * Text as QEMU would print it in a JSON string: up to the first zero byte, each invalid sequence
     * replaced by U+FFFD, {@code C0 80} as U+0000.
     */
    static String toDisplayString(byte[] b, int offset, int length) {
        int limit = offset + length;
        StringBuilder sb = new StringBuilder(length);
        int p = offset;
        while (p < limit && b[p] != 0) {
            long d = decode(b, p, limit);
            appendCodePoint(sb, codePoint(d));
            p = next(d);
        }
        return sb.toString();
    }

    /** Appends a code point, -1 meaning an invalid sequence (U+FFFD). */
    static void appendCodePoint(StringBuilder sb, int cp) {
        if (cp < 0) {
            sb.append('\uFFFD');
        } else if (cp < 0x10000) {
            sb.append((char) cp);
        } else {
            sb.append(Character.highSurrogate(cp)).append(Character.lowSurrogate(cp));
        }
    }
}

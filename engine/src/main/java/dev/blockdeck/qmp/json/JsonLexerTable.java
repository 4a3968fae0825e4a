package dev.blockdeck.qmp.json;

/**
 * The transition table of QEMU's JSON lexer (QMP flavour: no {@code %} interpolation).
 *
 * <p>An entry is one of:
 * <ul>
 *   <li>{@code 0..63}: consume the byte into the token and move to that state;</li>
 *   <li>{@link #EMIT} {@code | type}: consume the byte, then emit the token ({@code type} is a
 *       {@link JsonTokenType} ordinal) and return to {@link #START};</li>
 *   <li>{@link #EMIT_BEFORE} {@code | type}: emit the token without the byte, then look at the byte
 *       again in {@link #START};</li>
 *   <li>{@link #FAIL}: consume the byte, emit an error token, continue in {@link #RECOVERY};</li>
 *   <li>{@link #RESYNC}: leave {@link #RECOVERY} and look at the byte again in {@link #START};</li>
 *   <li>{@link #SKIP}: drop the byte and stay (whitespace between tokens, bytes skipped while recovering).</li>
 * </ul>
 */
final class JsonLexerTable {
    static final int START = 0;
    static final int RECOVERY = 1;
    static final int DQ_STRING = 2;
    static final int DQ_ESCAPE = 3;
    static final int SQ_STRING = 4;
    static final int SQ_ESCAPE = 5;
    static final int ZERO = 6;
    static final int SIGN = 7;
    static final int DIGITS = 8;
    static final int FRACTION_START = 9;
    static final int FRACTION = 10;
    static final int EXPONENT_START = 11;
    static final int EXPONENT_SIGN = 12;
    static final int EXPONENT = 13;
    static final int KEYWORD = 14;
    static final int STATE_COUNT = 15;

    static final int EMIT = 0x40;
    static final int EMIT_BEFORE = 0x80;
    static final int FAIL = 0xC0;
    static final int RESYNC = 0xC1;
    static final int SKIP = 0xC2;

    /** Indexed by {@code state << 8 | byte}. */
    static final int[] TABLE = build();

    private JsonLexerTable() {
    }

    private static int[] build() {
        int[] t = new int[STATE_COUNT * 256];
        java.util.Arrays.fill(t, FAIL);

        // between tokens
        set(t, START, '"', DQ_STRING);
        set(t, START, '\'', SQ_STRING);
        set(t, START, '0', ZERO);
        range(t, START, '1', '9', DIGITS);
        set(t, START, '-', SIGN);
        set(t, START, '{', EMIT | JsonTokenType.LCURLY.ordinal());
        set(t, START, '}', EMIT | JsonTokenType.RCURLY.ordinal());
        set(t, START, '[', EMIT | JsonTokenType.LSQUARE.ordinal());
        set(t, START, ']', EMIT | JsonTokenType.RSQUARE.ordinal());
        set(t, START, ':', EMIT | JsonTokenType.COLON.ordinal());
        set(t, START, ',', EMIT | JsonTokenType.COMMA.ordinal());
        range(t, START, 'a', 'z', KEYWORD);
        for (char c : new char[] {' ', '\t', '\r', '\n'}) {
            set(t, START, c, SKIP);
        }

        // after an error: skip to a structural byte, a control byte other than TAB, or 0xFE/0xFF
        range(t, RECOVERY, 0x00, 0x1F, RESYNC);
        range(t, RECOVERY, 0x20, 0xFD, SKIP);
        range(t, RECOVERY, 0xFE, 0xFF, RESYNC);
        set(t, RECOVERY, '\t', SKIP);
        for (char c : new char[] {'[', ']', '{', '}', ':', ','}) {
            set(t, RECOVERY, c, RESYNC);
        }

        // strings: any byte 0x20..0xFD; validation of escapes and UTF-8 is left to the parser
        string(t, DQ_STRING, DQ_ESCAPE, '"');
        string(t, SQ_STRING, SQ_ESCAPE, '\'');

        // numbers
        fill(t, ZERO, EMIT_BEFORE | JsonTokenType.INTEGER.ordinal());
        range(t, ZERO, '0', '9', FAIL);
        set(t, ZERO, '.', FRACTION_START);

        set(t, SIGN, '0', ZERO);
        range(t, SIGN, '1', '9', DIGITS);

        fill(t, DIGITS, EMIT_BEFORE | JsonTokenType.INTEGER.ordinal());
        range(t, DIGITS, '0', '9', DIGITS);
        set(t, DIGITS, '.', FRACTION_START);
        set(t, DIGITS, 'e', EXPONENT_START);
        set(t, DIGITS, 'E', EXPONENT_START);

        range(t, FRACTION_START, '0', '9', FRACTION);

        fill(t, FRACTION, EMIT_BEFORE | JsonTokenType.FLOAT.ordinal());
        range(t, FRACTION, '0', '9', FRACTION);
        set(t, FRACTION, 'e', EXPONENT_START);
        set(t, FRACTION, 'E', EXPONENT_START);

        set(t, EXPONENT_START, '+', EXPONENT_SIGN);
        set(t, EXPONENT_START, '-', EXPONENT_SIGN);
        range(t, EXPONENT_START, '0', '9', EXPONENT);

        range(t, EXPONENT_SIGN, '0', '9', EXPONENT);

        fill(t, EXPONENT, EMIT_BEFORE | JsonTokenType.FLOAT.ordinal());
        range(t, EXPONENT, '0', '9', EXPONENT);

        // keywords: any run of lower-case letters; the parser rejects unknown ones
        fill(t, KEYWORD, EMIT_BEFORE | JsonTokenType.KEYWORD.ordinal());
        range(t, KEYWORD, 'a', 'z', KEYWORD);
        return t;
    }

    private static void string(int[] t, int body, int escape, char quote) {
        range(t, body, 0x20, 0xFD, body);
        set(t, body, '\\', escape);
        set(t, body, quote, EMIT | JsonTokenType.STRING.ordinal());
        range(t, escape, 0x20, 0xFD, body);
    }

    private static void set(int[] t, int state, int b, int action) {
        t[state << 8 | b] = action;
    }

    private static void range(int[] t, int state, int from, int to, int action) {
        for (int b = from; b <= to; b++) {
            t[state << 8 | b] = action;
        }
    }

    private static void fill(int[] t, int state, int action) {
        range(t, state, 0, 255, action);
    }
}

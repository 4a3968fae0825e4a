package dev.blockdeck.qmp.json;

/** The kinds of token the QMP JSON lexer hands to the streamer. */
enum JsonTokenType {
    LCURLY, RCURLY, LSQUARE, RSQUARE, COLON, COMMA,
    INTEGER, FLOAT, KEYWORD, STRING,
    /** Bytes the lexer could not accept; the text ends with the offending byte. */
    ERROR,
    /** An unfinished token cut off because it grew beyond the per-token byte limit. */
    OVERSIZE;

    private static final JsonTokenType[] VALUES = values();

    static JsonTokenType of(int ordinal) {
        return VALUES[ordinal];
    }
}

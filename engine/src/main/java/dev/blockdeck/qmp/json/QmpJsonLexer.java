package dev.blockdeck.qmp.json;

import static dev.blockdeck.qmp.json.JsonLexerTable.DQ_STRING;
import static dev.blockdeck.qmp.json.JsonLexerTable.EMIT;
import static dev.blockdeck.qmp.json.JsonLexerTable.EMIT_BEFORE;
import static dev.blockdeck.qmp.json.JsonLexerTable.FAIL;
import static dev.blockdeck.qmp.json.JsonLexerTable.RECOVERY;
import static dev.blockdeck.qmp.json.JsonLexerTable.RESYNC;
import static dev.blockdeck.qmp.json.JsonLexerTable.SQ_STRING;
import static dev.blockdeck.qmp.json.JsonLexerTable.START;

/**
 * Splits a byte stream into JSON tokens with QEMU 7.2's lexer rules, one byte at a time, keeping its state
 * between calls so input may be split anywhere. After a bad byte it reports an {@link JsonTokenType#ERROR}
 * token and skips input until a resynchronisation point (see {@link JsonLexerTable}).
 * Not thread-safe; the sink must not call back into the lexer.
 */
final class QmpJsonLexer {
    /** A single token longer than this is cut off and reported as {@link JsonTokenType#OVERSIZE}. */
    static final int MAX_TOKEN_BYTES = 64 << 20;
    private static final int INITIAL_CAPACITY = 256;
    private static final int KEEP_CAPACITY = 1 << 20;

    private final JsonTokenSink sink;
    private int state = START;
    private byte[] token = new byte[INITIAL_CAPACITY];
    private int length;

    QmpJsonLexer(JsonTokenSink sink) {
        this.sink = sink;
    }

    void reset() {
        state = START;
        clearToken();
    }

    void feed(byte[] in, int offset, int count) {
        final int[] table = JsonLexerTable.TABLE;
        final int end = offset + count;
        int st = state;
        int i = offset;
        while (i < end) {
            if (st == DQ_STRING || st == SQ_STRING) {
                // fast path: copy a run of ordinary string bytes at once
                int quote = st == DQ_STRING ? '"' : '\'';
                int limit = (int) Math.min(end, (long) i + (MAX_TOKEN_BYTES + 1L - length));
                int j = i;
                while (j < limit) {
                    int c = in[j] & 0xFF;
                    if (c < 0x20 || c > 0xFD || c == '\\' || c == quote) {
                        break;
                    }
                    j++;
                }
                if (j > i) {
                    append(in, i, j - i);
                    i = j;
                    if (length > MAX_TOKEN_BYTES) {
                        emit(JsonTokenType.OVERSIZE);
                        st = START;
                    }
                    continue;
                }
            }
            int b = in[i] & 0xFF;
            int action = table[st << 8 | b];
            if (action < EMIT) {
                append(b);
                st = action;
                i++;
                if (length > MAX_TOKEN_BYTES) {
                    emit(JsonTokenType.OVERSIZE);
                    st = START;
                }
            } else if (action < EMIT_BEFORE) {
                append(b);
                emit(JsonTokenType.of(action - EMIT));
                st = START;
                i++;
            } else if (action < FAIL) {
                emit(JsonTokenType.of(action - EMIT_BEFORE));
                st = START; // the byte is looked at again
            } else if (action == FAIL) {
                append(b);
                emit(JsonTokenType.ERROR);
                st = RECOVERY;
                i++;
            } else if (action == RESYNC) {
                st = START; // the byte is looked at again
            } else {
                i++; // SKIP
            }
        }
        state = st;
    }

    private void emit(JsonTokenType type) {
        sink.token(type, token, length);
        clearToken();
    }

    private void clearToken() {
        length = 0;
        if (token.length > KEEP_CAPACITY) {
            token = new byte[INITIAL_CAPACITY];
        }
    }

    private void append(int b) {
        if (length == token.length) {
            grow(length + 1);
        }
        token[length++] = (byte) b;
    }

    private void append(byte[] src, int from, int n) {
        if (length + n > token.length) {
            grow(length + n);
        }
        System.arraycopy(src, from, token, length, n);
        length += n;
    }

    private void grow(int needed) {
        int capacity = Math.max(needed, (int) Math.min(2L * token.length, MAX_TOKEN_BYTES + 1L));
        token = java.util.Arrays.copyOf(token, capacity);
    }
}

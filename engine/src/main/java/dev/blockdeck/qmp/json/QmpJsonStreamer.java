package dev.blockdeck.qmp.json;

import java.nio.ByteBuffer;

/**
 * Finds complete JSON values in a QMP byte stream, in QEMU's dialect and under QEMU's limits.
 *
 * <p>Tokens are grouped into messages the way QEMU 7.2's streamer does: a message ends at the token that
 * brings the count of open braces and brackets back to zero or below it (so a bare top-level number only
 * ends when the next byte arrives). A lexical error reports {@code JSON parse error, stray '<token>'} and
 * drops the message so far; a limit (nesting depth 1024, 2^21 tokens, 64 MiB of token text) drops it with its
 * own error, and the rest of the input is then read as new messages. Whitespace alone produces nothing.
 *
 * <p>Not thread-safe. Sink callbacks run inside {@link #feed} and must not call {@link #feed} or {@link #reset}.
 */
public final class QmpJsonStreamer {
    static final int MAX_NESTING = 1024;
    static final int MAX_TOKEN_COUNT = 1 << 21;
    static final long MAX_TOKEN_BYTES = 64L << 20;

    private final JsonMessageSink sink;
    private final QmpJsonLexer lexer;
    private final JsonTreeBuilder parser = new JsonTreeBuilder();
    private byte[] scratch;

    private int braces;
    private int brackets;
    private int tokenCount;
    private long tokenBytes;

    public QmpJsonStreamer(JsonMessageSink sink) {
        this.sink = sink;
        this.lexer = new QmpJsonLexer(this::token);
    }

    /** Feeds bytes; calls the sink for every value or error completed by them. Any split is allowed. */
    public void feed(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        lexer.feed(bytes, offset, length);
    }

    public void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int n = buffer.remaining();
            feed(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
            buffer.position(buffer.position() + n);
            return;
        }
        if (scratch == null) {
            scratch = new byte[8192];
        }
        while (buffer.hasRemaining()) {
            int n = Math.min(scratch.length, buffer.remaining());
            buffer.get(scratch, 0, n);
            feed(scratch, 0, n);
        }
    }

    /** Drops any partial value (used when a connection is reset). */
    public void reset() {
        lexer.reset();
        dropMessage();
    }

    private void token(JsonTokenType type, byte[] text, int length) {
        switch (type) {
            case LCURLY -> braces++;
            case RCURLY -> braces--;
            case LSQUARE -> brackets++;
            case RSQUARE -> brackets--;
            case ERROR -> {
                fail(JsonTreeBuilder.PREFIX + "stray '" + ModifiedUtf8.toDisplayString(text, 0, length) + "'");
                return;
            }
            default -> {
                // other tokens do not change the nesting
            }
        }
        if (tokenBytes + length + 1 > MAX_TOKEN_BYTES) {
            fail("JSON token size limit exceeded");
            return;
        }
        if (tokenCount + 1 > MAX_TOKEN_COUNT) {
            fail("JSON token count limit exceeded");
            return;
        }
        if (braces + brackets > MAX_NESTING) {
            fail("JSON nesting depth limit exceeded");
            return;
        }
        tokenCount++;
        tokenBytes += length;
        parser.accept(type, text, length);
        if ((braces > 0 || brackets > 0) && braces >= 0 && brackets >= 0) {
            return; // the message goes on
        }
        String error = parser.error();
        var value = parser.result();
        dropMessage();
        if (error != null) {
            sink.onError(error);
        } else if (value != null) {
            sink.onValue(value);
        } else {
            sink.onError(JsonTreeBuilder.PREFIX + "premature EOI");
        }
    }

    private void fail(String desc) {
        dropMessage();
        sink.onError(desc);
    }

    private void dropMessage() {
        braces = 0;
        brackets = 0;
        tokenCount = 0;
        tokenBytes = 0;
        parser.reset();
    }
}

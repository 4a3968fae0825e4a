package dev.blockdeck.qmp.json;

import com.fasterxml.jackson.databind.JsonNode;

/** Receives what the QMP JSON streamer finds in a byte stream, in stream order. */
public interface JsonMessageSink {
    /** A complete top-level JSON value. */
    void onValue(JsonNode value);

    /** A lexer, parser or limit error; {@code desc} is QEMU's text, e.g. {@code JSON parse error, stray '@'}. */
    void onError(String desc);
}

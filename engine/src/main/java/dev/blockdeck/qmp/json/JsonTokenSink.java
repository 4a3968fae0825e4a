package dev.blockdeck.qmp.json;

/** Receives tokens from {@link QmpJsonLexer}; the text buffer is only valid during the call. */
interface JsonTokenSink {
    void token(JsonTokenType type, byte[] text, int length);
}

package dev.blockdeck.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/** The request envelope is malformed; {@code id} is what to echo (null: none). */
public final class QmpEnvelopeException extends QmpException {
    private final transient JsonNode id;

    public QmpEnvelopeException(String desc, JsonNode id) {
        super(QmpErrorClass.GenericError, desc);
        this.id = id;
    }

    public JsonNode id() {
        return id;
    }
}

package dev.blockdeck.qmp.client;

/** Sees every message a QmpClient sends or receives, as the JSON text on the wire. */
@FunctionalInterface
public interface WireTracer {
    enum Direction { SENT, RECEIVED }

    void onMessage(Direction direction, String json);
}

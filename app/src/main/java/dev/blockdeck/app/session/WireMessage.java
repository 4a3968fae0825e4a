package dev.blockdeck.app.session;

import java.time.Instant;

/**
 * One QMP message the app sent or received, as the JSON text on the wire.
 *
 * @param note why this entry is not a plain capture, or empty (e.g. the greeting, which arrives before a
 *             tracer can be installed and is therefore re-serialised from what the client kept)
 */
public record WireMessage(Instant time, Direction direction, String json, String note) {

    public enum Direction { SENT, RECEIVED }

    public WireMessage {
        note = note == null ? "" : note;
    }
}

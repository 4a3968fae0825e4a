package dev.blockdeck.engine;

/** The engine could not start; the message reads like QEMU's start-up errors. */
public final class EngineStartException extends Exception {
    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }

    public EngineStartException(String message) {
        super(message);
    }
}

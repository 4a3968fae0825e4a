package dev.blockdeck.qmp.client;

/** The QMP connection ended before a command was answered. */
public final class QmpConnectionClosedException extends RuntimeException {
    public QmpConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}

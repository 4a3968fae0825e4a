package dev.blockdeck.engine.block.snapshot;

/**
 * A failed snapshot operation of a driver. Callers word list and create failures themselves around the errno
 * text ({@link #errnoText()}), as QEMU does with the driver's errno; delete failures carry QEMU's full message.
 */
public final class SnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String errnoText;

    public SnapshotException(String message, String errnoText) {
        // an answer, not a bug: queries meet "not supported" for every node without snapshots, so no stack trace
        super(message, null, false, false);
        this.errnoText = errnoText;
    }

    /** A failure known only by its errno. */
    public static SnapshotException errno(String errnoText) {
        return new SnapshotException(errnoText, errnoText);
    }

    /** {@code strerror()} of the failure's errno, e.g. "Operation not supported". */
    public String errnoText() {
        return errnoText;
    }
}

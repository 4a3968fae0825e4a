package dev.blockdeck.engine.block;

/**
 * A block-layer operation failed; the message is what QEMU would put into the QMP error's {@code desc}
 * (class GenericError).
 */
public class BlockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String hint;

    public BlockException(String message) {
        super(message);
        this.hint = null;
    }

    /** With QEMU's error hint: shown on the command line after the message, never in QMP. */
    public static BlockException withHint(String message, String hint) {
        return new BlockException(message, hint);
    }

    private BlockException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    /** The hint lines (each ending in a newline), or null. */
    public String hint() {
        return hint;
    }

    public BlockException(String message, Throwable cause) {
        super(message, cause);
        this.hint = null;
    }

    /** The same failure with QEMU's {@code error_prepend} text in front. */
    public BlockException prepend(String prefix) {
        return new BlockException(prefix + getMessage(), this);
    }
}

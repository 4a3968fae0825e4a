package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;

/** An error with QEMU's wording (open refusals, create validation, I/O on a corrupt image). */
public class Qcow2Exception extends IOException {
    private static final long serialVersionUID = 1L;

    /** errno-like class, for the adapter to map onto QMP error classes. */
    public enum Kind { INVALID, UNSUPPORTED, ACCESS, IO, NO_SPACE, TOO_BIG, NOT_FOUND }

    private final Kind kind;

    public Qcow2Exception(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Qcow2Exception(String message) {
        this(Kind.INVALID, message);
    }

    public Kind kind() {
        return kind;
    }
}

package dev.blockdeck.engine.block;

import java.io.IOException;

/**
 * A failed I/O request, with the errno QEMU would have returned. Futures of failed requests complete
 * exceptionally with this.
 */
public final class BlockIOException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The errno values the block layer's requests can fail with. */
    public enum Errno {
        EIO("Input/output error"),
        EINVAL("Invalid argument"),
        ENOSPC("No space left on device"),
        EPERM("Operation not permitted"),
        EACCES("Permission denied"),
        ENOMEDIUM("No medium found"),
        ENOTSUP("Operation not supported"),
        EFBIG("File too large");

        private final String text;

        Errno(String text) {
            this.text = text;
        }

        /** {@code strerror()} of this errno, as glibc words it. */
        public String text() {
            return text;
        }
    }

    private final Errno errno;

    public BlockIOException(Errno errno) {
        super(errno.text());
        this.errno = errno;
    }

    public BlockIOException(Errno errno, String detail, Throwable cause) {
        super(detail == null ? errno.text() : detail, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}

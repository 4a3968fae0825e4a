package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;

import dev.blockdeck.engine.block.BlockIOException;

/** The {@code strerror()} text QEMU would print for a failure of the core (its errno as glibc words it). */
public final class Errnos {
    private Errnos() {
    }

    public static String text(IOException e) {
        if (e instanceof BlockIOException b) {
            return b.errno().text();
        }
        if (e instanceof Qcow2Exception q) {
            return switch (q.kind()) {
                case INVALID -> "Invalid argument";
                case UNSUPPORTED -> "Operation not supported";
                case ACCESS -> "Operation not permitted";
                case NO_SPACE -> "No space left on device";
                case TOO_BIG -> "File too large";
                case NOT_FOUND -> "No such file or directory";
                case IO -> "Input/output error";
            };
        }
        return "Input/output error";
    }
}

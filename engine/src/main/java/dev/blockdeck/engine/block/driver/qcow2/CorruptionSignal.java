package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;

/**
 * An image's reaction to inconsistent metadata (QEMU's qcow2_signal_corruption): tell the listener, and for a
 * fatal one on a writable image set the corrupt bit and stop all further I/O.
 */
final class CorruptionSignal {
    private final Qcow2Image img;
    private final InconsistencyListener listener;
    private boolean signaled;
    private boolean dead;

    CorruptionSignal(Qcow2Image img, InconsistencyListener listener) {
        this.img = img;
        this.listener = listener;
    }

    /** A fatal corruption stopped the image: no request may run any more. */
    boolean isDead() {
        return dead;
    }

    /**
     * Reports an inconsistency. On a read-only image nothing is fatal (the caller still fails its request).
     * After the first report, later ones are silent unless a first fatal one comes after non-fatal ones.
     */
    void signal(boolean fatal, long offset, long size, String message) throws IOException {
        fatal = fatal && !img.isReadOnly();
        if (signaled && (!fatal || img.isCorrupt())) {
            return;
        }
        if (listener != null) {
            listener.corrupted(message, offset, size, fatal);
        }
        if (fatal) {
            dead = true;
            if (img.header.version >= 3) {
                img.header.incompatibleFeatures |= INCOMPAT_CORRUPT;
                try {
                    img.headerUpdates.writeIncompatible();
                } catch (IOException ignored) {
                    // the image is unusable anyway
                }
            }
        }
        signaled = true;
    }
}

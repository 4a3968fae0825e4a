package dev.blockdeck.app.session;

import java.nio.file.Path;

/** Opens a {@link Session}. {@link #open} blocks, so it must run on a background thread. */
public interface SessionLauncher {

    /** Reports what {@link #open} is doing, from the thread that runs it. */
    interface Progress {
        Progress NONE = new Progress() { };

        default void step(String message) { }

        /** The monitor socket, known before the connection is made. */
        default void socket(Path socket) { }
    }

    /** What will be opened, e.g. {@code "Embedded engine · demo.args"}. */
    String description();

    /** Starts what is needed, connects, negotiates capabilities. */
    Session open(Progress progress) throws Exception;
}

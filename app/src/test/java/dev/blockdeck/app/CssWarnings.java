package dev.blockdeck.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the warnings JavaFX's CSS engine logs about our stylesheets (a looked-up colour that does not resolve,
 * a value that does not convert): they go to java.util.logging, and would otherwise only scroll by.
 */
final class CssWarnings extends Handler implements AutoCloseable {

    private static final String OURS = "dev/blockdeck/app/view/";
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    CssWarnings() {
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        String m = r.getMessage();
        if (m != null && m.contains(OURS) && (m.contains("Could not resolve") || m.contains("while converting")
                || m.contains("ClassCastException"))) {
            seen.add(m);
        }
    }

    List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}

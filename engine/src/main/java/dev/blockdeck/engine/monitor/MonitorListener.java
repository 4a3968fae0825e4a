package dev.blockdeck.engine.monitor;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One {@code -qmp} socket: accepts a client, serves it to the end, then accepts the next. */
final class MonitorListener {
    private static final Logger LOG = Logger.getLogger(MonitorListener.class.getName());

    private final ServerSocketChannel server;
    private final MonitorContext context;
    private final String description;
    private final Path unixPath;
    private final Thread thread;
    private volatile MonitorConnection current;
    private volatile boolean closed;

    MonitorListener(ServerSocketChannel server, MonitorContext context, String description, Path unixPath) {
        this.server = server;
        this.context = context;
        this.description = description;
        this.unixPath = unixPath;
        this.thread = new Thread(this::run, "qmp-monitor " + description);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                MonitorConnection c = new MonitorConnection(client, context);
                current = c;
                if (closed) {
                    c.close();
                    return;
                }
                c.serve();
                current = null;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "QMP " + description + ": accept failed", e);
                }
                return;
            }
        }
    }

    void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        MonitorConnection c = current;
        if (c != null) {
            c.close();
        }
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException ignored) {
                // a leftover socket file is replaced at the next start
            }
        }
    }
}

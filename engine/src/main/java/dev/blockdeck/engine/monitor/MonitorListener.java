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
public final class MonitorListener {
    private static final Logger LOG = Logger.getLogger(MonitorListener.class.getName());

    private final ServerSocketChannel server;
    private final MonitorContext context;
    private final String description;
    private final Path unixPath;
    private final Thread thread;
    private final java.util.concurrent.CountDownLatch firstClient = new java.util.concurrent.CountDownLatch(1);
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
                firstClient.countDown();
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

    /** Blocks until a client has connected (QEMU's {@code wait=on}), or the listener closed. */
    void awaitFirstClient() throws InterruptedException {
        while (!closed && !firstClient.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            Thread.onSpinWait();
        }
    }

    void close() {
        closed = true;
        firstClient.countDown();
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

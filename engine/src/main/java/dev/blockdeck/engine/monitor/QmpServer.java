package dev.blockdeck.engine.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The QMP monitors of one engine: any number of listening sockets, each serving one client at a time
 * (a second client waits in the kernel's backlog until the first leaves, as with QEMU).
 */
public final class QmpServer implements MonitorContext, AutoCloseable {
    private final MainLoop mainLoop;
    private final Dispatcher dispatcher;
    private final EventBroadcaster events;
    private final JsonNode versionInfo;
    private final Runnable afterAnswer;
    private final List<MonitorListener> listeners = new CopyOnWriteArrayList<>();

    public QmpServer(MainLoop mainLoop, Dispatcher dispatcher, EventBroadcaster events, JsonNode versionInfo,
                     Runnable afterAnswer) {
        this.mainLoop = mainLoop;
        this.dispatcher = dispatcher;
        this.events = events;
        this.versionInfo = versionInfo;
        this.afterAnswer = afterAnswer;
    }

    /** Listens on a Unix socket created with mode 0600; a stale socket file at the path is replaced. */
    public MonitorHandle listenUnix(Path path) throws IOException {
        if (Files.exists(path) && !Files.isDirectory(path) && !Files.isRegularFile(path)) {
            Files.delete(path); // a leftover socket from an earlier run, as QEMU unlinks it too
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return start(new MonitorListener(ch, this, "unix:" + path, path));
    }

    /** Listens on TCP; the caller decides whether a non-loopback address is allowed. */
    public MonitorHandle listenTcp(InetSocketAddress address) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(address);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) ch.getLocalAddress();
        MonitorHandle h = start(new MonitorListener(ch, this, "tcp:" + bound, null));
        return new MonitorHandle(h.listener(), bound);
    }

    private MonitorHandle start(MonitorListener l) {
        listeners.add(l);
        l.start();
        return new MonitorHandle(l, null);
    }

    /** A listening monitor: its TCP address (null for Unix sockets), and a way to wait for a client. */
    public record MonitorHandle(MonitorListener listener, InetSocketAddress tcpAddress) {
        public void awaitFirstClient() throws InterruptedException {
            listener.awaitFirstClient();
        }
    }

    @Override
    public void close() {
        listeners.forEach(MonitorListener::close);
        listeners.clear();
    }

    @Override
    public MainLoop mainLoop() {
        return mainLoop;
    }

    @Override
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public EventBroadcaster events() {
        return events;
    }

    @Override
    public JsonNode versionInfo() {
        return versionInfo;
    }

    @Override
    public void afterAnswer() {
        events.flushDeferred();
        afterAnswer.run();
    }
}

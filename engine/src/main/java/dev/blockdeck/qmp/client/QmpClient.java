package dev.blockdeck.qmp.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.QmpCommandException;
import dev.blockdeck.qmp.QmpEvent;
import dev.blockdeck.qmp.QmpServerMessage;
import dev.blockdeck.qmp.json.JsonMessageSink;
import dev.blockdeck.qmp.json.QmpJsonStreamer;
import dev.blockdeck.qmp.json.QmpJsonWriter;

/**
 * An asynchronous QMP client for the engine and for real QEMU alike. Commands may be in flight
 * together; answers are matched to them by id. Events go to listeners on the reader thread, in the
 * order they arrived, interleaved with answers exactly as the server sent them.
 */
public final class QmpClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QmpClient.class.getName());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SocketChannel channel;
    private final CompletableFuture<QmpClient> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentSkipListMap<>();
    private final CopyOnWriteArrayList<Consumer<QmpEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Object writeLock = new Object();
    private volatile WireTracer tracer;
    private volatile JsonNode greeting;

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to a Unix socket; completes once the greeting has been read. */
    public static CompletableFuture<QmpClient> connect(Path unixSocket) {
        return open(() -> {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(unixSocket));
            return ch;
        }, "unix:" + unixSocket);
    }

    /** Connects to a TCP monitor; completes once the greeting has been read. */
    public static CompletableFuture<QmpClient> connect(InetSocketAddress tcp) {
        return open(() -> SocketChannel.open(tcp), "tcp:" + tcp);
    }

    private interface ChannelOpener {
        SocketChannel open() throws IOException;
    }

    private static CompletableFuture<QmpClient> open(ChannelOpener opener, String where) {
        SocketChannel ch;
        try {
            ch = opener.open();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IOException("cannot connect to " + where + ": " + e.getMessage(), e));
        }
        QmpClient c = new QmpClient(ch);
        Thread reader = new Thread(c::readLoop, "qmp-client " + where);
        reader.setDaemon(true);
        reader.start();
        return c.connected;
    }

    /** The object inside the greeting's {@code QMP} member: {@code version} and {@code capabilities}. */
    public JsonNode greeting() {
        return greeting;
    }

    /** Leaves capability negotiation mode (no capabilities enabled). */
    public CompletableFuture<Void> negotiate() {
        return execute("qmp_capabilities").thenApply(r -> null);
    }

    public CompletableFuture<JsonNode> execute(String command) {
        return execute(command, null);
    }

    /** Sends a command; completes with its {@code return} value or fails with {@link QmpCommandException}. */
    public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
        long id = nextId.getAndIncrement();
        ObjectNode req = F.objectNode();
        req.put("execute", command);
        if (arguments != null) {
            req.set("arguments", arguments);
        }
        req.put("id", id);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        if (closed.isDone()) {
            fail(id, new QmpConnectionClosedException("QMP connection is closed", null));
            return f;
        }
        String text = QmpJsonWriter.write(req);
        try {
            synchronized (writeLock) {
                trace(WireTracer.Direction.SENT, text);
                ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        } catch (IOException e) {
            fail(id, new QmpConnectionClosedException("QMP connection lost while sending " + command, e));
        }
        return f;
    }

    public void addEventListener(Consumer<QmpEvent> listener) {
        eventListeners.add(listener);
    }

    public void removeEventListener(Consumer<QmpEvent> listener) {
        eventListeners.remove(listener);
    }

    public void setWireTracer(WireTracer t) {
        this.tracer = t;
    }

    /** Completes when the connection has ended, whoever ended it. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void readLoop() {
        QmpJsonStreamer streamer = new QmpJsonStreamer(new JsonMessageSink() {
            @Override
            public void onValue(JsonNode value) {
                received(value);
            }

            @Override
            public void onError(String desc) {
                LOG.warning("QMP peer sent malformed JSON: " + desc);
            }
        });
        Throwable cause = null;
        try {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buf) >= 0) {
                buf.flip();
                streamer.feed(buf);
                buf.clear();
            }
        } catch (IOException e) {
            cause = e;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "QMP client reader failed", e);
            cause = e;
        } finally {
            close();
            QmpConnectionClosedException ex = new QmpConnectionClosedException("QMP connection closed", cause);
            connected.completeExceptionally(ex);
            for (Long id : pending.keySet()) {
                fail(id, ex);
            }
            closed.complete(null);
        }
    }

    private void received(JsonNode msg) {
        trace(WireTracer.Direction.RECEIVED, QmpJsonWriter.write(msg));
        QmpServerMessage m;
        try {
            m = QmpServerMessage.of(msg);
        } catch (IllegalArgumentException e) {
            LOG.warning(e.getMessage());
            return;
        }
        if (m instanceof QmpServerMessage.Greeting g) {
            greeting = msg.get("QMP");
            connected.complete(this);
        } else if (m instanceof QmpServerMessage.Event e) {
            for (Consumer<QmpEvent> l : eventListeners) {
                try {
                    l.accept(e.event());
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "event listener failed on " + e.event().name(), ex);
                }
            }
        } else if (m instanceof QmpServerMessage.Return r) {
            CompletableFuture<JsonNode> f = answered(r.id());
            if (f != null) {
                f.complete(r.value());
            }
        } else if (m instanceof QmpServerMessage.Error err) {
            CompletableFuture<JsonNode> f = answered(err.id());
            if (f != null) {
                f.completeExceptionally(new QmpCommandException(err.errorClass(), err.desc()));
            }
        }
    }

    /** The pending command an answer belongs to; an answer without our id goes to the oldest command. */
    private CompletableFuture<JsonNode> answered(JsonNode idNode) {
        Long id = idNode != null && idNode.canConvertToLong() ? idNode.asLong() : null;
        if (id == null) {
            Iterator<Long> it = pending.keySet().iterator();
            if (!it.hasNext()) {
                LOG.warning("unsolicited QMP answer");
                return null;
            }
            id = it.next();
        }
        CompletableFuture<JsonNode> f = pending.remove(id);
        if (f == null) {
            LOG.warning("QMP answer for unknown id " + id);
        }
        return f;
    }

    private void fail(long id, RuntimeException e) {
        CompletableFuture<JsonNode> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(e);
        }
    }

    private void trace(WireTracer.Direction d, String text) {
        WireTracer t = tracer;
        if (t != null) {
            t.onMessage(d, text);
        }
    }
}

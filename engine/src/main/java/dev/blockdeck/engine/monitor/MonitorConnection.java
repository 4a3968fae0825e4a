package dev.blockdeck.engine.monitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.monitor.qapi.CommandContext;
import dev.blockdeck.qmp.QmpEnvelope;
import dev.blockdeck.qmp.QmpEnvelopeException;
import dev.blockdeck.qmp.QmpErrorClass;
import dev.blockdeck.qmp.QmpMessages;
import dev.blockdeck.qmp.QmpRequest;
import dev.blockdeck.qmp.json.JsonMessageSink;
import dev.blockdeck.qmp.json.QmpJsonStreamer;
import dev.blockdeck.qmp.json.QmpJsonWriter;

/**
 * One client on a QMP socket, from greeting to disconnect. It parses on its own thread, queues each
 * request to the main loop and waits for the answer before it looks at the next one (QEMU's monitor
 * without OOB reads one request at a time too), so answers come back in request order.
 */
final class MonitorConnection implements CommandContext, JsonMessageSink {
    private static final Logger LOG = Logger.getLogger(MonitorConnection.class.getName());

    private final SocketChannel channel;
    private final MonitorContext engine;
    private final QmpJsonStreamer streamer = new QmpJsonStreamer(this);
    private volatile boolean negotiated;
    private volatile boolean oobEnabled;
    private volatile boolean open = true;

    MonitorConnection(SocketChannel channel, MonitorContext engine) {
        this.channel = channel;
        this.engine = engine;
    }

    /** Serves the client until it disconnects or the engine stops. */
    void serve() {
        engine.events().register(this);
        try {
            send(QmpMessages.greeting(engine.versionInfo(), offeredCapabilities()));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (open && channel.read(buf) >= 0) {
                buf.flip();
                streamer.feed(buf);
                buf.clear();
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "monitor connection ended", e);
        } finally {
            open = false;
            engine.events().unregister(this);
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void onValue(JsonNode value) {
        ObjectNode answer;
        try {
            QmpRequest req = QmpEnvelope.parse(value, oobEnabled);
            answer = engine.mainLoop().call(() -> engine.dispatcher().dispatch(this, req));
        } catch (QmpEnvelopeException e) {
            answer = QmpMessages.error(QmpErrorClass.GenericError, e.desc(), e.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
            return;
        }
        send(answer);
        engine.afterAnswer();
    }

    @Override
    public void onError(String desc) {
        send(QmpMessages.error(QmpErrorClass.GenericError, desc, null));
    }

    /** Writes one message; a vanished client is not an error for the engine. */
    private static final int OUT_INITIAL = 4096;
    private static final int OUT_KEEP = 1 << 20;
    /** Reused by {@link #send} (under the connection's lock): big answers do not regrow a builder each time. */
    private StringBuilder out = new StringBuilder(OUT_INITIAL);

    synchronized void send(ObjectNode msg) {
        if (!open) {
            return;
        }
        StringBuilder sb = out;
        sb.setLength(0);
        QmpJsonWriter.writeInQdictOrder(msg, sb);
        // the writer escapes everything outside printable ASCII, so Latin-1 gives the same bytes as UTF-8, by a plain copy
        byte[] bytes = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        if (sb.capacity() > OUT_KEEP) {
            out = new StringBuilder(OUT_INITIAL); // do not hold on to one huge answer's buffer
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            open = false;
        }
    }

    /** Ends the connection with a clean end-of-stream (the peer sees EOF, not a reset). */
    void close() {
        open = false;
        try {
            synchronized (this) {
                channel.shutdownOutput();
            }
            channel.shutdownInput();
        } catch (IOException ignored) {
            // the peer may be gone already
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public Set<String> offeredCapabilities() {
        return Set.of("oob");
    }

    @Override
    public boolean negotiated() {
        return negotiated;
    }

    @Override
    public void completeNegotiation(Set<String> enabled) {
        oobEnabled = enabled.contains("oob");
        negotiated = true;
    }
}

package dev.blockdeck.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte-level QMP connection for differential tests: writes raw bytes, reads whole
 * {@code \r\n}-terminated lines, and can wait for the peer to fall quiet.
 */
public final class RawQmpConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean eof;

    private RawQmpConnection(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /**
     * Connects, retrying for a few seconds while the server has bound its socket but is not listening
     * yet (QEMU creates the file before it listens; a loaded machine widens that window).
     */
    public static RawQmpConnection open(Path socket) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return new RawQmpConnection(ch);
            } catch (java.net.SocketException e) {
                ch.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }
    }

    public void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
            if (b.hasRemaining()) {
                Thread.onSpinWait();
            }
        }
    }

    public void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The next line (without {@code \r\n}), or null at end of stream or after {@code timeoutMs}. */
    public String readLine(long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            String line = takeLine();
            if (line != null) {
                return line;
            }
            long left = deadline - System.currentTimeMillis();
            if (eof || left <= 0) {
                return null;
            }
            fill(left);
        }
    }

    /** Every line that arrives until none arrives for {@code quietMs} (or the stream ends). */
    public List<String> readUntilQuiet(long quietMs) throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        while ((l = readLine(quietMs)) != null) {
            lines.add(l);
        }
        return lines;
    }

    public boolean isEof() {
        return eof;
    }

    private void fill(long timeoutMs) throws IOException {
        if (selector.select(Math.max(1, timeoutMs)) == 0) {
            return;
        }
        selector.selectedKeys().clear();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        int n = channel.read(buf);
        if (n < 0) {
            eof = true;
            return;
        }
        pending.write(buf.array(), 0, n);
    }

    private String takeLine() {
        byte[] b = pending.toByteArray();
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                String line = new String(b, 0, i, StandardCharsets.UTF_8);
                pending.reset();
                pending.write(b, i + 2, b.length - i - 2);
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}

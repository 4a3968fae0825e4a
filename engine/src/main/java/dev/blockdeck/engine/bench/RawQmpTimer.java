package dev.blockdeck.engine.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times QMP round trips at the byte level: sends a command's bytes and waits for the end of the answer's line,
 * without parsing it. What a benchmark of the server wants: a client that parses 26 KB of JSON per answer would
 * add the same large constant to the engine's and QEMU's times and hide the ratio between them.
 */
final class RawQmpTimer implements AutoCloseable {
    private final SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
    private final StringBuilder line = new StringBuilder();

    private RawQmpTimer(SocketChannel ch) {
        this.ch = ch;
    }

    /** Connects, reads the greeting and leaves capabilities negotiation mode. */
    static RawQmpTimer connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        RawQmpTimer t = new RawQmpTimer(ch);
        t.readLine(true);
        t.roundTrip("{\"execute\": \"qmp_capabilities\"}\n", true);
        return t;
    }

    /** Sends {@code command} (one line) and returns its answer's line. */
    String answer(String command) throws IOException {
        return roundTrip(command, true);
    }

    /** Median microseconds of {@code rounds} round trips of {@code command}, after as many unmeasured ones. */
    double medianMicros(String command, int rounds) throws IOException {
        for (int i = 0; i < rounds; i++) {
            roundTrip(command, false);
        }
        double[] us = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            roundTrip(command, false);
            us[i] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(us);
        return us[rounds / 2];
    }

    private String roundTrip(String command, boolean keep) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(command.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            ch.write(out);
        }
        return readLine(keep);
    }

    /** Reads up to and including the next '\n' (answers and greetings are one line each; no events here). */
    private String readLine(boolean keep) throws IOException {
        line.setLength(0);
        while (true) {
            in.clear();
            if (ch.read(in) < 0) {
                throw new IOException("connection closed");
            }
            in.flip();
            int n = in.remaining();
            boolean end = n > 0 && in.get(n - 1) == '\n';
            if (keep) {
                byte[] b = new byte[n];
                in.get(b);
                line.append(new String(b, StandardCharsets.UTF_8));
            }
            if (end) {
                return line.toString();
            }
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}

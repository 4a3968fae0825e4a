package dev.blockdeck.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one hostile-corpus case against a QMP server on a Unix socket: the one procedure used both to record
 * real QEMU and to check the engine, so the two transcripts are comparable line for line.
 *
 * <ol>
 *   <li>connect, read and drop the greeting;</li>
 *   <li>negotiate according to the phase and drop that answer;</li>
 *   <li>write the input bytes, then the probe {@value #PROBE};</li>
 *   <li>collect every line until the one answering id {@code "alive"}; if it has not come after
 *       {@value #PROBE_WAIT_MS} ms, write {@code \x01} and the probe again and wait up to
 *       {@value #RETRY_WAIT_MS} ms more.</li>
 * </ol>
 * The transcript is every line after the negotiation answer, probe answers included, with event timestamps
 * replaced by {@value #FIXED_TIMESTAMP}.
 */
public final class CorpusRunner {
    public static final String PROBE = "{\"execute\":\"query-status\",\"id\":\"alive\"}";
    public static final String NEGOTIATE = "{\"execute\":\"qmp_capabilities\"}";
    public static final String NEGOTIATE_OOB = "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}";
    /** Byte written before the second probe: forces QEMU's lexer out of any unfinished token. */
    public static final byte RESYNC_BYTE = 0x01;
    public static final long PROBE_WAIT_MS = 3_000;
    public static final long RETRY_WAIT_MS = 10_000;
    public static final String FIXED_TIMESTAMP = "\"timestamp\": {\"seconds\": 0, \"microseconds\": 0}";

    private static final long GREETING_WAIT_MS = 10_000;
    private static final Pattern TIMESTAMP =
            Pattern.compile("\"timestamp\": \\{\"seconds\": -?\\d+, \"microseconds\": -?\\d+\\}");

    private CorpusRunner() {
    }

    public static List<String> run(Path unixSocket, HostileCorpus.Case c) throws IOException {
        try (RawQmpConnection conn = RawQmpConnection.open(unixSocket)) {
            String greeting = conn.readLine(GREETING_WAIT_MS);
            if (greeting == null || !greeting.startsWith("{\"QMP\":")) {
                throw new IOException("no QMP greeting, got: " + greeting);
            }
            String negotiation = switch (c.phase()) {
                case PRE -> null;
                case NEGOTIATED -> NEGOTIATE;
                case OOB -> NEGOTIATE_OOB;
            };
            if (negotiation != null) {
                conn.write(negotiation);
                String answer = conn.readLine(GREETING_WAIT_MS);
                if (!"{\"return\": {}}".equals(answer)) {
                    throw new IOException("negotiation failed: " + answer);
                }
            }
            conn.write(c.input());
            conn.write(PROBE);
            List<String> transcript = new ArrayList<>();
            boolean retried = false;
            long deadline = System.currentTimeMillis() + PROBE_WAIT_MS;
            while (true) {
                String line = conn.readLine(Math.max(1, deadline - System.currentTimeMillis()));
                if (line == null) {
                    if (conn.isEof()) {
                        throw new IOException("connection closed by the server; transcript so far: " + transcript);
                    }
                    if (retried) {
                        throw new IOException("no answer to the liveness probe; transcript so far: " + transcript);
                    }
                    byte[] probe = PROBE.getBytes(StandardCharsets.UTF_8);
                    byte[] again = new byte[probe.length + 1];
                    again[0] = RESYNC_BYTE;
                    System.arraycopy(probe, 0, again, 1, probe.length);
                    conn.write(again);
                    retried = true;
                    deadline = System.currentTimeMillis() + RETRY_WAIT_MS;
                    continue;
                }
                transcript.add(normalise(line));
                if (answersProbe(line)) {
                    return transcript;
                }
            }
        }
    }

    /** Whether a response line carries the top-level id {@code "alive"}. */
    public static boolean answersProbe(String line) {
        return line.startsWith("{\"id\": \"alive\", ") || line.endsWith(", \"id\": \"alive\"}");
    }

    /** Replaces event timestamps by {@value #FIXED_TIMESTAMP}. */
    public static String normalise(String line) {
        if (!line.contains("\"timestamp\"")) {
            return line;
        }
        return TIMESTAMP.matcher(line).replaceAll(Matcher.quoteReplacement(FIXED_TIMESTAMP));
    }
}

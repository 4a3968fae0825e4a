package dev.blockdeck.testutil;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a QMP script (one request per entry) on a fresh connection and returns every line received,
 * greeting included: after each request it reads up to and including the answer, so events are
 * captured where they arrive. A request after which the server closes the connection ends the script.
 */
public final class QmpScript {
    private QmpScript() {
    }

    public static List<String> run(Path socket, List<String> requests) throws IOException {
        List<String> transcript = new ArrayList<>();
        try (RawQmpConnection c = RawQmpConnection.open(socket)) {
            transcript.add(c.readLine(10_000));
            for (String req : requests) {
                // no trailing newline: QEMU exits right after answering quit, and unread bytes left in
                // its socket would turn our end-of-stream into a connection reset
                c.write(req);
                while (true) {
                    String line = c.readLine(10_000);
                    if (line == null) {
                        transcript.add(c.isEof() ? "<EOF>" : "<TIMEOUT>");
                        return transcript;
                    }
                    transcript.add(line);
                    if (!line.startsWith("{\"timestamp\"")) {
                        break;
                    }
                }
            }
            if (requests.get(requests.size() - 1).contains("\"quit\"")) {
                String tail = c.readLine(10_000);
                transcript.add(tail == null ? (c.isEof() ? "<EOF>" : "<TIMEOUT>") : tail);
            }
        }
        return transcript;
    }
}

package dev.blockdeck.engine.qom;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;

import dev.blockdeck.testutil.QmpScript;

/**
 * {@link QmpScript#run}, retrying the connection for a moment: the harness waits only for the socket
 * file, and a server may create it (bind) a moment before it listens.
 */
final class ScriptRuns {
    private ScriptRuns() {
    }

    static List<String> run(Path socket, List<String> script) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return QmpScript.run(socket, script);
            } catch (ConnectException e) {
                if (attempt >= 100) {
                    throw e;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}

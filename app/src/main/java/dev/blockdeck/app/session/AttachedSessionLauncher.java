package dev.blockdeck.app.session;

import dev.blockdeck.qmp.client.QmpClient;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Attaches to a running QEMU (or engine) through its QMP Unix socket, e.g. {@code -qmp unix:PATH,server=on,wait=off}. */
public final class AttachedSessionLauncher implements SessionLauncher {

    private final Path socket;

    public AttachedSessionLauncher(Path socket) {
        this.socket = socket;
    }

    @Override
    public String description() {
        return "Attached · " + socket;
    }

    @Override
    public Session open(Progress progress) throws Exception {
        progress.socket(socket);
        progress.step("Connecting to " + socket + "…");
        QmpClient client = QmpClient.connect(socket).get(EmbeddedSessionLauncher.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try {
            WireLog wire = WireLog.attach(client);
            progress.step("Negotiating capabilities…");
            client.negotiate().get(EmbeddedSessionLauncher.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new QmpSession(client, wire, socket.toString(), description(), null);
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
    }
}

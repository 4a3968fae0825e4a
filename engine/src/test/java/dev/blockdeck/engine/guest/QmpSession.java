package dev.blockdeck.engine.guest;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.QmpCommandException;
import dev.blockdeck.qmp.client.QmpClient;

/** A negotiated QMP client with blocking calls and JSON-text arguments, for the guest's engine tests. */
final class QmpSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final QmpClient client;

    private QmpSession(QmpClient client) {
        this.client = client;
    }

    static QmpSession open(Path socket) throws Exception {
        QmpClient c = QmpClient.connect(socket).get(10, TimeUnit.SECONDS);
        c.negotiate().get(10, TimeUnit.SECONDS);
        return new QmpSession(c);
    }

    /** Runs a command that must succeed; {@code args} is JSON text or null. */
    JsonNode ok(String command, String args) throws Exception {
        try {
            return client.execute(command, args == null ? null : (ObjectNode) JSON.readTree(args))
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(command + " " + args + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Runs a command that must fail; returns the error. */
    QmpCommandException error(String command, String args) throws Exception {
        try {
            JsonNode r = client.execute(command, args == null ? null : (ObjectNode) JSON.readTree(args))
                    .get(60, TimeUnit.SECONDS);
            throw new AssertionError(command + " " + args + " succeeded: " + r);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpCommandException q) {
                return q;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}

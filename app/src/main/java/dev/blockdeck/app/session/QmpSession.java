package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.qmp.QmpEvent;
import dev.blockdeck.qmp.client.QmpClient;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A {@link Session} over a negotiated {@link QmpClient}, with an optional resource to release after it. */
final class QmpSession implements Session {

    private final QmpClient client;
    private final String endpoint;
    private final String description;
    private final QemuVersion version;
    private final AutoCloseable afterClose;
    private final WireLog wire;
    private final Object lock = new Object();
    private boolean closedByUs;

    /**
     * @param wire       the client's trace, installed right after it connected
     * @param afterClose closed after the client, e.g. the embedded engine; may be null
     */
    QmpSession(QmpClient client, WireLog wire, String endpoint, String description, AutoCloseable afterClose) {
        this.wire = wire;
        this.client = client;
        this.endpoint = endpoint;
        this.description = description;
        this.version = QemuVersion.fromGreeting(client.greeting());
        this.afterClose = afterClose;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public QemuVersion qemuVersion() {
        return version;
    }

    @Override
    public CompletableFuture<Optional<String>> queryName() {
        return client.execute("query-name").thenApply(ret -> {
            JsonNode name = ret.path("name");
            return name.isTextual() ? Optional.of(name.asText()) : Optional.empty();
        });
    }

    @Override
    public CompletableFuture<VmStatus> queryStatus() {
        return client.execute("query-status").thenApply(VmStatus::fromQueryStatus);
    }

    @Override
    public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
        return client.execute(command, arguments);
    }

    @Override
    public void addEventListener(Consumer<QmpEvent> listener) {
        client.addEventListener(listener);
    }

    @Override
    public void addWireListener(Consumer<WireMessage> listener) {
        wire.subscribe(listener);
    }

    @Override
    public CompletableFuture<Void> closed() {
        return client.closed();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closedByUs) {
                return;
            }
            closedByUs = true;
        }
        try {
            client.close();
        } catch (RuntimeException ignored) {
            // closing is best effort
        }
        if (afterClose != null) {
            try {
                afterClose.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }
}

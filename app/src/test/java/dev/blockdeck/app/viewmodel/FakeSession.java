package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.QmpCommands;
import dev.blockdeck.app.session.QemuVersion;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.VmStatus;
import dev.blockdeck.app.session.WireMessage;
import dev.blockdeck.qmp.QmpCommandException;
import dev.blockdeck.qmp.QmpEvent;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A session whose answers the test sets. */
final class FakeSession implements Session {
    final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    final List<Consumer<WireMessage>> wireListeners = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    volatile Optional<String> name = Optional.of("fake-vm");
    volatile VmStatus status = new VmStatus("running", true);
    volatile RuntimeException statusError;
    int closeCalls;
    /** Answers {@link #execute}; by default every command is unknown, as on an engine without it. */
    volatile QmpCommands commands = (command, args) -> CompletableFuture.failedFuture(
            new QmpCommandException("CommandNotFound", "The command " + command + " has not been found"));

    @Override
    public String endpoint() {
        return "/tmp/fake/qmp.sock";
    }

    @Override
    public String description() {
        return "Fake";
    }

    @Override
    public QemuVersion qemuVersion() {
        return new QemuVersion(7, 2, 22, "fake-pkg");
    }

    @Override
    public CompletableFuture<Optional<String>> queryName() {
        return CompletableFuture.completedFuture(name);
    }

    @Override
    public CompletableFuture<VmStatus> queryStatus() {
        return statusError != null ? CompletableFuture.failedFuture(statusError)
                : CompletableFuture.completedFuture(status);
    }

    @Override
    public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
        return commands.execute(command, arguments);
    }

    @Override
    public void addEventListener(Consumer<QmpEvent> listener) {
        listeners.add(listener);
    }

    void emit(String event) {
        listeners.forEach(l -> l.accept(new QmpEvent(event, null, 0, 0)));
    }

    void emit(QmpEvent event) {
        listeners.forEach(l -> l.accept(event));
    }

    @Override
    public void addWireListener(Consumer<WireMessage> listener) {
        wireListeners.add(listener);
    }

    void wire(WireMessage m) {
        wireListeners.forEach(l -> l.accept(m));
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closeCalls++;
        closed.complete(null);
    }
}

package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.qmp.QmpEvent;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One negotiated QMP connection to a VM: the embedded engine or a real QEMU. ViewModels use this (never
 * the QMP client or the engine directly), so they can be tested with a fake.
 */
public interface Session extends AutoCloseable {

    /** Where the monitor is, e.g. the Unix socket path. */
    String endpoint();

    /** What this session is, e.g. {@code "Embedded engine · demo.args"}. */
    String description();

    /** The version from the QMP greeting. */
    QemuVersion qemuVersion();

    /** {@code query-name}: empty when the VM has no name. */
    CompletableFuture<Optional<String>> queryName();

    /** {@code query-status}. */
    CompletableFuture<VmStatus> queryStatus();

    /**
     * Any command, for mirrors that read many queries ({@code VmModel}): completes with the {@code return}
     * value, or fails with {@link dev.blockdeck.qmp.QmpCommandException}. {@code arguments} may be null.
     */
    CompletableFuture<JsonNode> execute(String command, ObjectNode arguments);

    /** Events arrive on a connection thread, not the FX thread. */
    void addEventListener(Consumer<QmpEvent> listener);

    /**
     * Every message on the wire, from the greeting on (the ones before this call are replayed first, up to
     * {@link WireLog#CAPACITY}); called on a connection thread. A session without a trace calls nothing.
     */
    default void addWireListener(Consumer<WireMessage> listener) {
    }

    /** Completes when the connection is gone (closed by us, by the peer, or the engine stopped). */
    CompletableFuture<Void> closed();

    /** Closes the connection and, for an embedded session, stops the engine. Idempotent, does not throw. */
    @Override
    void close();
}

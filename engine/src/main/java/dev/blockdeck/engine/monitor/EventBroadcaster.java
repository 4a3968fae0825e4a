package dev.blockdeck.engine.monitor;

import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.qmp.QmpMessages;

/**
 * Sends each event, with one timestamp, to every monitor that has left negotiation mode. Events
 * emitted while a command runs are written before that command's answer, as QEMU does.
 */
public final class EventBroadcaster {
    private final CopyOnWriteArrayList<MonitorConnection> monitors = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Deferred> deferred = new ConcurrentLinkedQueue<>();
    private final QapiSchema schema;

    public EventBroadcaster(QapiSchema schema) {
        this.schema = schema;
    }

    void register(MonitorConnection m) {
        monitors.add(m);
    }

    void unregister(MonitorConnection m) {
        monitors.remove(m);
    }

    private record Deferred(String name, ObjectNode data) {
    }

    /**
     * From a command: emits the event once that command's answer is written (QEMU sends DEVICE_DELETED from the
     * device's finalization, after device_del has been answered).
     */
    public void emitAfterAnswer(String name, ObjectNode data) {
        schema.event(name);
        deferred.add(new Deferred(name, data));
    }

    /** Sends what {@link #emitAfterAnswer} held back (called right after an answer is written). */
    void flushDeferred() {
        for (Deferred d = deferred.poll(); d != null; d = deferred.poll()) {
            emit(d.name(), d.data());
        }
    }

    /** Emits a declared event; {@code data} null for events without members. */
    public void emit(String name, ObjectNode data) {
        schema.event(name); // an undeclared event is a bug, not something to send
        Instant now = Instant.now();
        ObjectNode msg = QmpMessages.event(name, data, now.getEpochSecond(), now.getNano() / 1000);
        for (MonitorConnection m : monitors) {
            if (m.negotiated()) {
                m.send(msg);
            }
        }
    }
}

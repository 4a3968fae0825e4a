package dev.blockdeck.engine.device;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.monitor.EventBroadcaster;

/** The device events: DEVICE_DELETED, sent at once or after the answer of the command under way. */
final class DeviceEvents {
    private final EventBroadcaster events;

    /** {@code events} may be null (tests without monitors). */
    DeviceEvents(EventBroadcaster events) {
        this.events = events;
    }

    /** {@code id} null for a device without one (QEMU then leaves {@code device} out). */
    void deviceDeleted(String id, String path, boolean afterAnswer) {
        if (events == null) {
            return;
        }
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        if (id != null) {
            d.put("device", id);
        }
        d.put("path", path);
        if (afterAnswer) {
            events.emitAfterAnswer("DEVICE_DELETED", d);
        } else {
            events.emit("DEVICE_DELETED", d);
        }
    }
}

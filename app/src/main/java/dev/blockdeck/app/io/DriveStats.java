package dev.blockdeck.app.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One drive of a {@code query-blockstats} answer: a BlockBackend, named by its guest device when it has one (the
 * name the engine's guest workloads take), else by its own name.
 *
 * @param label    the device id ({@code vblk0}), a device's QOM path when it has no id, or the backend name
 * @param device   the BlockBackend's name ({@code drive0}); empty for an anonymous one
 * @param nodeName its root node ({@code #block017}); empty without a medium
 */
public record DriveStats(String label, String device, String nodeName, IoCounters counters) {

    private static final String PERIPHERAL = "/machine/peripheral/";
    private static final String VIRTIO_BACKEND = "/virtio-backend";

    /** One entry of the answer, or null for one that names no drive at all. */
    static DriveStats of(JsonNode entry) {
        String device = entry.path("device").asText("");
        String qdev = entry.path("qdev").asText("");
        String label = qdev.isEmpty() ? device : deviceId(qdev);
        if (label.isEmpty()) {
            return null;
        }
        return new DriveStats(label, device, entry.path("node-name").asText(""), IoCounters.of(entry.path("stats")));
    }

    /** {@code /machine/peripheral/vblk0/virtio-backend} → {@code vblk0}; a path outside peripheral stays whole. */
    static String deviceId(String qdev) {
        String path = qdev.endsWith(VIRTIO_BACKEND) ? qdev.substring(0, qdev.length() - VIRTIO_BACKEND.length()) : qdev;
        return path.startsWith(PERIPHERAL) ? path.substring(PERIPHERAL.length()) : path;
    }
}

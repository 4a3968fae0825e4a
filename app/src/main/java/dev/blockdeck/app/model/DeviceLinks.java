package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The iothread each guest device's drive is meant to run in, read with {@code qom-get}. A virtio-blk device has
 * an {@code iothread} link of its own; a SCSI disk has none ({@code Property 'scsi-hd.iothread' not found}): it
 * runs where its controller runs, so the link is read from the device its {@code parent_bus} belongs to
 * ({@code /machine/peripheral/scsi0/virtio-backend/scsi0.0} → {@code .../scsi0/virtio-backend}).
 */
final class DeviceLinks {

    /**
     * @param iothread the iothread id
     * @param owner    the id (or QOM path, for an anonymous device) of the device whose link this is: the device
     *                 itself, or its controller
     */
    record Link(String iothread, String owner) {
    }

    private final QmpCommands qmp;
    /** Controller path → its iothread link: asked once per read, however many disks sit on it. */
    private final Map<String, CompletableFuture<JsonNode>> controllers = new ConcurrentHashMap<>();

    /** One read: make a new instance for the next one (controllers may change in between). */
    DeviceLinks(QmpCommands qmp) {
        this.qmp = qmp;
    }

    /** qdev (as query-block names it) → its link; devices with no iothread anywhere are absent. */
    CompletableFuture<Map<String, Link>> read(JsonNode queryBlock) {
        Map<String, CompletableFuture<Link>> asks = new LinkedHashMap<>();
        for (JsonNode bb : queryBlock) {
            String qdev = bb.path("qdev").asText("");
            if (!qdev.isEmpty()) {
                asks.computeIfAbsent(qdev, this::linkOf);
            }
        }
        return CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Link> links = new HashMap<>();
            asks.forEach((qdev, f) -> {
                Link link = f.join();
                if (link != null) {
                    links.put(qdev, link);
                }
            });
            return links;
        });
    }

    private CompletableFuture<Link> linkOf(String qdev) {
        String device = BlockStateReader.devicePath(qdev);
        return qmp.qomGet(device, "iothread").thenCompose(own -> {
            if (own != null) {
                return CompletableFuture.completedFuture(link(own, device));
            }
            // no link of its own: its bus's device (a SCSI controller's virtio backend) decides
            return qmp.qomGet(device, "parent_bus").thenCompose(bus -> {
                if (bus == null || bus.asText("").lastIndexOf('/') <= 0) {
                    return CompletableFuture.completedFuture(null);
                }
                String controller = bus.asText().substring(0, bus.asText().lastIndexOf('/'));
                return controllers.computeIfAbsent(controller, c -> qmp.qomGet(c, "iothread"))
                        .thenApply(link -> link == null ? null : link(link, controller));
            });
        });
    }

    private static Link link(JsonNode iothread, String ownerPath) {
        String id = iothread.asText("");
        return id.isEmpty() ? null : new Link(BlockStateReader.iothreadId(id), BlockStateReader.deviceId(ownerPath));
    }
}

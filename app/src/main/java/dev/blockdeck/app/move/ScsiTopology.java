package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.blockdeck.app.model.BlockStateReader;
import dev.blockdeck.app.model.QmpCommands;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The VM's named virtio-scsi controllers (with their iothreads), the SCSI addresses in use on each, and the free
 * buses a new controller could be hot-plugged on, read with {@code qom-list}/{@code qom-get} under
 * {@code /machine/peripheral}: what a plan needs to move one SCSI disk to a controller in another iothread.
 * Anonymous devices cannot be named in {@code bus=}, so they are left out.
 *
 * @param controllers the named virtio-scsi-pci controllers
 * @param disks       every named SCSI device: its bus and address
 * @param freePorts   named PCIe root ports with nothing plugged in, whose bus takes hotplug
 * @param ids         every id in use under {@code /machine/peripheral} (a new controller needs a fresh one)
 */
public record ScsiTopology(List<Controller> controllers, List<Disk> disks, List<String> freePorts, Set<String> ids) {

    /**
     * @param iothread  the iothread id, null for the main loop
     * @param parentBus the QOM path of the bus it sits on
     * @param busHotplug whether that bus takes hotplug (a new controller could be added beside it)
     */
    public record Controller(String id, String iothread, String parentBus, boolean busHotplug) {

        /** Its SCSI bus, as {@code bus=} names it: QEMU calls the bus of a device with an id {@code ID.0}. */
        public String scsiBus() {
            return id + ".0";
        }
    }

    /** A SCSI device on a named controller's bus: {@code scsi-id} and {@code lun} as qom-get read them. */
    public record Disk(String id, String bus, int scsiId, int lun) {
    }

    private static final String PERIPHERAL = "/machine/peripheral";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public ScsiTopology {
        controllers = List.copyOf(controllers);
        disks = List.copyOf(disks);
        freePorts = List.copyOf(freePorts);
        ids = Set.copyOf(ids);
    }

    /** The controller in {@code iothread} (null: the main loop) other than {@code except}, if any. */
    public Optional<Controller> controllerIn(String iothread, String except) {
        return controllers.stream()
                .filter(c -> !c.id().equals(except) && java.util.Objects.equals(c.iothread(), iothread)).findFirst();
    }

    /**
     * The address for a disk re-plugged on {@code bus}: its own {@code scsi-id} when free there, else the lowest
     * free one (virtio-scsi takes 0-255), always with its own lun.
     */
    public int freeScsiId(String bus, int wanted, int lun, String disk) {
        Set<Integer> taken = new HashSet<>();
        disks.stream().filter(d -> d.bus().equals(bus) && d.lun() == lun && !d.id().equals(disk))
                .forEach(d -> taken.add(d.scsiId()));
        if (wanted >= 0 && !taken.contains(wanted)) {
            return wanted;
        }
        int id = 0;
        while (taken.contains(id)) {
            id++;
        }
        return id;
    }

    /** A fresh id for a new controller: {@code scsi-TARGET}, numbered when taken. */
    public String newControllerId(String target) {
        String base = "scsi-" + (target == null ? "main" : target);
        String id = base;
        for (int n = 1; ids.contains(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    public static CompletableFuture<ScsiTopology> read(QmpCommands qmp) {
        return qmp.executeOrNull("qom-list", JSON.objectNode().put("path", PERIPHERAL)).thenCompose(list -> {
            List<CompletableFuture<Controller>> controllers = new ArrayList<>();
            List<CompletableFuture<Disk>> disks = new ArrayList<>();
            List<CompletableFuture<String>> ports = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (JsonNode child : list == null ? JSON.arrayNode() : list) {
                String type = child.path("type").asText("");
                if (!type.startsWith("child<")) {
                    continue;
                }
                String id = child.path("name").asText();
                String qomType = type.substring("child<".length(), type.length() - 1);
                ids.add(id);
                String path = PERIPHERAL + "/" + id;
                if (qomType.equals("virtio-scsi-pci")) {
                    controllers.add(controller(qmp, id, path));
                } else if (qomType.startsWith("scsi-")) {
                    disks.add(disk(qmp, id, path));
                } else if (qomType.equals("pcie-root-port")) {
                    ports.add(freePort(qmp, id, path + "/" + id));
                }
            }
            List<CompletableFuture<?>> all = new ArrayList<>(controllers);
            all.addAll(disks);
            all.addAll(ports);
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> new ScsiTopology(
                    controllers.stream().map(CompletableFuture::join).toList(),
                    disks.stream().map(CompletableFuture::join).filter(d -> d.bus() != null).toList(),
                    ports.stream().map(CompletableFuture::join).filter(p -> p != null).toList(), ids));
        });
    }

    private static CompletableFuture<Controller> controller(QmpCommands qmp, String id, String path) {
        CompletableFuture<JsonNode> iothread = qmp.qomGet(path, "iothread");
        CompletableFuture<JsonNode> bus = qmp.qomGet(path, "parent_bus");
        CompletableFuture<Boolean> busHotplug = bus.thenCompose(b -> b == null || b.asText("").isEmpty()
                ? CompletableFuture.completedFuture(false)
                : qmp.qomGet(b.asText(), "hotplug-handler").thenApply(h -> h != null && !h.asText("").isEmpty()));
        return busHotplug.thenCombine(iothread, (hotplug, t) -> {
            String thread = t == null || t.asText("").isEmpty() ? null : BlockStateReader.iothreadId(t.asText());
            return new Controller(id, thread, bus.join() == null ? "" : bus.join().asText(""), hotplug);
        });
    }

    /** Null bus when the device is not on a named controller's bus. */
    private static CompletableFuture<Disk> disk(QmpCommands qmp, String id, String path) {
        CompletableFuture<JsonNode> bus = qmp.qomGet(path, "parent_bus");
        CompletableFuture<JsonNode> scsiId = qmp.qomGet(path, "scsi-id");
        CompletableFuture<JsonNode> lun = qmp.qomGet(path, "lun");
        return CompletableFuture.allOf(bus, scsiId, lun).thenApply(v -> {
            String b = bus.join() == null ? "" : bus.join().asText("");
            return new Disk(id, b.isEmpty() ? null : b.substring(b.lastIndexOf('/') + 1),
                    scsiId.join() == null ? -1 : scsiId.join().asInt(-1), lun.join() == null ? 0 : lun.join().asInt(0));
        });
    }

    /** The port's id when its bus is empty and takes hotplug, else null. */
    private static CompletableFuture<String> freePort(QmpCommands qmp, String id, String busPath) {
        CompletableFuture<JsonNode> children = qmp.executeOrNull("qom-list", JSON.objectNode().put("path", busPath));
        CompletableFuture<JsonNode> handler = qmp.qomGet(busPath, "hotplug-handler");
        return children.thenCombine(handler, (c, h) -> {
            if (c == null || h == null || h.asText("").isEmpty()) {
                return null;
            }
            for (JsonNode p : c) {
                if (p.path("name").asText("").startsWith("child[")) {
                    return null;
                }
            }
            return id;
        });
    }
}

package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.QmpCommands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code qom-get} tells about a guest device, for a re-plug plan: the properties {@link #READ}, each as QEMU
 * answered, or absent when it refused (a property the device type lacks) or the device is gone.
 */
public record DeviceFacts(String id, Map<String, JsonNode> values) {

    /** The properties a plan reads: identity and placement, and the few a re-created device must keep. */
    public static final List<String> READ = List.of("type", "parent_bus", "addr", "hotpluggable", "drive",
            "iothread", "bootindex", "serial", "share-rw");

    private static final String PERIPHERAL = "/machine/peripheral/";

    public DeviceFacts {
        values = Map.copyOf(values);
    }

    /** A SCSI disk's: no addr or iothread of its own (its controller has them), an address on its SCSI bus. */
    public static final List<String> READ_SCSI = List.of("type", "parent_bus", "hotpluggable", "drive", "scsi-id",
            "lun", "bootindex", "serial", "share-rw");

    /** The properties read for a device of this type. */
    public static List<String> properties(String type) {
        return isScsi(type) ? READ_SCSI : READ;
    }

    /** {@code scsi-hd}, {@code scsi-cd}, {@code scsi-block}: devices on a SCSI controller's bus. */
    public static boolean isScsi(String type) {
        return type.startsWith("scsi-");
    }

    public static CompletableFuture<DeviceFacts> read(QmpCommands qmp, String id) {
        String path = id.startsWith("/") ? id : PERIPHERAL + id;
        return qmp.qomGet(path, "type").thenCompose(type -> {
            Map<String, CompletableFuture<JsonNode>> asks = new LinkedHashMap<>();
            asks.put("type", CompletableFuture.completedFuture(type));
            for (String property : properties(type == null ? "" : type.asText(""))) {
                asks.computeIfAbsent(property, p -> qmp.qomGet(path, p));
            }
            return CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<String, JsonNode> values = new LinkedHashMap<>();
                asks.forEach((property, f) -> {
                    JsonNode value = f.join();
                    if (value != null) {
                        values.put(property, value);
                    }
                });
                return new DeviceFacts(id, values);
            });
        });
    }

    /** The properties read for this device (by its type), in order. */
    public List<String> asked() {
        return properties(type());
    }

    /** {@code scsi-id}, or -1 when unknown. */
    public int scsiId() {
        JsonNode v = values.get("scsi-id");
        return v == null || !v.canConvertToInt() ? -1 : v.asInt();
    }

    public int lun() {
        JsonNode v = values.get("lun");
        return v == null || !v.canConvertToInt() ? 0 : v.asInt();
    }

    /** The QOM path of the bus it sits on, or empty. */
    public String parentBus() {
        return text("parent_bus");
    }

    /** {@code virtio-blk-pci}, or empty when qom-get could not tell. */
    public String type() {
        return text("type");
    }

    /** The bus id for {@code bus=}: {@code pcie.0} from {@code /machine/q35/pcie.0}, {@code rp0} from {@code .../rp0/rp0}. */
    public String bus() {
        String path = text("parent_bus");
        return path.isEmpty() ? "" : path.substring(path.lastIndexOf('/') + 1);
    }

    /** The PCI address as {@code -device} takes it ({@code 02.0}), or empty. */
    public String addr() {
        JsonNode devfn = values.get("addr");
        if (devfn == null || !devfn.canConvertToInt() || devfn.asInt() < 0) {
            return "";
        }
        return String.format("%02x.%x", devfn.asInt() >> 3, devfn.asInt() & 7);
    }

    /** True or false as QEMU said (false: its bus takes no hotplug), null when unknown. */
    public Boolean hotpluggable() {
        JsonNode h = values.get("hotpluggable");
        return h == null || !h.isBoolean() ? null : h.asBoolean();
    }

    /** The {@code drive} property: a {@code -drive} id or a node-name; empty when unknown. */
    public String drive() {
        return text("drive");
    }

    /** -1 when unset or unknown. */
    public int bootindex() {
        JsonNode b = values.get("bootindex");
        return b == null || !b.canConvertToInt() ? -1 : b.asInt();
    }

    public String serial() {
        return text("serial");
    }

    public boolean shareRw() {
        JsonNode s = values.get("share-rw");
        return s != null && s.asBoolean(false);
    }

    /** Adds the properties a re-created device keeps (bootindex, serial, share-rw) to device_add's arguments. */
    public ObjectNode keptOn(ObjectNode deviceAdd) {
        if (bootindex() >= 0) {
            deviceAdd.put("bootindex", bootindex());
        }
        if (!serial().isEmpty()) {
            deviceAdd.put("serial", serial());
        }
        if (shareRw()) {
            deviceAdd.put("share-rw", true);
        }
        return deviceAdd;
    }

    /** Whether qom-get answered for {@code property}. */
    public boolean known(String property) {
        return values.containsKey(property);
    }

    private String text(String property) {
        JsonNode v = values.get(property);
        return v == null || !v.isValueNode() ? "" : v.asText();
    }
}

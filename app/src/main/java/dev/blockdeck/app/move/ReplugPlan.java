package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What to do instead when a VM refuses to move a device's drive: re-create the device with the new
 * {@code iothread}, by hot re-plug where its bus allows it, or on the command line. Built from what QMP tells
 * (qom-get of the device, query-block of its drive); what QMP cannot tell is said, never guessed silently.
 *
 * @param title   one line, e.g. {@code Move vblk0 to iothread1: re-plug plan}
 * @param why     QEMU's refusal and what follows from it
 * @param steps   the commands to copy, with the caveats that go with them
 * @param hotplug whether the device can be re-plugged while the VM runs (else only the command line is left)
 */
public record ReplugPlan(String title, String why, String steps, boolean hotplug) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FILE_PROTOCOLS = Set.of("file", "host_device", "host_cdrom");

    /** Everything, for the clipboard. */
    public String text() {
        return title + "\n\n" + why + "\n\n" + steps + "\n";
    }

    /**
     * @param refusal  the VM's answer to the move, e.g. QEMU's "Node ... is associated with a BlockBackend ..."
     * @param target   the iothread to move to, null for the main loop
     * @param facts    qom-get's answers about the device
     * @param drive    query-block's entry of the device's BlockBackend, or null
     */
    public static ReplugPlan of(Drive d, String target, String refusal, DeviceFacts facts, JsonNode drive) {
        return of(d, target, refusal, facts, drive, null);
    }

    /** @param scsi the VM's SCSI controllers, for a SCSI disk (see {@link ScsiReplugPlan}); may be null */
    public static ReplugPlan of(Drive d, String target, String refusal, DeviceFacts facts, JsonNode drive,
                                ScsiTopology scsi) {
        if (scsi != null && DeviceFacts.isScsi(facts.type())) {
            return ScsiReplugPlan.of(d, target, refusal, facts, drive, scsi);
        }
        String device = d.device();
        String title = "Move " + d.label() + " to " + MoveDriveCommand.laneName(target) + ": re-plug plan";
        String why = "The VM refused the live move (" + MoveDriveCommand.SET_IOTHREAD + "): " + refusal
                + "\nA guest device's iothread is fixed once the device is realized (qom-set of its link is refused),"
                + " and its drive runs where the device runs: the device itself has to be re-created with"
                + (target == null ? "out an iothread." : " iothread=" + target + ".");
        String type = facts.type();
        if (!type.isEmpty() && !type.equals("virtio-blk-pci")) {
            return new ReplugPlan(title, why, device + " is a " + type + ". BlockDeck writes re-plug steps only for"
                    + " virtio-blk-pci and SCSI disks; for this device, set the iothread where its type takes it (for a SCSI disk:"
                    + " on its controller) in the VM's command line and restart the VM.", false);
        }
        boolean legacyDrive = drive != null && !drive.path("device").asText("").isEmpty();
        String driveValue = facts.drive().isEmpty() ? legacyDrive ? drive.path("device").asText() : "" : facts.drive();

        List<String> s = new ArrayList<>();
        Boolean hotplug = facts.hotpluggable();
        if (Boolean.FALSE.equals(hotplug)) {
            s.add(device + " sits on bus " + (facts.bus().isEmpty() ? "(unknown)" : facts.bus())
                    + ", which takes no hotplug: it cannot be re-plugged while the VM runs.");
            s.add("");
            commandLine(s, device, facts, driveValue, target);
        } else {
            if (hotplug == null) {
                s.add("BlockDeck could not read whether " + device + " can be unplugged (qom-get hotpluggable failed).");
                s.add("");
            }
            s.add("A. Re-plug the device on this monitor (QMP):");
            s.add("  1. " + json("device_del", JsonNodeFactory.instance.objectNode().put("id", device)));
            s.add("     Then wait for the DEVICE_DELETED event of " + device + ": the guest has to release it first;");
            s.add("     a paused guest, or one without an operating system, never does (the unplug stays pending).");
            String node = legacyDrive ? reopen(s, drive, 2) : driveValue;
            s.add("  " + (legacyDrive ? "3" : "2") + ". " + json("device_add", deviceAdd(facts, device, node, target)));
            s.add("");
            s.add("B. Or change the command line and restart the VM:");
            commandLine(s, device, facts, driveValue, target);
        }
        s.add("");
        s.add(unknowns(facts));
        return new ReplugPlan(title, why, String.join("\n", s), !Boolean.FALSE.equals(hotplug));
    }

    /**
     * Step 2 for a {@code -drive}: QEMU deletes it with its device, so it must be added again. HMP's drive_add
     * takes the same options as {@code -drive} (a json: filename holds them as strings, which blockdev-add would
     * refuse for typed fields such as {@code size}), and gives the drive its id back. Returns the drive id.
     */
    static String reopen(List<String> s, JsonNode drive, int step) {
        JsonNode inserted = drive.path("inserted");
        String id = drive.path("device").asText();
        String drv = inserted.path("drv").asText("");
        String file = inserted.path("file").asText("");
        List<String> options = new ArrayList<>(List.of("if=none", "id=" + id));
        String source = "query-block";
        JsonNode json = file.startsWith("json:") ? parse(file.substring("json:".length())) : null;
        if (json != null && json.isObject()) {
            flatten("", json, options);
            source = "its json: filename";
        } else if (FILE_PROTOCOLS.contains(drv) || file.isEmpty()) {
            options.add("driver=" + drv);
            if (!file.isEmpty()) {
                options.add("filename=" + escape(file));
            }
        } else {
            options.add("file=" + escape(file));
            options.add("format=" + drv);
        }
        if (inserted.path("ro").asBoolean(false)) {
            options.add("read-only=on");
        }
        JsonNode cache = inserted.path("cache");
        if (cache.path("direct").asBoolean(false)) {
            options.add("cache.direct=on");
        }
        if (cache.path("no-flush").asBoolean(false)) {
            options.add("cache.no-flush=on");
        }
        ObjectNode hmp = JsonNodeFactory.instance.objectNode()
                .put("command-line", "drive_add 0 " + String.join(",", options));
        s.add("  " + step + ". " + id + " is a -drive: QEMU deletes it together with its device. Add it again with HMP's");
        s.add("     drive_add, which takes -drive options and answers \"OK\" or the error, as text:");
        s.add("     " + json("human-monitor-command", hmp));
        s.add("     (options from " + source + "; compare with your -drive: what query-block does not report,");
        s.add("     such as aio or discard, is not in it)");
        return id;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** {@code {"file": {"driver": "file"}}} → {@code file.driver=file}, as -drive spells nested options. */
    private static void flatten(String prefix, JsonNode object, List<String> into) {
        object.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                flatten(prefix + e.getKey() + ".", e.getValue(), into);
            } else {
                into.add(prefix + e.getKey() + "=" + escape(e.getValue().asText()));
            }
        });
    }

    /** A comma inside an option value is written twice. */
    private static String escape(String value) {
        return value.replace(",", ",,");
    }

    private static ObjectNode deviceAdd(DeviceFacts facts, String device, String node, String target) {
        ObjectNode a = JsonNodeFactory.instance.objectNode().put("driver", "virtio-blk-pci").put("id", device);
        if (!node.isEmpty()) {
            a.put("drive", node);
        }
        if (!facts.bus().isEmpty()) {
            a.put("bus", facts.bus());
        }
        if (!facts.addr().isEmpty()) {
            a.put("addr", facts.addr());
        }
        if (target != null) {
            a.put("iothread", target);
        }
        return facts.keptOn(a);
    }

    private static void commandLine(List<String> s, String device, DeviceFacts facts, String drive, String target) {
        s.add("  In the VM's command line, replace the -device option of " + device + " with:");
        s.add("    " + deviceOption(deviceAdd(facts, device, drive, target)));
        if (target != null) {
            s.add("  and make sure the iothread is created there too:");
            s.add("    -object iothread,id=" + target);
        }
    }

    /**
     * The {@code -device} option for {@code device_add}'s arguments: the driver first, then each property as
     * {@code key=value}, booleans as on/off, commas in values doubled.
     */
    static String deviceOption(ObjectNode deviceAdd) {
        StringBuilder b = new StringBuilder("-device ").append(deviceAdd.path("driver").asText());
        deviceAdd.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("driver")) {
                JsonNode v = e.getValue();
                b.append(',').append(e.getKey()).append('=')
                        .append(v.isBoolean() ? v.asBoolean() ? "on" : "off" : escape(v.asText()));
            }
        });
        return b.toString();
    }

    /** What the plan could not know: said every time, since a wrong re-plug loses a guest disk. */
    static String unknowns(DeviceFacts facts) {
        List<String> missing = facts.asked().stream().filter(p -> !facts.known(p)).toList();
        return "What BlockDeck could not know: QMP does not report the VM's command line.\nIt read "
                + String.join(", ", facts.asked().stream().filter(facts::known).toList()) + " with qom-get"
                + (missing.isEmpty() ? "" : "\n(no answer for " + String.join(", ", missing) + ")")
                + ";\nkeep every other property you set on this device (e.g. "
                + (DeviceFacts.isScsi(facts.type()) ? "write-cache, rotation_rate, discard_granularity, wwn"
                : "num-queues, queue-size, write-cache, discard") + ") as it was.";
    }

    static String json(String command, ObjectNode arguments) {
        ObjectNode m = JsonNodeFactory.instance.objectNode().put("execute", command);
        m.set("arguments", arguments);
        try {
            return JSON.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

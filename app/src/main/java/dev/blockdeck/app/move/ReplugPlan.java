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
        String device = d.device();
        String title = "Move " + d.label() + " to " + MoveDriveCommand.laneName(target) + ": re-plug plan";
        String why = "The VM refused the live move (" + MoveDriveCommand.SET_IOTHREAD + "):\n  " + refusal
                + "\nA guest device's iothread is fixed once the device is realized (qom-set of its link is refused),"
                + "\nand its drive runs where the device runs: the device itself has to be re-created with"
                + (target == null ? "out an iothread." : " iothread=" + target + ".");
        String type = facts.type();
        if (!type.isEmpty() && !type.equals("virtio-blk-pci")) {
            return new ReplugPlan(title, why, device + " is a " + type + ". BlockDeck writes re-plug steps only for"
                    + " virtio-blk-pci; for this device, set the iothread where its type takes it (for a SCSI disk:"
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
            s.add("     Then wait for the DEVICE_DELETED event of " + device + ": the guest has to release the device"
                    + " first;");
            s.add("     a paused guest, or one without an operating system, never does (the unplug stays pending).");
            String node = driveValue;
            if (legacyDrive) {
                node = reopen(s, drive);
            }
            s.add("  " + (legacyDrive ? "3" : "2") + ". " + json("device_add", deviceAdd(facts, device, node, target)));
            s.add("");
            s.add("B. Or change the command line and restart the VM:");
            commandLine(s, device, facts, driveValue, target);
        }
        s.add("");
        s.add(unknowns(facts));
        return new ReplugPlan(title, why, String.join("\n", s), !Boolean.FALSE.equals(hotplug));
    }

    /** Step 2 for a {@code -drive}: QEMU deletes it with its device, so the image must be opened again. */
    private static String reopen(List<String> s, JsonNode drive) {
        JsonNode inserted = drive.path("inserted");
        String id = drive.path("device").asText();
        String oldNode = inserted.path("node-name").asText("");
        String node = oldNode.isEmpty() || oldNode.startsWith("#") ? id + "-node" : oldNode;
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        String drv = inserted.path("drv").asText("");
        String file = inserted.path("file").asText("");
        String source;
        if (file.startsWith("json:")) {
            try {
                args.setAll((ObjectNode) JSON.readTree(file.substring("json:".length())));
                source = "the options of its json: filename";
            } catch (Exception | Error e) {
                args.put("driver", drv);
                source = "query-block (its json: filename did not parse)";
            }
        } else if (FILE_PROTOCOLS.contains(drv) || file.isEmpty()) {
            args.put("driver", drv);
            if (!file.isEmpty()) {
                args.put("filename", file);
            }
            source = "query-block";
        } else {
            args.put("driver", drv);
            args.putObject("file").put("driver", "file").put("filename", file);
            source = "query-block, assuming the image is a local file (protocol \"file\")";
        }
        args.put("node-name", node);
        if (inserted.path("ro").asBoolean(false)) {
            args.put("read-only", true);
        }
        JsonNode cache = inserted.path("cache");
        if (cache.path("direct").asBoolean(false) || cache.path("no-flush").asBoolean(false)) {
            args.putObject("cache").put("direct", cache.path("direct").asBoolean(false))
                    .put("no-flush", cache.path("no-flush").asBoolean(false));
        }
        s.add("  2. " + id + " is a -drive: QEMU deletes it together with its device. Open the image again:");
        s.add("     " + json("blockdev-add", args));
        s.add("     (from " + source + "; compare with your -drive: options query-block does not report, such as"
                + " aio or discard, are not in it)");
        return node;
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
        if (facts.bootindex() >= 0) {
            a.put("bootindex", facts.bootindex());
        }
        if (!facts.serial().isEmpty()) {
            a.put("serial", facts.serial());
        }
        if (facts.shareRw()) {
            a.put("share-rw", true);
        }
        return a;
    }

    private static void commandLine(List<String> s, String device, DeviceFacts facts, String drive, String target) {
        StringBuilder b = new StringBuilder("-device virtio-blk-pci,id=" + device);
        if (!drive.isEmpty()) {
            b.append(",drive=").append(drive);
        }
        if (!facts.bus().isEmpty()) {
            b.append(",bus=").append(facts.bus());
        }
        if (!facts.addr().isEmpty()) {
            b.append(",addr=").append(facts.addr());
        }
        if (target != null) {
            b.append(",iothread=").append(target);
        }
        if (facts.bootindex() >= 0) {
            b.append(",bootindex=").append(facts.bootindex());
        }
        if (!facts.serial().isEmpty()) {
            b.append(",serial=").append(facts.serial());
        }
        if (facts.shareRw()) {
            b.append(",share-rw=on");
        }
        s.add("  In the VM's command line, replace the -device option of " + device + " with:");
        s.add("    " + b);
        if (target != null) {
            s.add("  and make sure the iothread is created there too:");
            s.add("    -object iothread,id=" + target);
        }
    }

    /** What the plan could not know: said every time, since a wrong re-plug loses a guest disk. */
    private static String unknowns(DeviceFacts facts) {
        List<String> missing = DeviceFacts.READ.stream().filter(p -> !facts.known(p)).toList();
        return "What BlockDeck could not know: QMP does not report the VM's command line. It read "
                + String.join(", ", DeviceFacts.READ.stream().filter(facts::known).toList())
                + " with qom-get" + (missing.isEmpty() ? "" : " (no answer for " + String.join(", ", missing) + ")")
                + "; keep every other property you set on this device (e.g. num-queues, queue-size, write-cache,"
                + " discard) as it was.";
    }

    private static String json(String command, ObjectNode arguments) {
        ObjectNode m = JsonNodeFactory.instance.objectNode().put("execute", command);
        m.set("arguments", arguments);
        try {
            return JSON.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

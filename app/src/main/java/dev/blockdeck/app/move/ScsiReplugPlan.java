package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.move.ScsiTopology.Controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The re-plug plan for a SCSI disk. A SCSI disk has no iothread of its own: it runs where its virtio-scsi
 * controller runs, so moving one disk means re-plugging it on a controller in the target iothread (adding that
 * controller first where there is none and a free hotplug bus takes one), and moving every disk of a controller
 * means changing the controller on the command line. Facts as QEMU 7.2 answers them (see {@link ScsiTopology}).
 */
final class ScsiReplugPlan {

    private ScsiReplugPlan() {
    }

    static ReplugPlan of(Drive d, String target, String refusal, DeviceFacts facts, JsonNode drive, ScsiTopology vm) {
        String device = d.device();
        String where = MoveDriveCommand.laneName(target);
        String title = "Move " + d.label() + " to " + where + ": re-plug plan";
        String bus = facts.parentBus();
        String currentBus = bus.isEmpty() ? "" : bus.substring(bus.lastIndexOf('/') + 1);
        Optional<Controller> current = vm.controllers().stream().filter(c -> c.scsiBus().equals(currentBus)).findFirst();
        String currentName = current.map(c -> c.id() + " (" + MoveDriveCommand.laneName(c.iothread()) + ")")
                .orElse("its controller");
        String why = "The VM refused the live move (" + MoveDriveCommand.SET_IOTHREAD + "): " + refusal
                + "\nA SCSI disk has no iothread of its own: it runs in its controller's, " + currentName
                + ". To move " + device + " alone, re-plug it on a virtio-scsi-pci controller in " + where
                + "; to move every disk of " + current.map(Controller::id).orElse("the controller")
                + ", change the controller's iothread on the command line.";

        boolean legacyDrive = drive != null && !drive.path("device").asText("").isEmpty();
        String driveValue = facts.drive().isEmpty() ? legacyDrive ? drive.path("device").asText() : "" : facts.drive();
        Optional<Controller> destination = vm.controllerIn(target, current.map(Controller::id).orElse(""));
        String newId = destination.map(Controller::id).orElseGet(() -> vm.newControllerId(target));
        String newBus = newId + ".0";
        int scsiId = vm.freeScsiId(newBus, facts.scsiId(), facts.lun(), device);

        List<String> s = new ArrayList<>();
        boolean hotplug = !Boolean.FALSE.equals(facts.hotpluggable());
        String slot = destination.isPresent() ? null : hotplugSlot(vm, current);
        boolean live = hotplug && (destination.isPresent() || slot != null);
        if (live) {
            s.add("A. Re-plug the disk on this monitor (QMP):");
            int step = 1;
            if (destination.isEmpty()) {
                ObjectNode add = JsonNodeFactory.instance.objectNode().put("driver", "virtio-scsi-pci").put("id", newId);
                if (!slot.isEmpty()) {
                    add.put("bus", slot);
                }
                if (target != null) {
                    add.put("iothread", target);
                }
                s.add("  " + step++ + ". No virtio-scsi-pci controller runs in " + where + ": add one"
                        + (slot.isEmpty() ? "" : " on the free root port " + slot) + ":");
                s.add("     " + ReplugPlan.json("device_add", add));
            } else {
                s.add("  " + destination.get().id() + " is a virtio-scsi-pci controller in " + where + ".");
            }
            s.add("  " + step++ + ". " + ReplugPlan.json("device_del", JsonNodeFactory.instance.objectNode().put("id", device)));
            s.add("     Then wait for the DEVICE_DELETED event of " + device + " (QEMU unplugs a SCSI disk at once). Its");
            s.add("     drive is let go a moment after the event: if the device_add below answers a permission");
            s.add("     conflict on the drive's node, send it again.");
            String node = legacyDrive ? ReplugPlan.reopen(s, drive, step++) : driveValue;
            s.add("  " + step + ". " + ReplugPlan.json("device_add", deviceAdd(facts, device, node, newBus, scsiId)));
            if (scsiId != facts.scsiId()) {
                s.add("     (scsi-id " + facts.scsiId() + " is taken on " + newBus + ": the disk gets scsi-id " + scsiId
                        + ", which the guest sees as a new address)");
            }
            s.add("");
            s.add("B. Or change the command line and restart the VM:");
        } else {
            s.add(hotplug ? "No virtio-scsi-pci controller runs in " + where + ", and no free bus here takes a new one"
                    + " while the VM runs (pcie.0 of a q35 machine takes no hotplug: a free pcie-root-port would)."
                    : device + " cannot be unplugged while the VM runs (its bus takes no hotplug).");
            s.add("Change the command line and restart the VM:");
        }
        commandLine(s, facts, device, driveValue, destination, newId, newBus, scsiId, target);
        current.ifPresent(c -> {
            s.add("  Or, to move every disk of " + c.id() + " with it, give " + c.id() + " iothread="
                    + (target == null ? "(none: leave the option out)" : target) + " in its -device virtio-scsi-pci.");
        });
        s.add("");
        s.add(ReplugPlan.unknowns(facts));
        return new ReplugPlan(title, why, String.join("\n", s), live);
    }

    /**
     * Where a new controller can be hot-plugged: a free named root port, or "" for the bus the current
     * controller sits on when that takes hotplug (pci.0 of a pc machine); null when nowhere.
     */
    private static String hotplugSlot(ScsiTopology vm, Optional<Controller> current) {
        if (!vm.freePorts().isEmpty()) {
            return vm.freePorts().get(0);
        }
        // the machine's own bus (pci.0 of a pc) has slots to spare; a root port's bus holds one device only
        return current.filter(c -> c.busHotplug() && !c.parentBus().startsWith("/machine/peripheral"))
                .map(c -> "").orElse(null);
    }

    private static ObjectNode deviceAdd(DeviceFacts facts, String device, String node, String bus, int scsiId) {
        ObjectNode a = JsonNodeFactory.instance.objectNode().put("driver", facts.type()).put("id", device);
        if (!node.isEmpty()) {
            a.put("drive", node);
        }
        a.put("bus", bus).put("scsi-id", scsiId).put("lun", facts.lun());
        return facts.keptOn(a);
    }

    private static void commandLine(List<String> s, DeviceFacts facts, String device, String drive,
                                    Optional<Controller> destination, String controller, String bus, int scsiId,
                                    String target) {
        if (destination.isEmpty()) {
            s.add("  Add a controller in " + MoveDriveCommand.laneName(target) + " (on a free PCI slot or root port):");
            s.add("    -device virtio-scsi-pci,id=" + controller + (target == null ? "" : ",iothread=" + target));
        }
        s.add("  In the VM's command line, replace the -device option of " + device + " with:");
        s.add("    " + ReplugPlan.deviceOption(deviceAdd(facts, device, drive, bus, scsiId)));
        if (target != null && destination.isEmpty()) {
            s.add("  and make sure the iothread is created there too:");
            s.add("    -object iothread,id=" + target);
        }
    }
}

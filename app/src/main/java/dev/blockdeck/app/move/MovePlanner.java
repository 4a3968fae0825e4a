package dev.blockdeck.app.move;

import dev.blockdeck.app.move.MoveDriveCommand.DeviceMove;
import dev.blockdeck.app.move.MoveDriveCommand.NodeMove;

import java.util.Objects;

/**
 * Decides how a dropped drive moves: on the engine a guest device moves live with its downstream command; a
 * drive without a device moves with {@code x-blockdev-set-iothread} everywhere. On a QEMU, a device's drive cannot
 * move (QEMU refuses, and a realized device's iothread cannot be changed): the move is still asked for, so that the
 * user sees QEMU's own answer, and a refusal leads to a re-plug plan ({@link ReplugPlan}).
 */
public final class MovePlanner {

    private MovePlanner() {
    }

    /**
     * @param command      what to send, or null when nothing is to be done
     * @param replugOnRefusal a refusal means the device must be re-created: show a plan instead of an error
     * @param reason       why nothing is sent (empty when the drop changes nothing, e.g. the same lane)
     */
    public record Decision(MoveDriveCommand command, boolean replugOnRefusal, String reason) {

        static Decision nothing(String reason) {
            return new Decision(null, false, reason);
        }
    }

    /** {@code target}: the iothread of the lane it was dropped on, null for the main loop. */
    public static Decision plan(Drive drive, String target, Capabilities caps) {
        if (Objects.equals(drive.lane(), target)) {
            return Decision.nothing("");
        }
        if (drive.hasDevice() && caps.liveDeviceMove()) {
            return new Decision(new DeviceMove(drive.key(), drive.label(), drive.device(), drive.deviceLink(), target),
                    false, "");
        }
        if (drive.node() == null) {
            return Decision.nothing(drive.label() + " has no medium: there is no node to move"
                    + (drive.hasDevice() ? ", and this VM cannot move a device's context." : "."));
        }
        if (!caps.nodeMove()) {
            return Decision.nothing("This VM has no " + MoveDriveCommand.SET_IOTHREAD + ": drives cannot be moved.");
        }
        // QEMU asks for force before it moves a BlockBackend; only where every backend is named and has no device
        // does the graph show all its users (a job's or an export's backend is anonymous)
        boolean force = drive.hasBackendWithoutDevice() && !drive.anonymousBackend();
        NodeMove move = new NodeMove(drive.key(), drive.label(), drive.node(), drive.lane(), target, force,
                drive.blockNodes());
        return new Decision(move, drive.hasDevice(), "");
    }
}

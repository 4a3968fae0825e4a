package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.QmpCommands;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One move of a drive to another AioContext, as the QMP command that does it, and its inverse (the way back to
 * where it came from) for undo. Immutable; iothread ids are null for the main loop.
 */
public sealed interface MoveDriveCommand extends UndoableCommand
        permits MoveDriveCommand.DeviceMove, MoveDriveCommand.NodeMove {

    /** The engine's downstream live move of a guest device: {@code {id, iothread: str|null}}. */
    String DEVICE_SET_IOTHREAD = "__dev.blockdeck_device-set-iothread";
    String SET_IOTHREAD = "x-blockdev-set-iothread";

    /** The card that was dragged (where messages about the move are shown). */
    String vertexKey();

    /** The drive's name for messages, e.g. {@code drive0 (vblk0)}. */
    String label();

    String from();

    String to();

    String command();

    ObjectNode arguments();

    /** The same drive moved back to {@link #from()}. */
    @Override
    MoveDriveCommand inverse();

    default CompletableFuture<JsonNode> execute(QmpCommands qmp) {
        return qmp.execute(command(), arguments());
    }

    @Override
    default CompletableFuture<UndoableCommand> perform(QmpCommands qmp) {
        return execute(qmp).thenApply(answer -> this);
    }

    /** {@code move drive0 (vblk0) to iothread1}. */
    @Override
    default String describe() {
        return "move " + label() + " to " + laneName(to());
    }

    /** {@code moving drive0 (vblk0) back to iothread0}. */
    @Override
    default String undoing() {
        return "moving " + label() + " back to " + laneName(from());
    }

    /** {@code Moved drive0 (vblk0) to iothread1}. */
    default String describeDone() {
        return "Moved " + label() + " to " + laneName(to());
    }

    /** {@code iothread1} or {@code the main loop}. */
    static String laneName(String iothread) {
        return iothread == null ? "the main loop" : iothread;
    }

    /**
     * The engine moves a guest device live: its iothread link, queue, backend and node component together.
     *
     * @param from the device's iothread link before the move (not its lane: a stopped VM keeps its drives in the
     *             main loop whatever the link says)
     */
    record DeviceMove(String vertexKey, String label, String device, String from, String to)
            implements MoveDriveCommand {

        @Override
        public String command() {
            return DEVICE_SET_IOTHREAD;
        }

        @Override
        public ObjectNode arguments() {
            ObjectNode a = JsonNodeFactory.instance.objectNode().put("id", device);
            return to == null ? a.putNull("iothread") : a.put("iothread", to);
        }

        @Override
        public MoveDriveCommand inverse() {
            return new DeviceMove(vertexKey, label, device, to, from);
        }
    }

    /**
     * {@code x-blockdev-set-iothread}: moves a node and everything connected to it.
     *
     * @param force     for a component with BlockBackends that no device uses: QEMU refuses them without it,
     *                  because it cannot tell who else might use them
     * @param component the block nodes that move along (to remember the move where the VM does not report it)
     */
    record NodeMove(String vertexKey, String label, String node, String from, String to, boolean force,
                    List<String> component) implements MoveDriveCommand {

        public NodeMove {
            component = List.copyOf(component);
        }

        @Override
        public String command() {
            return SET_IOTHREAD;
        }

        @Override
        public ObjectNode arguments() {
            ObjectNode a = JsonNodeFactory.instance.objectNode().put("node-name", node);
            if (to == null) {
                a.putNull("iothread");
            } else {
                a.put("iothread", to);
            }
            if (force) {
                a.put("force", true);
            }
            return a;
        }

        @Override
        public MoveDriveCommand inverse() {
            return new NodeMove(vertexKey, label, node, to, from, force, component);
        }
    }
}

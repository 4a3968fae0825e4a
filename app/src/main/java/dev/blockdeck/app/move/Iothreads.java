package dev.blockdeck.app.move;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.IoThreadInfo;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.model.Placement;

import java.util.List;

/** Rules for creating and deleting IOThreads from the console: the id QEMU accepts, and when to warn first. */
public final class Iothreads {

    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._";

    private Iothreads() {
    }

    /**
     * Why {@code id} cannot be a new iothread's id, or empty when it can. QEMU takes an identifier (a letter, then
     * letters, digits, '-', '.', '_'); an id already in use would be refused too, and {@code main-loop} is the
     * main loop's lane here.
     */
    public static String problem(String id, BlockState state) {
        if (id == null || id.isEmpty()) {
            return "Enter an id.";
        }
        char first = id.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return "An id starts with a letter.";
        }
        for (int i = 0; i < id.length(); i++) {
            if (ID_CHARS.indexOf(id.charAt(i)) < 0) {
                return "Only letters, digits, '-', '.' and '_' (not '" + id.charAt(i) + "').";
            }
        }
        if (id.equals("main-loop")) {
            return "main-loop names the main loop's lane here: choose another id.";
        }
        if (state.iothreads().stream().map(IoThreadInfo::id).anyMatch(id::equals)) {
            return "IOThread " + id + " exists already.";
        }
        return "";
    }

    /** A free id to suggest: {@code iothread0}, {@code iothread1}, ... */
    public static String suggestion(BlockState state) {
        for (int i = 0; ; i++) {
            String id = "iothread" + i;
            if (state.iothreads().stream().noneMatch(t -> t.id().equals(id))) {
                return id;
            }
        }
    }

    /**
     * What to tell the user before an {@code object-del} of iothread {@code id}, or empty. The engine refuses to
     * delete an iothread that still hosts something, with an error. QEMU 7.2 deletes it regardless: a device's
     * link keeps the thread alive, but nodes moved there with {@code x-blockdev-set-iothread} are left in a dead
     * context, and QEMU aborts the next time it touches them. So on a QEMU a non-empty lane is confirmed first.
     */
    public static String deleteWarning(String id, BlockState state, boolean liveDeviceMove) {
        if (liveDeviceMove) {
            return "";
        }
        List<GraphNode> hosted = state.lanes().stream().filter(l -> id.equals(l.iothread()))
                .map(Lane::nodes).flatMap(List::stream).filter(GraphNode::isBlockNode).toList();
        if (hosted.isEmpty()) {
            return "";
        }
        List<String> moved = hosted.stream().filter(n -> n.placement().source() != Placement.Source.DEVICE_LINK)
                .map(GraphNode::name).toList();
        if (!moved.isEmpty()) {
            return "IOThread " + id + " hosts " + String.join(", ", moved) + ", moved there with"
                    + " x-blockdev-set-iothread. QEMU 7.2 deletes the iothread anyway and then aborts (the whole VM"
                    + " stops) the next time it touches those nodes. Move them to another lane first.";
        }
        List<String> devices = hosted.stream().map(n -> n.placement().device()).distinct().toList();
        return "IOThread " + id + " is linked by " + String.join(", ", devices) + ". QEMU 7.2 deletes the object"
                + " anyway; the device keeps the thread running, but the iothread leaves query-iothreads and no new"
                + " device can use it.";
    }
}

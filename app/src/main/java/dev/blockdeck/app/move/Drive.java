package dev.blockdeck.app.move;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.NodeKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a drag moves: the connected component of the grabbed card (QEMU keeps a component in one AioContext and
 * moves it whole), seen through its guest device if it has one.
 *
 * @param key        the grabbed card's vertex key
 * @param label      how messages name it: the backend (and device), else the top node
 * @param lane       the iothread it is drawn in, null for the main loop
 * @param node       a block node of the component to name in {@code x-blockdev-set-iothread} (the grabbed one, or
 *                   the backend's root); null when the component has no block node (an empty drive)
 * @param blockNodes the component's block node names
 * @param device     the guest device on the component (its first), or null
 * @param deviceLink that device's iothread link, null when none
 * @param backend    the backend of that device (or the component's first backend), or null
 * @param anonymousBackend a backend without a name is on the component: a job's or an export's, which QEMU's
 *                   move would have to drag along and which no client can vouch for
 */
public record Drive(String key, String label, String lane, String node, List<String> blockNodes, String device,
                    String deviceLink, GraphNode backend, boolean anonymousBackend) {

    public Drive {
        blockNodes = List.copyOf(blockNodes);
    }

    /**
     * The drive behind a card, if the card can be dragged: a BlockBackend, or a block node without parents (the
     * top of a component). Jobs, and nodes in the middle of a chain, are moved with their drive.
     */
    public static Optional<Drive> of(BlockState state, String key) {
        Optional<GraphNode> grabbed = state.node(key);
        if (grabbed.isEmpty() || !draggable(state, grabbed.get())) {
            return Optional.empty();
        }
        List<GraphNode> component = component(state, key);
        List<String> blockNodes = component.stream().filter(GraphNode::isBlockNode).map(GraphNode::name).toList();
        List<GraphNode> backends = component.stream().filter(n -> n.kind() == NodeKind.BACKEND).toList();
        GraphNode withDevice = backends.stream().filter(b -> !b.device().isEmpty()).findFirst().orElse(null);
        GraphNode backend = withDevice != null ? withDevice : backends.stream().findFirst().orElse(null);
        String node = grabbed.get().isBlockNode() ? grabbed.get().name() : rootOf(state, grabbed.get());
        if (node == null && !blockNodes.isEmpty()) {
            node = blockNodes.get(0);
        }
        boolean anonymous = backends.stream().anyMatch(b -> b.key().startsWith("backend:#"));
        String label = label(grabbed.get(), withDevice);
        return Optional.of(new Drive(key, label, grabbed.get().placement().iothread(), node, blockNodes,
                withDevice == null ? null : withDevice.device(), withDevice == null ? null : withDevice.deviceIothread(),
                backend, anonymous));
    }

    /** Whether a drag of this card moves a drive (see {@link #of}). */
    public static boolean draggable(BlockState state, GraphNode n) {
        if (n.kind() == NodeKind.BACKEND) {
            return true;
        }
        return n.isBlockNode() && state.edges().stream().noneMatch(e -> e.childKey().equals(n.key()));
    }

    public boolean hasDevice() {
        return device != null;
    }

    /** Backends on the component, none with a device: QEMU wants {@code force} to move them. */
    public boolean hasBackendWithoutDevice() {
        return backend != null && device == null;
    }

    private static String label(GraphNode grabbed, GraphNode withDevice) {
        if (withDevice != null) {
            return withDevice.name().equals(withDevice.device()) ? withDevice.device()
                    : withDevice.name() + " (" + withDevice.device() + ")";
        }
        return grabbed.name();
    }

    /** The block node a backend's root edge points to, or null (an empty drive). */
    private static String rootOf(BlockState state, GraphNode backend) {
        return state.edges().stream().filter(e -> e.parentKey().equals(backend.key()))
                .map(GraphEdge::childKey).map(state::node).flatMap(Optional::stream)
                .filter(GraphNode::isBlockNode).map(GraphNode::name).findFirst().orElse(null);
    }

    /** The vertices connected to {@code key} through edges of either direction, in the state's order. */
    static List<GraphNode> component(BlockState state, String key) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(key));
        seen.add(key);
        while (!todo.isEmpty()) {
            String k = todo.pop();
            for (GraphEdge e : state.edges()) {
                String other = e.parentKey().equals(k) ? e.childKey() : e.childKey().equals(k) ? e.parentKey() : null;
                if (other != null && seen.add(other)) {
                    todo.push(other);
                }
            }
        }
        List<GraphNode> result = new ArrayList<>();
        for (GraphNode n : state.nodes()) {
            if (seen.contains(n.key())) {
                result.add(n);
            }
        }
        return result;
    }
}

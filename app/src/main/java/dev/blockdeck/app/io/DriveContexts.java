package dev.blockdeck.app.io;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which AioContext each drive runs in, from the block graph the console already reads: the placement of the
 * drive's root node (the engine reports it; with QEMU it is assumed, as on the graph), else of its BlockBackend.
 */
public final class DriveContexts {

    /** The series name of the main loop's context. */
    public static final String MAIN_LOOP = "main loop";

    private static final Set<String> DATALESS = Set.of("null-co", "null-aio");

    private final BlockState state;

    public DriveContexts(BlockState state) {
        this.state = state == null ? BlockState.EMPTY : state;
    }

    /** Every context the graph knows, main loop first: each gets a series, even with no drive in it. */
    public List<String> all() {
        if (!state.isAvailable()) {
            return List.of(MAIN_LOOP);
        }
        return state.lanes().stream().map(Lane::iothread).map(DriveContexts::name).toList();
    }

    /** The context's name for {@code drive}: {@value #MAIN_LOOP} or an iothread id. */
    public String of(DriveStats drive) {
        Placement p = placement(drive);
        return name(p == null ? null : p.iothread());
    }

    /** True when the graph's placements are assumed (the VM does not report contexts), so the sums are too. */
    public boolean assumed() {
        return !state.nodes().isEmpty() && !state.contextsReported();
    }

    /**
     * True when the drive's data ends in a node that keeps none ({@code null-co}, {@code null-aio}: reads return
     * zeroes whatever was written), so a workload's reads there cannot verify.
     */
    public boolean keepsNoData(DriveStats drive) {
        if (drive.nodeName().isEmpty()) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(GraphNode.nodeKey(drive.nodeName())));
        while (!todo.isEmpty()) {
            String key = todo.pop();
            if (!seen.add(key)) {
                continue;
            }
            var node = state.node(key);
            if (node.isPresent() && DATALESS.contains(node.get().driver())) {
                return true;
            }
            // data goes to file and data children; a backing file only answers what the top does not hold
            state.edges().stream().filter(e -> e.parentKey().equals(key) && !e.role().equals("backing"))
                    .forEach(e -> todo.push(e.childKey()));
        }
        return false;
    }

    private Placement placement(DriveStats drive) {
        if (!drive.nodeName().isEmpty()) {
            var node = state.node(GraphNode.nodeKey(drive.nodeName()));
            if (node.isPresent()) {
                return node.get().placement();
            }
        }
        for (GraphNode n : state.nodes()) {
            if (n.kind() == NodeKind.BACKEND && (n.name().equals(drive.label())
                    || !drive.device().isEmpty() && n.name().equals(drive.device()))) {
                return n.placement();
            }
        }
        return null;
    }

    private static String name(String iothread) {
        return iothread == null ? MAIN_LOOP : iothread;
    }
}

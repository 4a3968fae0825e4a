package dev.blockdeck.app.move;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.IoThreadInfo;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;

import java.util.ArrayList;
import java.util.List;

/** Small block states for the move rules, built vertex by vertex. */
final class States {

    private final List<GraphNode> nodes = new ArrayList<>();
    private final List<GraphEdge> edges = new ArrayList<>();
    private final List<IoThreadInfo> threads = new ArrayList<>();

    States iothread(String id) {
        threads.add(new IoThreadInfo(id, 100 + threads.size(), 32768));
        return this;
    }

    States node(String name, String driver, Placement p) {
        nodes.add(new GraphNode(GraphNode.nodeKey(name), NodeKind.ofDriver(driver, false), name, driver, "", 1 << 20,
                false, 0, "", null, p));
        return this;
    }

    /** A backend named {@code name} (key {@code backend:NAME}); device "" for none. */
    States backend(String name, String device, String link, Placement p) {
        nodes.add(new GraphNode("backend:" + name, NodeKind.BACKEND, name, "", "", -1, false, 0, device, link, p));
        return this;
    }

    States edge(String parentKey, String childKey, String role) {
        edges.add(new GraphEdge(parentKey, childKey, role, List.of(), List.of()));
        return this;
    }

    BlockState build() {
        return new BlockState(nodes, edges, threads, List.of(), null);
    }
}

package dev.blockdeck.app.layout;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.IoThreadInfo;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;

import java.util.ArrayList;
import java.util.List;

/** Big block states without a VM: {@code chains} chains raw → null-co spread round-robin over the lanes. */
public final class SyntheticStates {

    private SyntheticStates() {
    }

    public static BlockState rawChains(int chains, int iothreads) {
        List<GraphNode> nodes = new ArrayList<>();
        List<GraphEdge> edges = new ArrayList<>();
        List<IoThreadInfo> threads = new ArrayList<>();
        for (int t = 0; t < iothreads; t++) {
            threads.add(new IoThreadInfo("iothread" + t, 1000 + t, 32768));
        }
        for (int c = 0; c < chains; c++) {
            int lane = c % (iothreads + 1);
            Placement p = Placement.reported(lane == iothreads ? null : "iothread" + lane);
            String name = String.format("s%04d", c);
            nodes.add(new GraphNode("node:" + name, NodeKind.FORMAT, name, "raw", "", 1L << 30, false, 0, "", null, p));
            nodes.add(new GraphNode("node:" + name + "-null", NodeKind.PROTOCOL, name + "-null", "null-co", "", 1L << 30,
                    false, 0, "", null, p));
            edges.add(new GraphEdge("node:" + name, "node:" + name + "-null", "file", List.of("consistent-read"), List.of()));
        }
        return new BlockState(nodes, edges, threads, List.of(), null);
    }
}

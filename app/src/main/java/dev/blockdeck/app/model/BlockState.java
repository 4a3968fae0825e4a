package dev.blockdeck.app.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One consistent snapshot of the VM's block state, as read by {@link BlockStateReader}. Immutable.
 *
 * @param unavailable why there is no graph at all (e.g. the VM does not answer query-named-block-nodes),
 *                    or {@code null}
 * @param warnings    what is missing or odd, one sentence each (a query failed, an edge crosses contexts)
 */
public record BlockState(List<GraphNode> nodes, List<GraphEdge> edges, List<IoThreadInfo> iothreads,
                         List<String> warnings, String unavailable) {

    public static final BlockState EMPTY = new BlockState(List.of(), List.of(), List.of(), List.of(), null);

    public BlockState {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        iothreads = List.copyOf(iothreads);
        warnings = List.copyOf(warnings);
    }

    public static BlockState unavailable(String why) {
        return new BlockState(List.of(), List.of(), List.of(), List.of(), why);
    }

    public boolean isAvailable() {
        return unavailable == null;
    }

    /** True when the VM told us the AioContexts (the engine); false for QEMU, where they are assumed. */
    public boolean contextsReported() {
        return nodes.stream().anyMatch(n -> !n.placement().assumed());
    }

    public Optional<GraphNode> node(String key) {
        return nodes.stream().filter(n -> n.key().equals(key)).findFirst();
    }

    /** The BlockDriverStates only: what {@code query-named-block-nodes} lists. */
    public List<GraphNode> blockNodes() {
        return nodes.stream().filter(GraphNode::isBlockNode).toList();
    }

    /**
     * The main loop, then every iothread (query-iothreads order is hash order, so sorted by id), each with its
     * vertices. An iothread known only from a placement (e.g. deleted but kept alive by a device) gets a
     * lane too.
     */
    public List<Lane> lanes() {
        Map<String, List<GraphNode>> byContext = new LinkedHashMap<>();
        Map<String, IoThreadInfo> infos = new LinkedHashMap<>();
        byContext.put(null, new ArrayList<>());
        iothreads.stream().sorted(Comparator.comparing(IoThreadInfo::id)).forEach(t -> {
            byContext.put(t.id(), new ArrayList<>());
            infos.put(t.id(), t);
        });
        for (GraphNode n : nodes) {
            byContext.computeIfAbsent(n.placement().iothread(), k -> new ArrayList<>()).add(n);
        }
        List<Lane> lanes = new ArrayList<>();
        byContext.forEach((id, list) -> lanes.add(new Lane(id, infos.get(id), list)));
        return lanes;
    }
}

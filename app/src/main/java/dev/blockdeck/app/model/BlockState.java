package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;

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
 * @param details     the VM's own words about each vertex, by key: the {@code query-named-block-nodes} entry
 *                    of {@code node:NAME}, the {@code query-block} entry of {@code backend:NAME}, the
 *                    {@code query-iothreads} entry of {@link #iothreadKey(String) iothread:ID}
 */
public record BlockState(List<GraphNode> nodes, List<GraphEdge> edges, List<IoThreadInfo> iothreads,
                         List<String> warnings, String unavailable, Map<String, JsonNode> details) {

    public static final BlockState EMPTY = new BlockState(List.of(), List.of(), List.of(), List.of(), null);

    public BlockState {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        iothreads = List.copyOf(iothreads);
        warnings = List.copyOf(warnings);
        details = Map.copyOf(details);
    }

    /** A state without the VM's raw entries (tests, unavailable states). */
    public BlockState(List<GraphNode> nodes, List<GraphEdge> edges, List<IoThreadInfo> iothreads,
                      List<String> warnings, String unavailable) {
        this(nodes, edges, iothreads, warnings, unavailable, Map.of());
    }

    /** The key of an IOThread in {@link #details()} and in selections. */
    public static String iothreadKey(String id) {
        return "iothread:" + id;
    }

    /** The VM's entry for a vertex or IOThread key, if it reported one. */
    public Optional<JsonNode> detail(String key) {
        return Optional.ofNullable(key == null ? null : details.get(key));
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

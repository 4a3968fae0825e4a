package dev.blockdeck.app.layout;

import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.GraphLayout.Point;
import dev.blockdeck.app.layout.GraphLayout.RoutedEdge;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a {@link BlockState} out in swimlanes, one per AioContext, with ELK Layered left to right.
 *
 * <p>Lanes are stacked bands, not ELK partitions: partitions order <em>layers</em> (columns here), not rows.
 * QEMU keeps a connected component in one AioContext, so no edge crosses a lane, and each component is laid
 * out by ELK on its own (once per shape: see {@link ElkPieces}) and stacked in its lane (one row per drive, in
 * creation order; in several columns when the graph would be far taller than wide, see {@link LaneColumns}). Within a component,
 * partitions put devices and jobs (0) before nodes (1); every component is then shifted so its first node
 * column lines up across all lanes, and with fixed-size cards the device, format and protocol columns read
 * straight down. An edge that does cross lanes (an inconsistent report) is drawn straight and flagged.
 *
 * <p>Plain Java; runs off the FX thread.
 */
public final class LaneLayouter {

    public static final double CARD_WIDTH = 200;
    public static final double CARD_HEIGHT = 78;
    /** Left column of each band: the lane's name, thread and "assumed" badge. */
    public static final double HEADER_WIDTH = 160;
    public static final double LANE_PADDING = 22;
    public static final double EMPTY_LANE_HEIGHT = 76;
    public static final double LABEL_HEIGHT = 18;
    private static final double LABEL_CHAR_WIDTH = 6.6;
    private static final double MIN_CONTENT_WIDTH = 520;
    private static final double COMPONENT_GAP = 18;

    /** Progress of a layout run, counted in laid-out components; cancellation is checked by ELK too. */
    public interface Progress {
        void piecesDone(int done, int total);

        boolean cancelled();
    }

    /** The width of an edge label's pill: an estimate of the text, as the layout runs off the FX thread. */
    public static double labelWidth(String role) {
        return 12 + role.length() * LABEL_CHAR_WIDTH;
    }

    /**
     * The room ELK keeps for a label: never less than for {@code backing}, so a {@code file} and a
     * {@code backing} edge are equally long and the next column lines up.
     */
    static double labelSlot(String role) {
        return Math.max(labelWidth(role), labelWidth("backing"));
    }

    /** One connected component of one lane, and where ELK put its parts. */
    private record Piece(int lane, List<GraphNode> nodes, List<GraphEdge> edges, PieceGeometry geometry) {
    }

    public GraphLayout layout(BlockState state, Progress progress) {
        List<Lane> lanes = state.lanes();
        Map<String, String> laneOf = new HashMap<>();
        lanes.forEach(l -> l.nodes().forEach(n -> laneOf.put(n.key(), l.id())));

        // pass 1: ELK per component of each lane (once per shape)
        List<Piece> pieces = new ArrayList<>();
        Map<String, List<GraphEdge>> edgesFrom = new HashMap<>();
        for (GraphEdge e : state.edges()) {
            edgesFrom.computeIfAbsent(e.parentKey(), k -> new ArrayList<>()).add(e);
        }
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            List<GraphEdge> inner = state.edges().stream()
                    .filter(e -> lane.id().equals(laneOf.get(e.parentKey())) && lane.id().equals(laneOf.get(e.childKey())))
                    .toList();
            for (List<GraphNode> component : components(lane.nodes(), inner)) {
                List<GraphEdge> edges = new ArrayList<>();
                for (GraphNode n : component) {
                    for (GraphEdge e : edgesFrom.getOrDefault(n.key(), List.of())) {
                        if (lane.id().equals(laneOf.get(e.childKey()))) {
                            edges.add(e);
                        }
                    }
                }
                // the edges in the state's order, as before: ELK's model order follows it
                edges.sort(java.util.Comparator.comparingInt(inner::indexOf));
                pieces.add(new Piece(i, component, edges, null));
            }
        }
        ElkPieces elk = new ElkPieces();
        for (int i = 0; i < pieces.size(); i++) {
            if (progress.cancelled()) {
                return null;
            }
            Piece p = pieces.get(i);
            PieceGeometry g = elk.layout(p.nodes(), p.edges(), progress::cancelled);
            if (g == null) {
                return null;
            }
            pieces.set(i, new Piece(p.lane(), p.nodes(), p.edges(), g));
            progress.piecesDone(i + 1, pieces.size());
        }
        if (progress.cancelled()) {
            return null;
        }

        // pass 2: shift every piece so the first node column after the devices lines up everywhere
        double alignAt = pieces.stream().mapToDouble(p -> p.geometry().nodeColumn()).filter(x -> !Double.isNaN(x))
                .max().orElse(0);
        double pieceWidth = MIN_CONTENT_WIDTH - 2 * LANE_PADDING;
        for (Piece p : pieces) {
            pieceWidth = Math.max(pieceWidth, shift(p, alignAt) + p.geometry().width());
        }

        // pass 3: stack the pieces of each lane (in columns when the graph is very tall), and the lanes
        int columns = LaneColumns.columns(lanes.size(), pieces.stream().map(p -> p.geometry().height()).toList(),
                pieceWidth + 2 * LANE_PADDING);
        double pitch = pieceWidth + LaneColumns.COLUMN_GAP;
        List<LaneBand> bands = new ArrayList<>();
        List<PlacedNode> placed = new ArrayList<>();
        List<RoutedEdge> routed = new ArrayList<>();
        Map<String, PlacedNode> byKey = new HashMap<>();
        double y = 0;
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            int laneIndex = i;
            List<Piece> inLane = pieces.stream().filter(p -> p.lane() == laneIndex).toList();
            int[] column = LaneColumns.assign(inLane.stream().map(p -> p.geometry().height()).toList(), columns);
            double[] cy = new double[columns];
            java.util.Arrays.fill(cy, y + LANE_PADDING);
            for (int k = 0; k < inLane.size(); k++) {
                Piece p = inLane.get(k);
                PieceGeometry g = p.geometry();
                double ox = HEADER_WIDTH + LANE_PADDING + column[k] * pitch + shift(p, alignAt);
                double oy = cy[column[k]];
                for (int n = 0; n < p.nodes().size(); n++) {
                    GraphNode node = p.nodes().get(n);
                    PlacedNode pn = new PlacedNode(node, lane.id(), ox + g.nodeX()[n], oy + g.nodeY()[n], CARD_WIDTH,
                            CARD_HEIGHT);
                    placed.add(pn);
                    byKey.put(node.key(), pn);
                }
                for (int e = 0; e < p.edges().size(); e++) {
                    List<Point> pts = g.edgePoints().get(e).stream().map(q -> new Point(ox + q.x(), oy + q.y())).toList();
                    Point l = g.labelCentre().get(e);
                    routed.add(new RoutedEdge(p.edges().get(e), pts, new Point(ox + l.x(), oy + l.y()), false));
                }
                cy[column[k]] += g.height() + COMPONENT_GAP;
            }
            double tallest = java.util.Arrays.stream(cy).max().orElse(y + LANE_PADDING);
            double height = lane.nodes().isEmpty() ? EMPTY_LANE_HEIGHT : tallest - COMPONENT_GAP + LANE_PADDING - y;
            bands.add(new LaneBand(lane, y, height));
            y += height;
        }
        for (GraphEdge e : state.edges()) {
            PlacedNode from = byKey.get(e.parentKey());
            PlacedNode to = byKey.get(e.childKey());
            if (from != null && to != null && !from.laneId().equals(to.laneId())) {
                Point a = new Point(from.x() + from.width(), from.y() + from.height() / 2);
                Point b = new Point(to.x(), to.y() + to.height() / 2);
                Point label = new Point((a.x() + b.x()) / 2, (a.y() + b.y()) / 2);
                routed.add(new RoutedEdge(e, List.of(a, b), label, true));
            }
        }
        double contentWidth = columns * pitch - LaneColumns.COLUMN_GAP + 2 * LANE_PADDING;
        return new GraphLayout(state, bands, placed, routed, HEADER_WIDTH + contentWidth, y);
    }

    private static double shift(Piece p, double alignAt) {
        double column = p.geometry().nodeColumn();
        return Double.isNaN(column) ? 0 : alignAt - column;
    }

    /**
     * Lays out a few drive shapes a few times and throws them away: loading ELK's classes and getting its hot
     * paths compiled costs a few hundred milliseconds, better spent while the engine starts than when the first
     * graph arrives. The shapes are what VMs are made of: a device on a raw file, a qcow2 chain, a filter, a job.
     */
    public static void warmUp() {
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            ElkPieces elk = new ElkPieces();
            for (int shape = 1; shape <= 3; shape++) {
                List<GraphNode> nodes = new ArrayList<>();
                List<GraphEdge> edges = new ArrayList<>();
                warmUpDrive(shape, nodes, edges);
                elk.layout(nodes, edges, () -> false);
            }
        }
    }

    private static final int WARM_UP_ROUNDS = 4;

    /** A backend over {@code depth} qcow2 layers on files, with a throttle filter on top from depth 2, a job at 3. */
    private static void warmUpDrive(int depth, List<GraphNode> nodes, List<GraphEdge> edges) {
        GraphNode backend = warmUpNode("backend:d", NodeKind.BACKEND, "raw");
        nodes.add(backend);
        String parent = backend.key();
        if (depth >= 2) {
            GraphNode filter = warmUpNode("node:t", NodeKind.FILTER, "throttle");
            nodes.add(filter);
            edges.add(warmUpEdge(parent, filter.key(), "root"));
            parent = filter.key();
        }
        String role = depth >= 2 ? "file" : "root";
        for (int layer = 0; layer < depth; layer++) {
            GraphNode format = warmUpNode("node:f" + layer, NodeKind.FORMAT, depth == 1 ? "raw" : "qcow2");
            GraphNode file = warmUpNode("node:p" + layer, NodeKind.PROTOCOL, "file");
            nodes.add(format);
            nodes.add(file);
            edges.add(warmUpEdge(parent, format.key(), role));
            edges.add(warmUpEdge(format.key(), file.key(), "file"));
            parent = format.key();
            role = "backing";
        }
        if (depth >= 3) {
            GraphNode job = warmUpNode("job:j", NodeKind.JOB, "");
            nodes.add(0, job);
            edges.add(warmUpEdge(job.key(), "node:f0", "main node"));
        }
    }

    private static GraphNode warmUpNode(String key, NodeKind kind, String driver) {
        return new GraphNode(key, kind, key.substring(key.indexOf(':') + 1), driver, "", 1, false, 0, "", null,
                Placement.MAIN_LOOP_ASSUMED);
    }

    private static GraphEdge warmUpEdge(String parent, String child, String role) {
        return new GraphEdge(parent, child, role, List.of("write"), List.of("write-unchanged"));
    }

    /** Connected components, each in the nodes' order, ordered by their first node. */
    static List<List<GraphNode>> components(List<GraphNode> nodes, List<GraphEdge> edges) {
        Map<String, List<String>> adjacent = new HashMap<>();
        for (GraphEdge e : edges) {
            adjacent.computeIfAbsent(e.parentKey(), k -> new ArrayList<>()).add(e.childKey());
            adjacent.computeIfAbsent(e.childKey(), k -> new ArrayList<>()).add(e.parentKey());
        }
        Map<String, Integer> componentOf = new HashMap<>();
        List<List<GraphNode>> result = new ArrayList<>();
        for (GraphNode n : nodes) {
            if (componentOf.containsKey(n.key())) {
                continue;
            }
            int c = result.size();
            result.add(new ArrayList<>());
            Deque<String> todo = new ArrayDeque<>(List.of(n.key()));
            componentOf.put(n.key(), c);
            while (!todo.isEmpty()) {
                for (String next : adjacent.getOrDefault(todo.pop(), List.of())) {
                    if (componentOf.putIfAbsent(next, c) == null) {
                        todo.push(next);
                    }
                }
            }
        }
        for (GraphNode n : nodes) {
            result.get(componentOf.get(n.key())).add(n);
        }
        return result;
    }
}

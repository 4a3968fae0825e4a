package dev.blockdeck.app.layout;

import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.GraphLayout.Point;
import dev.blockdeck.app.layout.GraphLayout.RoutedEdge;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Lane;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.alg.layered.options.OrderingStrategy;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Lays a {@link BlockState} out in swimlanes, one per AioContext, with ELK Layered left to right.
 *
 * <p>Lanes are stacked bands, not ELK partitions: partitions order <em>layers</em> (columns here), not rows.
 * QEMU keeps a connected component in one AioContext, so no edge crosses a lane, and each component is laid
 * out by ELK on its own and stacked in its lane (one row per drive, in creation order). Within a component,
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
    private static final Integer DEVICES = 0;
    private static final Integer NODES = 1;

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

    /** One connected component of one lane, laid out by ELK on its own. */
    private record Piece(int lane, List<GraphNode> nodes, List<GraphEdge> edges, ElkNode root) {
        /** x of the first column after the devices, or NaN when the piece is only devices. */
        double nodeColumn() {
            return root.getChildren().stream()
                    .filter(n -> NODES.equals(n.getProperty(LayeredOptions.PARTITIONING_PARTITION)))
                    .mapToDouble(ElkNode::getX).min().orElse(Double.NaN);
        }
    }

    public GraphLayout layout(BlockState state, Progress progress) {
        List<Lane> lanes = state.lanes();
        Map<String, String> laneOf = new HashMap<>();
        lanes.forEach(l -> l.nodes().forEach(n -> laneOf.put(n.key(), l.id())));

        // pass 1: ELK per component of each lane
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            List<GraphEdge> inner = state.edges().stream()
                    .filter(e -> lane.id().equals(laneOf.get(e.parentKey())) && lane.id().equals(laneOf.get(e.childKey())))
                    .toList();
            for (List<GraphNode> component : components(lane.nodes(), inner)) {
                Set<String> keys = new HashSet<>();
                component.forEach(n -> keys.add(n.key()));
                List<GraphEdge> edges = inner.stream().filter(e -> keys.contains(e.parentKey())).toList();
                pieces.add(new Piece(i, component, edges, null));
            }
        }
        for (int i = 0; i < pieces.size(); i++) {
            if (progress.cancelled()) {
                return null;
            }
            Piece p = pieces.get(i);
            pieces.set(i, new Piece(p.lane(), p.nodes(), p.edges(), layoutPiece(p.nodes(), p.edges(), progress::cancelled)));
            progress.piecesDone(i + 1, pieces.size());
        }
        if (progress.cancelled()) {
            return null;
        }

        // pass 2: shift every piece so the first node column after the devices lines up everywhere
        double alignAt = pieces.stream().mapToDouble(Piece::nodeColumn).filter(x -> !Double.isNaN(x)).max().orElse(0);

        // pass 3: stack the pieces of each lane, and the lanes
        List<LaneBand> bands = new ArrayList<>();
        List<PlacedNode> placed = new ArrayList<>();
        List<RoutedEdge> routed = new ArrayList<>();
        Map<String, PlacedNode> byKey = new HashMap<>();
        double y = 0;
        double contentWidth = MIN_CONTENT_WIDTH;
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            double cy = y + LANE_PADDING;
            for (Piece p : pieces) {
                if (p.lane() != i) {
                    continue;
                }
                double shift = Double.isNaN(p.nodeColumn()) ? 0 : alignAt - p.nodeColumn();
                double ox = HEADER_WIDTH + LANE_PADDING + shift;
                for (ElkNode n : p.root().getChildren()) {
                    GraphNode node = p.nodes().stream().filter(g -> g.key().equals(n.getIdentifier())).findFirst().orElseThrow();
                    PlacedNode pn = new PlacedNode(node, lane.id(), ox + n.getX(), cy + n.getY(), n.getWidth(), n.getHeight());
                    placed.add(pn);
                    byKey.put(node.key(), pn);
                }
                for (ElkEdge e : p.root().getContainedEdges()) {
                    routed.add(route(e, p.edges().get(Integer.parseInt(e.getIdentifier())), ox, cy));
                }
                contentWidth = Math.max(contentWidth, shift + p.root().getWidth() + 2 * LANE_PADDING);
                cy += p.root().getHeight() + COMPONENT_GAP;
            }
            double height = lane.nodes().isEmpty() ? EMPTY_LANE_HEIGHT : cy - COMPONENT_GAP + LANE_PADDING - y;
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
        return new GraphLayout(state, bands, placed, routed, HEADER_WIDTH + contentWidth, y);
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

    private static ElkNode layoutPiece(List<GraphNode> nodes, List<GraphEdge> edges, BooleanSupplier cancelled) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(0));
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 18.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 22.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 12.0);
        root.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
        // input order = creation order (see BlockStateReader): same graph, same picture on every refresh
        root.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY, OrderingStrategy.NODES_AND_EDGES);
        // devices (BlockBackends) and jobs first, then nodes: a chain without a device still starts in the
        // node column, not under the devices
        root.setProperty(LayeredOptions.PARTITIONING_ACTIVATE, true);

        Map<String, ElkNode> elk = new HashMap<>();
        for (GraphNode n : nodes) {
            ElkNode node = ElkGraphUtil.createNode(root);
            node.setIdentifier(n.key());
            node.setDimensions(CARD_WIDTH, CARD_HEIGHT);
            node.setProperty(LayeredOptions.PARTITIONING_PARTITION, n.isBlockNode() ? NODES : DEVICES);
            elk.put(n.key(), node);
        }
        for (int i = 0; i < edges.size(); i++) {
            GraphEdge e = edges.get(i);
            ElkEdge edge = ElkGraphUtil.createSimpleEdge(elk.get(e.parentKey()), elk.get(e.childKey()));
            edge.setIdentifier(Integer.toString(i));
            ElkLabel label = ElkGraphUtil.createLabel(e.role(), edge);
            label.setDimensions(labelSlot(e.role()), LABEL_HEIGHT);
            label.setProperty(LayeredOptions.EDGE_LABELS_INLINE, true);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor() {
            @Override
            public boolean isCanceled() {
                return cancelled.getAsBoolean();
            }
        });
        return root;
    }

    private static RoutedEdge route(ElkEdge e, GraphEdge edge, double ox, double oy) {
        List<Point> points = new ArrayList<>();
        if (!e.getSections().isEmpty()) {
            ElkEdgeSection s = e.getSections().get(0);
            points.add(new Point(ox + s.getStartX(), oy + s.getStartY()));
            for (ElkBendPoint b : s.getBendPoints()) {
                points.add(new Point(ox + b.getX(), oy + b.getY()));
            }
            points.add(new Point(ox + s.getEndX(), oy + s.getEndY()));
        }
        ElkLabel l = e.getLabels().get(0);
        return new RoutedEdge(edge, points, new Point(ox + l.getX() + l.getWidth() / 2, oy + l.getY() + l.getHeight() / 2),
                false);
    }
}

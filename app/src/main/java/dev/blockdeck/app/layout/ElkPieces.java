package dev.blockdeck.app.layout;

import dev.blockdeck.app.layout.GraphLayout.Point;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * ELK Layered on one connected component at a time, remembering the result by the component's shape: cards
 * are all the same size, so two components with the same vertex kinds, edges and role labels in the same
 * order get the same picture, and ELK runs once for them. A VM's drives are mostly alike (1,000 nodes in
 * a handful of shapes), which turns a second of ELK into a few milliseconds. One instance per layout run.
 */
final class ElkPieces {

    static final Integer DEVICES = 0;
    static final Integer NODES = 1;

    private final Map<String, PieceGeometry> byShape = new HashMap<>();
    private int elkRuns;

    /** The component's geometry, or null when cancelled. */
    PieceGeometry layout(List<GraphNode> nodes, List<GraphEdge> edges, BooleanSupplier cancelled) {
        String shape = shape(nodes, edges);
        PieceGeometry g = byShape.get(shape);
        if (g == null) {
            g = run(nodes, edges, cancelled);
            if (g == null) {
                return null;
            }
            byShape.put(shape, g);
        }
        return g;
    }

    /** How many times ELK itself ran (for tests: shapes are shared). */
    int elkRuns() {
        return elkRuns;
    }

    /** Everything ELK sees: the vertices' partitions in order, and each edge's ends (by index) and label. */
    static String shape(List<GraphNode> nodes, List<GraphEdge> edges) {
        Map<String, Integer> index = new HashMap<>();
        StringBuilder s = new StringBuilder();
        for (GraphNode n : nodes) {
            index.put(n.key(), index.size());
            s.append(n.isBlockNode() ? 'n' : 'd');
        }
        for (GraphEdge e : edges) {
            s.append('|').append(index.get(e.parentKey())).append('>').append(index.get(e.childKey()))
                    .append(':').append(e.role());
        }
        return s.toString();
    }

    private PieceGeometry run(List<GraphNode> nodes, List<GraphEdge> edges, BooleanSupplier cancelled) {
        elkRuns++;
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
        List<ElkNode> ordered = new ArrayList<>();
        for (GraphNode n : nodes) {
            ElkNode node = ElkGraphUtil.createNode(root);
            node.setDimensions(LaneLayouter.CARD_WIDTH, LaneLayouter.CARD_HEIGHT);
            node.setProperty(LayeredOptions.PARTITIONING_PARTITION, n.isBlockNode() ? NODES : DEVICES);
            elk.put(n.key(), node);
            ordered.add(node);
        }
        List<ElkEdge> elkEdges = new ArrayList<>();
        for (GraphEdge e : edges) {
            ElkEdge edge = ElkGraphUtil.createSimpleEdge(elk.get(e.parentKey()), elk.get(e.childKey()));
            ElkLabel label = ElkGraphUtil.createLabel(e.role(), edge);
            label.setDimensions(LaneLayouter.labelSlot(e.role()), LaneLayouter.LABEL_HEIGHT);
            label.setProperty(LayeredOptions.EDGE_LABELS_INLINE, true);
            elkEdges.add(edge);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor() {
            @Override
            public boolean isCanceled() {
                return cancelled.getAsBoolean();
            }
        });
        if (cancelled.getAsBoolean()) {
            return null;
        }
        double[] xs = new double[ordered.size()];
        double[] ys = new double[ordered.size()];
        double column = Double.NaN;
        for (int i = 0; i < ordered.size(); i++) {
            xs[i] = ordered.get(i).getX();
            ys[i] = ordered.get(i).getY();
            if (nodes.get(i).isBlockNode()) {
                column = Double.isNaN(column) ? xs[i] : Math.min(column, xs[i]);
            }
        }
        List<List<Point>> points = new ArrayList<>();
        List<Point> labels = new ArrayList<>();
        for (ElkEdge e : elkEdges) {
            List<Point> p = new ArrayList<>();
            if (!e.getSections().isEmpty()) {
                ElkEdgeSection s = e.getSections().get(0);
                p.add(new Point(s.getStartX(), s.getStartY()));
                for (ElkBendPoint b : s.getBendPoints()) {
                    p.add(new Point(b.getX(), b.getY()));
                }
                p.add(new Point(s.getEndX(), s.getEndY()));
            }
            points.add(List.copyOf(p));
            ElkLabel l = e.getLabels().get(0);
            labels.add(new Point(l.getX() + l.getWidth() / 2, l.getY() + l.getHeight() / 2));
        }
        return new PieceGeometry(xs, ys, List.copyOf(points), List.copyOf(labels), root.getWidth(), root.getHeight(), column);
    }
}

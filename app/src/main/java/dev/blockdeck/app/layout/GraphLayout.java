package dev.blockdeck.app.layout;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Lane;

import java.util.List;

/** Where everything of one {@link BlockState} goes, in world coordinates (before pan and zoom). Immutable. */
public record GraphLayout(BlockState state, List<LaneBand> lanes, List<PlacedNode> nodes, List<RoutedEdge> edges,
                          double width, double height) {

    public GraphLayout {
        lanes = List.copyOf(lanes);
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    public record Point(double x, double y) {
    }

    /** A horizontal band for one AioContext, the full width of the graph. */
    public record LaneBand(Lane lane, double y, double height) {
    }

    public record PlacedNode(GraphNode node, String laneId, double x, double y, double width, double height) {
    }

    /**
     * @param points      start, bends, end (parent's right side to child's left side)
     * @param label       the centre of the child role's label
     * @param crossesLanes parent and child are in different AioContexts: QEMU never allows it, so draw it as
     *                     a fault
     */
    public record RoutedEdge(GraphEdge edge, List<Point> points, Point label, boolean crossesLanes) {
        public RoutedEdge {
            points = List.copyOf(points);
        }
    }
}

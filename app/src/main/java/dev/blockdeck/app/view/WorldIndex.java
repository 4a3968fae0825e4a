package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.GraphLayout.Point;
import dev.blockdeck.app.layout.GraphLayout.RoutedEdge;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A uniform grid over a layout's world coordinates: which cards and edges (by their index in the layout)
 * touch a rectangle, in time proportional to what is there rather than to the graph's size. Plain Java;
 * built once per layout.
 */
final class WorldIndex {

    static final double CELL = 400;

    private final GraphLayout layout;
    private final Map<Long, List<Integer>> nodeCells = new HashMap<>();
    private final Map<Long, List<Integer>> edgeCells = new HashMap<>();
    private final Map<String, Integer> nodeByKey = new HashMap<>();

    WorldIndex(GraphLayout layout) {
        this.layout = layout;
        List<PlacedNode> nodes = layout.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            PlacedNode p = nodes.get(i);
            add(nodeCells, i, p.x(), p.y(), p.x() + p.width(), p.y() + p.height());
            nodeByKey.put(p.node().key(), i);
        }
        List<RoutedEdge> edges = layout.edges();
        for (int i = 0; i < edges.size(); i++) {
            double[] b = bounds(edges.get(i));
            add(edgeCells, i, b[0], b[1], b[2], b[3]);
        }
    }

    /** The bounding box of an edge's line and label: minX, minY, maxX, maxY. */
    static double[] bounds(RoutedEdge e) {
        double[] b = {e.label().x() - 40, e.label().y() - 10, e.label().x() + 40, e.label().y() + 10};
        for (Point p : e.points()) {
            b[0] = Math.min(b[0], p.x());
            b[1] = Math.min(b[1], p.y());
            b[2] = Math.max(b[2], p.x());
            b[3] = Math.max(b[3], p.y());
        }
        return b;
    }

    private static void add(Map<Long, List<Integer>> cells, int item, double x0, double y0, double x1, double y1) {
        for (int cx = cell(x0); cx <= cell(x1); cx++) {
            for (int cy = cell(y0); cy <= cell(y1); cy++) {
                cells.computeIfAbsent(key(cx, cy), k -> new ArrayList<>()).add(item);
            }
        }
    }

    private static int cell(double v) {
        return (int) Math.floor(v / CELL);
    }

    private static long key(int cx, int cy) {
        return ((long) cx << 32) ^ (cy & 0xffffffffL);
    }

    /** Cards whose box intersects the rectangle. */
    BitSet nodesIn(double x0, double y0, double x1, double y1) {
        BitSet hits = candidates(nodeCells, x0, y0, x1, y1);
        for (int i = hits.nextSetBit(0); i >= 0; i = hits.nextSetBit(i + 1)) {
            PlacedNode p = layout.nodes().get(i);
            if (p.x() > x1 || p.x() + p.width() < x0 || p.y() > y1 || p.y() + p.height() < y0) {
                hits.clear(i);
            }
        }
        return hits;
    }

    /** Edges whose bounding box intersects the rectangle. */
    BitSet edgesIn(double x0, double y0, double x1, double y1) {
        BitSet hits = candidates(edgeCells, x0, y0, x1, y1);
        for (int i = hits.nextSetBit(0); i >= 0; i = hits.nextSetBit(i + 1)) {
            double[] b = bounds(layout.edges().get(i));
            if (b[0] > x1 || b[2] < x0 || b[1] > y1 || b[3] < y0) {
                hits.clear(i);
            }
        }
        return hits;
    }

    private static BitSet candidates(Map<Long, List<Integer>> cells, double x0, double y0, double x1, double y1) {
        BitSet hits = new BitSet();
        int cx0 = cell(x0);
        int cx1 = cell(x1);
        int cy0 = cell(y0);
        int cy1 = cell(y1);
        if ((long) (cx1 - cx0 + 1) * (cy1 - cy0 + 1) > cells.size()) {
            // a view larger than the graph: walk the filled cells instead of the empty ones
            cells.forEach((k, items) -> {
                int cx = (int) (k >> 32);
                int cy = (int) (long) k;
                if (cx >= cx0 && cx <= cx1 && cy >= cy0 && cy <= cy1) {
                    items.forEach(hits::set);
                }
            });
            return hits;
        }
        for (int cx = cx0; cx <= cx1; cx++) {
            for (int cy = cy0; cy <= cy1; cy++) {
                List<Integer> items = cells.get(key(cx, cy));
                if (items != null) {
                    items.forEach(hits::set);
                }
            }
        }
        return hits;
    }

    /** The card at a world point, or -1. */
    int nodeAt(double x, double y) {
        BitSet hits = nodesIn(x, y, x, y);
        return hits.isEmpty() ? -1 : hits.nextSetBit(0);
    }

    /** The index of a vertex key in the layout's nodes, or -1. */
    int indexOf(String key) {
        return nodeByKey.getOrDefault(key, -1);
    }
}

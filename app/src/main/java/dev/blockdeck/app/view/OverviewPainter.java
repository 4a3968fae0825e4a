package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.GraphLayout.Point;
import dev.blockdeck.app.layout.GraphLayout.RoutedEdge;
import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.view.GraphPalette.Slot;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.BitSet;
import java.util.List;

/**
 * Paints a layout on a canvas as the simplified graph: cards as boxes in their kind's colour (a stripe and
 * the node-name once they are big enough), edges as plain lines, optionally the lane bands. Used by the
 * overview level of detail (screen-sized, only what is in view) and by the minimap (the whole graph).
 * A thousand boxes take a millisecond or two: cheap enough to repaint on every pan.
 */
final class OverviewPainter {

    /** Below this on-screen card width a card is a plain coloured box. */
    private static final double DETAIL_WIDTH = 24;
    private static final Font NAME_FONT = Font.font("System", 12);

    private OverviewPainter() {
    }

    /**
     * @param scale   world → screen zoom
     * @param tx      screen x of world x = 0
     * @param ty      screen y of world y = 0
     * @param visible the cards and edges to paint (by layout index); null for all
     * @param lanes   paint the lane bands (the overview has them as nodes already)
     * @param edges   paint the edges
     */
    static void paint(GraphicsContext g, GraphLayout layout, double scale, double tx, double ty, BitSet visibleNodes,
                      BitSet visibleEdges, GraphPalette palette, String selectedKey, boolean lanes, boolean edges) {
        g.save();
        if (lanes) {
            paintLanes(g, layout, scale, tx, ty, palette);
        }
        // below 12 % an edge is a few pixels between touching boxes: not worth its time
        if (edges && scale >= 0.12) {
            g.setStroke(palette.color(Slot.EDGE));
            g.setLineWidth(Math.max(0.6, Math.min(1.4, 1.4 * scale * 2)));
            List<RoutedEdge> all = layout.edges();
            for (int i = next(visibleEdges, 0); i >= 0 && i < all.size(); i = next(visibleEdges, i + 1)) {
                List<Point> pts = all.get(i).points();
                if (pts.size() < 2) {
                    continue;
                }
                double[] xs = new double[pts.size()];
                double[] ys = new double[pts.size()];
                for (int k = 0; k < pts.size(); k++) {
                    xs[k] = tx + pts.get(k).x() * scale;
                    ys[k] = ty + pts.get(k).y() * scale;
                }
                g.strokePolyline(xs, ys, xs.length);
            }
        }
        List<PlacedNode> nodes = layout.nodes();
        double w = LaneLayouter.CARD_WIDTH * scale;
        boolean detailed = w >= DETAIL_WIDTH;
        boolean names = scale >= GraphLod.NAMES_FROM;
        Color card = palette.color(Slot.CARD);
        Color border = palette.color(Slot.CARD_BORDER);
        Color text = palette.color(Slot.TEXT);
        if (names) {
            g.setFont(NAME_FONT);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
        }
        for (int i = next(visibleNodes, 0); i >= 0 && i < nodes.size(); i = next(visibleNodes, i + 1)) {
            PlacedNode p = nodes.get(i);
            double x = tx + p.x() * scale;
            double y = ty + p.y() * scale;
            double h = p.height() * scale;
            Color kind = palette.kind(p.node().kind());
            if (!detailed) {
                g.setFill(kind);
                g.fillRect(x, y, Math.max(1, w), Math.max(1, h));
            } else {
                double arc = 6 * scale;
                g.setFill(card);
                g.fillRoundRect(x, y, w, h, arc, arc);
                g.setFill(kind);
                g.fillRect(x, y, Math.max(2, 5 * scale), h);
                g.setStroke(border);
                g.setLineWidth(1);
                g.strokeRoundRect(x, y, w, h, arc, arc);
                if (names) {
                    g.setFill(text);
                    g.fillText(p.node().name(), x + 12 * scale, y + h / 2, w - 16 * scale);
                }
            }
            if (p.node().key().equals(selectedKey)) {
                g.setStroke(palette.color(Slot.ACCENT));
                g.setLineWidth(2.5);
                g.strokeRect(x - 2, y - 2, Math.max(1, w) + 4, Math.max(1, h) + 4);
            }
        }
        g.restore();
    }

    private static void paintLanes(GraphicsContext g, GraphLayout layout, double scale, double tx, double ty,
                                   GraphPalette palette) {
        List<LaneBand> bands = layout.lanes();
        for (int i = 0; i < bands.size(); i++) {
            LaneBand b = bands.get(i);
            g.setFill(palette.color(i % 2 == 0 ? Slot.LANE_EVEN : Slot.LANE_ODD));
            g.fillRect(tx, ty + b.y() * scale, layout.width() * scale, b.height() * scale);
            g.setFill(palette.color(Slot.LANE_HEADER));
            g.fillRect(tx, ty + b.y() * scale, LaneLayouter.HEADER_WIDTH * scale, b.height() * scale);
            g.setStroke(palette.color(Slot.CARD_BORDER));
            g.setLineWidth(0.5);
            g.strokeLine(tx, ty + b.y() * scale, tx + layout.width() * scale, ty + b.y() * scale);
        }
    }

    /** The next set index from {@code from}, every index when {@code set} is null. */
    private static int next(BitSet set, int from) {
        return set == null ? from : set.nextSetBit(from);
    }
}

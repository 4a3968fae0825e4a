package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Bounds;
import javafx.scene.canvas.Canvas;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;

/**
 * A small picture of the whole graph in a corner of the view, with the part in view as a rectangle: click
 * or drag anywhere on it to bring that part into view. Painted once per layout (lanes and boxes, no edges),
 * so it costs nothing while panning; only the rectangle moves. Shown while some of the graph is out of view.
 */
public final class Minimap extends Region {

    static final double MAX_WIDTH = 220;
    static final double MAX_HEIGHT = 150;
    private static final double PAD = 4;

    private final Canvas picture = new Canvas();
    private final Rectangle view = new Rectangle();
    private final BooleanProperty enabled = new SimpleBooleanProperty(this, "enabled", true);
    private final GraphPalette palette = new GraphPalette(this::repaint);
    private GraphCanvas canvas;
    private double scale = 1;

    public Minimap() {
        setId("graphMinimap");
        getStyleClass().add("minimap");
        view.getStyleClass().add("minimap-viewport");
        view.setMouseTransparent(true);
        picture.setMouseTransparent(true);
        getChildren().addAll(picture, view, palette.probes());
        setManaged(false);
        setVisible(false);
        setOnMousePressed(this::moveViewTo);
        setOnMouseDragged(this::moveViewTo);
        // the graph under it must not pan or deselect
        setOnMouseClicked(MouseEvent::consume);
        setOnScroll(e -> e.consume());
    }

    /** Follows {@code graph}: its layout for the picture, its viewport for the rectangle. */
    public void attach(GraphCanvas graph) {
        this.canvas = graph;
        // an invalidation listener: a new layout under an unchanged view still repaints
        graph.viewportProperty().addListener(o -> update());
        enabled.addListener((o, a, b) -> update());
    }

    /** Off: never shown (the toolbar's toggle). */
    public BooleanProperty enabledProperty() {
        return enabled;
    }

    private GraphLayout shownLayout;

    private void update() {
        GraphLayout layout = canvas == null ? null : canvas.graphLayout();
        Bounds v = canvas == null ? null : canvas.viewportProperty().get();
        boolean wanted = enabled.get() && layout != null && v != null && !covers(v, layout);
        setVisible(wanted);
        if (!wanted) {
            return;
        }
        if (layout != shownLayout) {
            shownLayout = layout;
            scale = Math.min((MAX_WIDTH - 2 * PAD) / layout.width(), (MAX_HEIGHT - 2 * PAD) / Math.max(1, layout.height()));
            double w = layout.width() * scale + 2 * PAD;
            double h = layout.height() * scale + 2 * PAD;
            resize(w, h);
            picture.setWidth(w);
            picture.setHeight(h);
            // top-right corner of the graph, out of the lane headers' way
            relocate(canvas.getWidth() - w - 12, 12);
            repaint();
        } else {
            relocate(canvas.getWidth() - getWidth() - 12, 12);
        }
        // the rectangle, clipped to the picture
        double x0 = Math.max(0, v.getMinX());
        double y0 = Math.max(0, v.getMinY());
        double x1 = Math.min(layout.width(), v.getMaxX());
        double y1 = Math.min(layout.height(), v.getMaxY());
        view.setX(PAD + x0 * scale);
        view.setY(PAD + y0 * scale);
        view.setWidth(Math.max(3, (x1 - x0) * scale));
        view.setHeight(Math.max(3, (y1 - y0) * scale));
    }

    /** The whole graph is in view: nothing to navigate. */
    static boolean covers(Bounds view, GraphLayout layout) {
        return view.getMinX() <= 0.5 && view.getMinY() <= 0.5 && view.getMaxX() >= layout.width() - 0.5
                && view.getMaxY() >= layout.height() - 0.5;
    }

    private void repaint() {
        var g = picture.getGraphicsContext2D();
        g.clearRect(0, 0, picture.getWidth(), picture.getHeight());
        if (shownLayout != null) {
            OverviewPainter.paint(g, shownLayout, scale, PAD, PAD, null, null, palette, null, true, false);
        }
    }

    /** The world point under a minimap position. */
    double[] toWorld(double x, double y) {
        return new double[] {(x - PAD) / scale, (y - PAD) / scale};
    }

    private void moveViewTo(MouseEvent e) {
        if (canvas != null && shownLayout != null) {
            double[] w = toWorld(e.getX(), e.getY());
            canvas.centreOn(w[0], w[1]);
        }
        e.consume();
    }
}

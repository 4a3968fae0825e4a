package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.GraphLayout.RoutedEdge;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.viewmodel.Notice;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.Cursor;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.ContextMenu;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import dev.blockdeck.app.viewmodel.GraphText;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The graph's viewport: one {@link Group} in world coordinates under a translate (pan) and a scale (zoom),
 * clipped to this region. Drag pans, the wheel zooms around the cursor, a click selects a card or an edge.
 */
public final class GraphCanvas extends Region {

    /** Small graphs: below this their cards are specks. */
    static final double MIN_ZOOM = 0.15;
    /** Big graphs (see {@link CardCuller#CULL_FROM}): low enough to fit 1,000 nodes, painted as the overview. */
    static final double MIN_ZOOM_BIG = 0.03;
    static final double MAX_ZOOM = 3;
    private static final double FIT_MARGIN = 18;

    private final Group world = new Group();
    private final Translate pan = new Translate();
    private final Scale zoom = new Scale(1, 1, 0, 0);
    private final ReadOnlyDoubleWrapper zoomLevel = new ReadOnlyDoubleWrapper(1);
    private final ReadOnlyStringWrapper selectionText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper selectedKey = new ReadOnlyStringWrapper();
    /** Lanes, edges and cards in world coordinates, without pan and zoom: what a PNG export draws. */
    private final Group content = new Group();

    private GraphLayout layout;
    /** Until the user pans or zooms, every new layout and every resize fits the graph into view. */
    private boolean autoFit = true;
    private double pressX;
    private double pressY;
    private double panX0;
    private double panY0;

    private Node selected;
    /** A card's context menu by its key (the transaction composer's actions), or null for none. */
    private Function<String, ContextMenu> cardMenu = key -> null;
    private final Map<String, List<Node>> edgesByNode = new HashMap<>();
    /** A press on the background started a pan (a card's press, e.g. a drag, does not). */
    private boolean panning;
    /** Drags drive cards onto other lanes; null until {@link #setDriveDrop} (then cards pan no more). */
    private CardDragger dragger;
    /** A lane's right-click menu (IOThreads), or null for none. */
    private Function<Lane, ContextMenu> laneMenu = lane -> null;
    /** The drawn cards by key and lanes by {@code lane:ID}: where notices about them are shown. */
    private final Map<String, Node> anchors = new HashMap<>();
    private final Map<Node, LaneBand> drawnLanes = new HashMap<>();
    private final ReadOnlyIntegerWrapper drawCount = new ReadOnlyIntegerWrapper();
    /** Lane headers by key ({@code iothread:ID}) and their descriptions: always in the scene. */
    private final Map<String, Node> headersByKey = new HashMap<>();
    private final Map<String, String> headerTextByKey = new HashMap<>();

    // level of detail and culling (see GraphLod, CardCuller, OverviewPainter)
    private final Canvas overview = new Canvas();
    private final GraphPalette palette = new GraphPalette(this::repaintOverview);
    private final ReadOnlyObjectWrapper<Bounds> viewport = new ReadOnlyObjectWrapper<>(new BoundingBox(0, 0, 0, 0));
    private GraphLod level = GraphLod.CARDS;
    private WorldIndex index;
    private CardCuller culler;
    private boolean overviewDirty;
    private final ZoomSettle zoomSettle = new ZoomSettle();

    public GraphCanvas() {
        setId("graphCanvas");
        getStyleClass().add("graph-canvas");
        // transforms apply last-first: screen = pan + zoom × world
        world.getTransforms().addAll(pan, zoom);
        world.getChildren().add(content);
        overview.setMouseTransparent(true);
        overview.setVisible(false);
        overview.setId("graphOverview");
        getChildren().addAll(world, overview, palette.probes());
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);

        setOnScroll(this::zoomAtCursor);
        setOnMousePressed(this::startPan);
        setOnMouseDragged(this::drag);
        // a click in the graph gives it the keyboard, so Edit's shortcuts (undo a move) are not a text field's
        addEventFilter(MouseEvent.MOUSE_PRESSED, e -> requestFocus());
        setOnMouseReleased(e -> {
            panning = false;
            setCursor(Cursor.DEFAULT);
        });
        setOnMouseClicked(e -> {
            if (e.isStillSincePress()) {
                clickedBackground(e);
            }
        });
        widthProperty().addListener((o, a, b) -> refit());
        heightProperty().addListener((o, a, b) -> refit());
        for (var p : List.of(pan.xProperty(), pan.yProperty(), zoom.xProperty(), widthProperty(), heightProperty())) {
            p.addListener((o, a, b) -> viewportChanged());
        }
    }

    /** Draws a new layout, keeping the selection by key when it still exists. */
    public void show(GraphLayout newLayout) {
        String previousKey = selectedKey.get();
        layout = newLayout;
        content.getChildren().clear();
        edgesByNode.clear();
        headersByKey.clear();
        headerTextByKey.clear();
        anchors.clear();
        drawnLanes.clear();
        selected = null;
        culler = null;
        index = null;
        if (newLayout == null) {
            selectionText.set("");
            selectedKey.set(null);
            viewportChanged();
            return;
        }
        Group lanes = new Group();
        Group edges = new Group();
        Group cards = new Group();
        double width = newLayout.width();
        for (LaneBand band : newLayout.lanes()) {
            String text = GraphText.describeLane(band.lane());
            Node laneNode = GraphCards.lane(band, width, newLayout.lanes().indexOf(band), newLayout.state(),
                    header -> {
                        header.setOnMouseClicked(e -> clicked(e, header, text));
                        String key = (String) header.getProperties().get(GraphCards.KEY);
                        headersByKey.put(key, header);
                        headerTextByKey.put(key, text);
                    });
            lanes.getChildren().add(laneNode);
            laneDrawn(laneNode, band);
        }
        // cards and edges are made when they first come into view (all at once for a small graph)
        index = new WorldIndex(newLayout);
        culler = new CardCuller(newLayout, index, cards, edges, i -> createCard(newLayout.nodes().get(i)),
                i -> createEdge(newLayout.edges().get(i), newLayout));
        content.getChildren().addAll(lanes, edges, cards);
        refit();
        viewportChanged();
        // the same key again is no change, so the inspector keeps what it shows (e.g. an edit's outcome)
        if (previousKey == null || !selectKey(previousKey)) {
            selectionText.set("");
            selectedKey.set(null);
        }
        if (dragger != null) {
            dragger.lanes(drawnLanes);
        }
        drawCount.set(drawCount.get() + 1);
    }
    private void laneDrawn(Node laneNode, LaneBand band) {
        anchors.put(Notice.lane(band.lane().id()), laneNode);
        drawnLanes.put(laneNode, band);
        laneNode.setOnContextMenuRequested(e -> {
            ContextMenu menu = laneMenu.apply(band.lane());
            if (menu != null) {
                menu.show(laneNode, e.getScreenX(), e.getScreenY());
            }
            e.consume();
        });
    }

    private void cardDrawn(Node card, PlacedNode p) {
        anchors.put(p.node().key(), card);
        if (dragger != null) {
            dragger.install(card, p.node().key(), p.laneId());
        }
    }

    /**
     * Lets the user drag drive cards onto other lanes: {@code onDrop} gets the card's key and the lane's iothread
     * (null for the main loop).
     */
    public void setDriveDrop(Predicate<String> draggable, BiConsumer<String, String> onDrop) {
        dragger = new CardDragger(content, draggable, onDrop);
        if (layout != null) {
            show(layout);
        }
    }

    /** Where a right-click on a lane (outside its cards) gets its menu. */
    public void setLaneMenu(Function<Lane, ContextMenu> menus) {
        this.laneMenu = menus == null ? lane -> null : menus;
    }

    /** The drawn card of a vertex key, or the lane of {@code lane:ID}; null when not drawn. */
    public Node anchor(String key) {
        return key == null ? null : anchors.get(key);
    }

    /** Counts drawings: anything placed over a card looks it up again when this changes. */
    public ReadOnlyIntegerProperty drawCountProperty() {
        return drawCount.getReadOnlyProperty();
    }

    /** One card with its handlers; cached by the culler for the layout's lifetime. */
    private Node createCard(PlacedNode p) {
        Node card = GraphCards.card(p);
        String text = GraphCards.describe(p.node());
        card.setOnMouseClicked(e -> clicked(e, card, text));
        card.setOnContextMenuRequested(e -> {
            select(card, text);
            ContextMenu menu = cardMenu.apply(p.node().key());
            if (menu != null) {
                menu.show(card, e.getScreenX(), e.getScreenY());
            }
            e.consume();
        });
        // drawn once into a bitmap that panning only moves (the text and the shadow cost most to render)
        card.setCache(true);
        cardDrawn(card, p);
        if (p.node().key().equals(selectedKey.get())) {
            selected = card;
            card.getStyleClass().add("selected");
        }
        return card;
    }

    private Node createEdge(RoutedEdge r, GraphLayout in) {
        Group edge = GraphCards.edge(r, in.state());
        String text = GraphCards.describe(r, in.state());
        edge.setOnMouseClicked(e -> clicked(e, edge, text));
        edgesByNode.computeIfAbsent(r.edge().parentKey(), k -> new ArrayList<>()).add(edge);
        edgesByNode.computeIfAbsent(r.edge().childKey(), k -> new ArrayList<>()).add(edge);
        String sel = selectedKey.get();
        if (sel != null && (sel.equals(r.edge().parentKey()) || sel.equals(r.edge().childKey()))) {
            edge.getStyleClass().add("related");
        }
        edge.setCache(true);
        return edge;
    }

    private void clicked(MouseEvent e, Node target, String text) {
        if (e.isStillSincePress()) {
            select(target, text);
            e.consume();
        }
    }

    private void select(Node target, String text) {
        if (selected != null) {
            selected.getStyleClass().remove("selected");
            related(selected, false);
        }
        selected = target;
        selectionText.set(text);
        // an edge has no key: selecting one leaves nothing to inspect
        selectedKey.set(target == null ? null : (String) target.getProperties().get(GraphCards.KEY));
        if (target != null) {
            target.getStyleClass().add("selected");
            related(target, true);
        }
    }

    /** A selected card highlights its edges, so a node's parents and children are easy to follow. */
    private void related(Node card, boolean on) {
        Object key = card.getProperties().get(GraphCards.KEY);
        for (Node edge : edgesByNode.getOrDefault(key, List.of())) {
            if (on) {
                edge.getStyleClass().add("related");
            } else {
                edge.getStyleClass().remove("related");
            }
        }
    }

    /**
     * Selects a card or lane header by key, creating the card if it was never in view.
     *
     * @return false when the layout has no such key
     */
    public boolean selectKey(String key) {
        if (headersByKey.containsKey(key)) {
            select(headersByKey.get(key), headerTextByKey.get(key));
            return true;
        }
        int i = index == null ? -1 : index.indexOf(key);
        if (i < 0) {
            return false;
        }
        select(culler.card(i), GraphCards.describe(layout.nodes().get(i).node()));
        repaintOverview();
        return true;
    }

    /** Selects a card and brings it to the middle of the view, zoomed in far enough to read it. */
    public boolean reveal(String key) {
        int i = index == null ? -1 : index.indexOf(key);
        if (i < 0) {
            return false;
        }
        PlacedNode p = layout.nodes().get(i);
        if (zoom.getX() < GraphLod.CARDS_FROM) {
            setZoom(Math.min(1, MAX_ZOOM));
        }
        centreOn(p.x() + p.width() / 2, p.y() + p.height() / 2);
        return selectKey(key);
    }

    /** Pans so that the world point is in the middle of the view (the minimap, find). */
    public void centreOn(double worldX, double worldY) {
        double s = zoom.getX();
        pan.setX(getWidth() / 2 - s * worldX);
        pan.setY(getHeight() / 2 - s * worldY);
        autoFit = false;
    }

    /** Sets the zoom around the view's centre. */
    public void zoomTo(double s) {
        zoomBy(s / zoom.getX());
    }

    /** The part of the world in view (world coordinates), updated on every pan, zoom and resize. */
    public ReadOnlyObjectProperty<Bounds> viewportProperty() {
        return viewport.getReadOnlyProperty();
    }

    /** The layout on screen, or null. */
    public GraphLayout graphLayout() {
        return layout;
    }

    /** Only a big graph zooms out below {@link #MIN_ZOOM}, into the overview. */
    private double minZoom() {
        return culler != null && culler.culling() ? MIN_ZOOM_BIG : MIN_ZOOM;
    }

    private void viewportChanged() {
        double s = zoom.getX();
        double x0 = -pan.getX() / s;
        double y0 = -pan.getY() / s;
        viewport.set(new BoundingBox(x0, y0, Math.max(0, getWidth() / s), Math.max(0, getHeight() / s)));
        level = level.at(s);
        // a small graph keeps its cards at any zoom: they cost little, and they stay clickable as before
        boolean overviewOn = culler != null && culler.culling() && level == GraphLod.OVERVIEW;
        if (culler != null) {
            culler.update(x0, y0, x0 + getWidth() / s, y0 + getHeight() / s, overviewOn);
        }
        overview.setVisible(overviewOn);
        if (overviewOn) {
            repaintOverview();
        }
    }

    /** Marks the overview for repainting at the next layout pass: one repaint per frame however many events. */
    private void repaintOverview() {
        overviewDirty = true;
        requestLayout();
    }

    private void paintOverview() {
        overviewDirty = false;
        GraphicsContext g = overview.getGraphicsContext2D();
        g.clearRect(0, 0, overview.getWidth(), overview.getHeight());
        if (!overview.isVisible() || layout == null) {
            return;
        }
        Bounds v = viewport.get();
        OverviewPainter.paint(g, layout, zoom.getX(), pan.getX(), pan.getY(),
                index.nodesIn(v.getMinX(), v.getMinY(), v.getMaxX(), v.getMaxY()),
                index.edgesIn(v.getMinX(), v.getMinY(), v.getMaxX(), v.getMaxY()), palette, selectedKey.get(), false, true);
    }

    /** A click on no card: in the overview it may still hit a box (select it; a double click zooms in to it). */
    private void clickedBackground(MouseEvent e) {
        if (level == GraphLod.OVERVIEW && index != null) {
            double s = zoom.getX();
            int hit = index.nodeAt((e.getX() - pan.getX()) / s, (e.getY() - pan.getY()) / s);
            if (hit >= 0) {
                String key = layout.nodes().get(hit).node().key();
                if (e.getClickCount() >= 2) {
                    reveal(key);
                } else {
                    selectKey(key);
                }
                return;
            }
        }
        select(null, "");
        repaintOverview();
    }

    /** Where a right-click on a card gets its menu (selecting the card first). */
    public void setCardMenu(Function<String, ContextMenu> menus) {
        this.cardMenu = menus == null ? key -> null : menus;
    }

    /** Scales the whole graph into view (never above 100 %), top-left aligned. */
    public void fit() {
        autoFit = true;
        refit();
    }

    private void refit() {
        if (!autoFit || layout == null || getWidth() <= 0 || getHeight() <= 0) {
            return;
        }
        double s = Math.min(1, Math.min((getWidth() - 2 * FIT_MARGIN) / layout.width(),
                (getHeight() - 2 * FIT_MARGIN) / Math.max(1, layout.height())));
        s = Math.max(minZoom(), s);
        setZoom(s);
        pan.setX(FIT_MARGIN);
        pan.setY(FIT_MARGIN);
    }

    private void zoomAtCursor(ScrollEvent e) {
        if (e.getDeltaY() == 0) {
            return;
        }
        double s0 = zoom.getX();
        double s1 = Math.max(minZoom(), Math.min(MAX_ZOOM, s0 * Math.pow(1.0025, e.getDeltaY())));
        // keep the world point under the cursor where it is
        double wx = (e.getX() - pan.getX()) / s0;
        double wy = (e.getY() - pan.getY()) / s0;
        setZoom(s1);
        pan.setX(e.getX() - s1 * wx);
        pan.setY(e.getY() - s1 * wy);
        autoFit = false;
        e.consume();
    }

    /** Zooms by {@code factor} around the viewport's centre (toolbar buttons, keyboard). */
    public void zoomBy(double factor) {
        double s0 = zoom.getX();
        double s1 = Math.max(minZoom(), Math.min(MAX_ZOOM, s0 * factor));
        double cx = getWidth() / 2;
        double cy = getHeight() / 2;
        double wx = (cx - pan.getX()) / s0;
        double wy = (cy - pan.getY()) / s0;
        setZoom(s1);
        pan.setX(cx - s1 * wx);
        pan.setY(cy - s1 * wy);
        autoFit = false;
    }

    /** Moves the view by screen pixels (keyboard, minimap, benchmark). */
    public void panBy(double dx, double dy) {
        pan.setX(pan.getX() + dx);
        pan.setY(pan.getY() + dy);
        autoFit = false;
    }

    public double getZoom() {
        return zoom.getX();
    }

    private void setZoom(double s) {
        if (s != zoom.getX()) {
            zoomSettle.zooming(content);
        }
        zoom.setX(s);
        zoom.setY(s);
        zoomLevel.set(s);
    }

    private void startPan(MouseEvent e) {
        panning = true;
        pressX = e.getX();
        pressY = e.getY();
        panX0 = pan.getX();
        panY0 = pan.getY();
    }

    private void drag(MouseEvent e) {
        if (!panning) {
            return;
        }
        setCursor(Cursor.CLOSED_HAND);
        pan.setX(panX0 + e.getX() - pressX);
        pan.setY(panY0 + e.getY() - pressY);
        autoFit = false;
    }

    /** The selected card's key or an IOThread lane's {@code iothread:ID}; null for none or an edge. */
    public ReadOnlyStringProperty selectedKeyProperty() {
        return selectedKey.getReadOnlyProperty();
    }

    /** The whole graph at 100 %, whatever the pan and zoom; null when nothing is drawn. */
    public WritableImage snapshot() {
        if (layout == null) {
            return null;
        }
        SnapshotParameters params = new SnapshotParameters();
        params.setFill(Color.WHITE);
        // every card, whatever is in view; culled again right after
        culler.showAll();
        try {
            return content.snapshot(params, null);
        } finally {
            viewportChanged();
        }
    }

    public ReadOnlyDoubleProperty zoomProperty() {
        return zoomLevel.getReadOnlyProperty();
    }

    /** The selected card's or edge's description; empty when nothing is selected. */
    public ReadOnlyStringProperty selectionTextProperty() {
        return selectionText.getReadOnlyProperty();
    }

    @Override
    protected void layoutChildren() {
        // the world group is positioned by its transforms only; the overview canvas covers the view
        if (overview.getWidth() != getWidth() || overview.getHeight() != getHeight()) {
            overview.setWidth(getWidth());
            overview.setHeight(getHeight());
            overviewDirty = true;
        }
        if (overviewDirty) {
            paintOverview();
        }
    }
}

package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.GraphLayout.RoutedEdge;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.viewmodel.Notice;
import javafx.beans.property.ReadOnlyDoubleProperty;
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

    static final double MIN_ZOOM = 0.15;
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
    /** A press on the background started a pan (a card's press, e.g. a drag, does not). */
    private boolean panning;

    private Node selected;
    /** A card's context menu by its key (the transaction composer's actions), or null for none. */
    private Function<String, ContextMenu> cardMenu = key -> null;
    private final Map<String, List<Node>> edgesByNode = new HashMap<>();
    /** Drags drive cards onto other lanes; null until {@link #setDriveDrop} (then cards pan no more). */
    private CardDragger dragger;
    /** A lane's right-click menu (IOThreads), or null for none. */
    private Function<Lane, ContextMenu> laneMenu = lane -> null;
    /** The drawn cards by key and lanes by {@code lane:ID}: where notices about them are shown. */
    private final Map<String, Node> anchors = new HashMap<>();
    private final Map<Node, LaneBand> drawnLanes = new HashMap<>();
    private final ReadOnlyIntegerWrapper drawCount = new ReadOnlyIntegerWrapper();

    public GraphCanvas() {
        setId("graphCanvas");
        getStyleClass().add("graph-canvas");
        // transforms apply last-first: screen = pan + zoom × world
        world.getTransforms().addAll(pan, zoom);
        world.getChildren().add(content);
        getChildren().add(world);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);

        // a click in the graph gives it the keyboard, so Edit's shortcuts (undo a move) are not a text field's
        addEventFilter(MouseEvent.MOUSE_PRESSED, e -> requestFocus());
        setOnScroll(this::zoomAtCursor);
        setOnMousePressed(this::startPan);
        setOnMouseDragged(this::drag);
        setOnMouseReleased(e -> {
            panning = false;
            setCursor(Cursor.DEFAULT);
        });
        setOnMouseClicked(e -> {
            if (e.isStillSincePress()) {
                select(null, "");
            }
        });
        widthProperty().addListener((o, a, b) -> refit());
        heightProperty().addListener((o, a, b) -> refit());
    }

    /** Draws a new layout, keeping the selection by key when it still exists. */
    public void show(GraphLayout newLayout) {
        String previousKey = selected == null ? null : (String) selected.getProperties().get(GraphCards.KEY);
        layout = newLayout;
        content.getChildren().clear();
        edgesByNode.clear();
        anchors.clear();
        drawnLanes.clear();
        selected = null;
        if (newLayout == null) {
            selectionText.set("");
            selectedKey.set(null);
            return;
        }
        Map<String, Node> selectableByKey = new HashMap<>();
        Map<String, String> textByKey = new HashMap<>();
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
                        selectableByKey.put(key, header);
                        textByKey.put(key, text);
                    });
            lanes.getChildren().add(laneNode);
            laneDrawn(laneNode, band);
        }
        for (PlacedNode p : newLayout.nodes()) {
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
            cards.getChildren().add(card);
            cardDrawn(card, p);
            selectableByKey.put(p.node().key(), card);
            textByKey.put(p.node().key(), text);
        }
        for (RoutedEdge r : newLayout.edges()) {
            Group edge = GraphCards.edge(r, newLayout.state());
            String text = GraphCards.describe(r, newLayout.state());
            edge.setOnMouseClicked(e -> clicked(e, edge, text));
            edges.getChildren().add(edge);
            edgesByNode.computeIfAbsent(r.edge().parentKey(), k -> new ArrayList<>()).add(edge);
            edgesByNode.computeIfAbsent(r.edge().childKey(), k -> new ArrayList<>()).add(edge);
        }
        content.getChildren().addAll(lanes, edges, cards);
        // the same key again is no change, so the inspector keeps what it shows (e.g. an edit's outcome)
        if (previousKey != null && selectableByKey.containsKey(previousKey)) {
            select(selectableByKey.get(previousKey), textByKey.get(previousKey));
        } else {
            selectionText.set("");
            selectedKey.set(null);
        }
        refit();
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
        s = Math.max(MIN_ZOOM, s);
        setZoom(s);
        pan.setX(FIT_MARGIN);
        pan.setY(FIT_MARGIN);
    }

    private void zoomAtCursor(ScrollEvent e) {
        if (e.getDeltaY() == 0) {
            return;
        }
        double s0 = zoom.getX();
        double s1 = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, s0 * Math.pow(1.0025, e.getDeltaY())));
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
        double s1 = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, s0 * factor));
        double cx = getWidth() / 2;
        double cy = getHeight() / 2;
        double wx = (cx - pan.getX()) / s0;
        double wy = (cy - pan.getY()) / s0;
        setZoom(s1);
        pan.setX(cx - s1 * wx);
        pan.setY(cy - s1 * wy);
        autoFit = false;
    }

    private void setZoom(double s) {
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
        return content.snapshot(params, null);
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
        // the world group is positioned by its transforms only
    }
}

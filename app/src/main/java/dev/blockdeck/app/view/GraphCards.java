package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.GraphLayout.Point;
import dev.blockdeck.app.layout.GraphLayout.RoutedEdge;
import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.viewmodel.GraphText;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Polyline;
import javafx.scene.shape.Rectangle;
import javafx.util.Duration;

import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the scene-graph pieces of the graph: lane bands, node cards and edges. Few, light nodes each;
 * style classes and properties are how tests and CSS find them:
 * <ul>
 *   <li>{@code .lane} (user data: lane id, {@code main-loop} or the iothread id), badge {@code .lane-badge.assumed};</li>
 *   <li>{@code .node-card} with {@code .kind-format} etc.; block nodes carry their node-name as user data,
 *       every card its key ({@link #KEY}) and lane ({@link #LANE}) in its properties;</li>
 *   <li>{@code .edge-group} with {@code .role-file} etc.</li>
 * </ul>
 */
final class GraphCards {

    static final String KEY = "blockdeck.key";
    static final String LANE = "blockdeck.lane";
    private static final double ARROW = 7;

    private GraphCards() {
    }

    static String describe(GraphNode n) {
        return GraphText.describe(n);
    }

    static String describe(RoutedEdge r, BlockState state) {
        String text = GraphText.describe(r.edge(), state);
        return r.crossesLanes() ? text + "\nThis edge crosses AioContexts: QEMU never allows that; the report is inconsistent."
                : text;
    }

    /**
     * @param selectable told about the header of an IOThread lane, which selects the IOThread when clicked
     *                   (its key, {@code iothread:ID}, is in the header's properties under {@link #KEY})
     */
    static Node lane(LaneBand band, double width, int index, BlockState state, Consumer<Node> selectable) {
        Lane lane = band.lane();
        Rectangle bg = new Rectangle(0, band.y(), width, band.height());
        bg.getStyleClass().addAll("lane-band", index % 2 == 0 ? "lane-even" : "lane-odd");
        Rectangle headerBg = new Rectangle(0, band.y(), LaneLayouter.HEADER_WIDTH, band.height());
        headerBg.getStyleClass().add("lane-header");

        Label title = new Label(lane.title());
        title.getStyleClass().add("lane-title");
        VBox header = new VBox(1, title);
        for (String fact : GraphText.laneFacts(lane)) {
            Label l = new Label(fact);
            l.getStyleClass().add("lane-facts");
            header.getChildren().add(l);
        }
        if (lane.assumed()) {
            Label badge = new Label("context assumed");
            badge.getStyleClass().addAll("lane-badge", "assumed");
            badge.setTooltip(tooltip(GraphText.laneAssumptions(lane)));
            VBox.setMargin(badge, new Insets(4, 0, 0, 0));
            header.getChildren().add(badge);
        }
        header.setLayoutX(12);
        header.setLayoutY(band.y() + 10);
        header.setMaxWidth(LaneLayouter.HEADER_WIDTH - 20);
        if (lane.iothread() != null) {
            // the whole header column is the click target, not just its text
            header.setMinWidth(LaneLayouter.HEADER_WIDTH - 20);
            header.setPrefWidth(LaneLayouter.HEADER_WIDTH - 20);
            header.setMinHeight(band.height() - 20);
            header.getStyleClass().add("lane-header-box");
            header.getProperties().put(KEY, BlockState.iothreadKey(lane.iothread()));
            header.setId("laneHeader-" + cssId(lane.iothread()));
            Tooltip.install(header, tooltip("Click to inspect IOThread " + lane.iothread()
                    + " (query-iothreads; its polling parameters are editable)"));
            selectable.accept(header);
        }

        Group group = new Group(bg, headerBg, header);
        if (lane.nodes().isEmpty()) {
            Label empty = new Label(GraphText.emptyLane(state));
            empty.getStyleClass().add("lane-empty");
            empty.setLayoutX(LaneLayouter.HEADER_WIDTH + LaneLayouter.LANE_PADDING);
            empty.setLayoutY(band.y() + band.height() / 2 - 9);
            group.getChildren().add(empty);
        }
        group.getStyleClass().add("lane");
        group.setId("lane-" + cssId(lane.id()));
        group.setUserData(lane.id());
        return group;
    }

    static Node card(PlacedNode p) {
        GraphNode n = p.node();
        Label name = new Label(n.name());
        name.getStyleClass().add("card-title");
        name.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        name.setMinWidth(0);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox top = new HBox(4, name, grow);
        top.setAlignment(Pos.CENTER_LEFT);
        if (n.dirtyBitmaps() > 0) {
            top.getChildren().add(badge(n.dirtyBitmaps() + (n.dirtyBitmaps() == 1 ? " bitmap" : " bitmaps"), "badge-bitmaps"));
        }
        if (n.readOnly()) {
            top.getChildren().add(badge("RO", "badge-ro"));
        }
        Label sub = new Label(GraphText.subtitle(n));
        sub.getStyleClass().add("card-sub");
        Label detail = new Label(GraphText.detail(n));
        detail.getStyleClass().add("card-detail");
        detail.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);

        VBox card = new VBox(1, top, sub, detail);
        card.getStyleClass().addAll("node-card", n.kind().styleClass());
        if (n.placement().assumed()) {
            card.getStyleClass().add("context-assumed");
        }
        card.setLayoutX(p.x());
        card.setLayoutY(p.y());
        card.setMinSize(p.width(), p.height());
        card.setPrefSize(p.width(), p.height());
        card.setMaxSize(p.width(), p.height());
        card.setId("card-" + cssId(n.key()));
        card.getProperties().put(KEY, n.key());
        card.getProperties().put(LANE, p.laneId());
        if (n.isBlockNode()) {
            card.setUserData(n.name());
        }
        Tooltip.install(card, tooltip(describe(n)));
        return card;
    }

    static Group edge(RoutedEdge r, BlockState state) {
        List<Point> pts = r.points();
        double[] coords = new double[pts.size() * 2];
        for (int i = 0; i < pts.size(); i++) {
            coords[2 * i] = pts.get(i).x();
            coords[2 * i + 1] = pts.get(i).y();
        }
        Polyline hit = new Polyline(coords);
        hit.getStyleClass().add("edge-hit");
        Polyline line = new Polyline(coords);
        line.getStyleClass().add("edge");
        line.setMouseTransparent(true);
        Group g = new Group(hit, line);
        if (pts.size() >= 2) {
            g.getChildren().add(arrow(pts.get(pts.size() - 2), pts.get(pts.size() - 1)));
        }
        Label label = new Label(r.edge().role());
        label.getStyleClass().add("edge-label");
        label.setAlignment(Pos.CENTER);
        double w = LaneLayouter.labelWidth(r.edge().role());
        label.setMinSize(w, LaneLayouter.LABEL_HEIGHT);
        label.setPrefSize(w, LaneLayouter.LABEL_HEIGHT);
        label.setMaxSize(w, LaneLayouter.LABEL_HEIGHT);
        label.setLayoutX(r.label().x() - w / 2);
        label.setLayoutY(r.label().y() - LaneLayouter.LABEL_HEIGHT / 2);
        g.getChildren().add(label);
        Tooltip tip = tooltip(describe(r, state));
        Tooltip.install(hit, tip);
        Tooltip.install(label, tip);
        g.getStyleClass().addAll("edge-group", "role-" + cssId(r.edge().role()));
        if (r.crossesLanes()) {
            g.getStyleClass().add("crosses-lanes");
        }
        return g;
    }

    private static Polygon arrow(Point from, Point to) {
        double dx = to.x() - from.x();
        double dy = to.y() - from.y();
        double len = Math.max(1e-6, Math.hypot(dx, dy));
        double ux = dx / len;
        double uy = dy / len;
        double bx = to.x() - ux * ARROW;
        double by = to.y() - uy * ARROW;
        Polygon p = new Polygon(to.x(), to.y(), bx - uy * ARROW / 2, by + ux * ARROW / 2, bx + uy * ARROW / 2,
                by - ux * ARROW / 2);
        p.getStyleClass().add("edge-arrow");
        p.setMouseTransparent(true);
        return p;
    }

    private static Label badge(String text, String style) {
        Label l = new Label(text);
        l.getStyleClass().addAll("card-badge", style);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Tooltip tooltip(String text) {
        Tooltip t = new Tooltip(text);
        t.setShowDelay(Duration.millis(300));
        t.setShowDuration(Duration.seconds(30));
        t.setWrapText(true);
        t.setMaxWidth(460);
        return t;
    }

    /** Node names may hold '#', '.', ':' — not valid in a CSS id selector. */
    static String cssId(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}

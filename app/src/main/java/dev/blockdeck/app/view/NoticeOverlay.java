package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.viewmodel.Notice;
import dev.blockdeck.app.viewmodel.NoticeBoard;
import javafx.animation.PauseTransition;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.transform.Transform;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Shows the latest {@link Notice} as a bubble over the graph, next to the card or lane it is about, and follows
 * it when the graph is redrawn (the moved card in its new lane), panned or zoomed. Errors stay until closed;
 * other notices fade after a while. The status bar keeps the text too (see the console's ViewModel).
 */
final class NoticeOverlay {

    static final Duration SHOWN = Duration.seconds(7);
    private static final double GAP = 8;
    private static final double CLOSE_ROOM = 22;

    private final Pane layer;
    private final GraphCanvas canvas;
    private final NoticeBoard board;
    private final HBox bubble;
    private final Button close = new Button();
    private final Label text = new Label();
    private final FontIcon icon = new FontIcon();
    private final PauseTransition timer = new PauseTransition(SHOWN);
    private final ChangeListener<Transform> follow = (o, a, b) -> place();
    /** A card drawn just now has no size until its first layout pass. */
    private final ChangeListener<Bounds> resized = (o, a, b) -> place();
    private Node anchor;
    private Notice shown;

    /** @param layer a transparent pane over the canvas, the same size */
    NoticeOverlay(Pane layer, GraphCanvas canvas, NoticeBoard board) {
        this.layer = layer;
        this.canvas = canvas;
        this.board = board;
        layer.setPickOnBounds(false);
        text.setId("graphNotice");
        text.setWrapText(true);
        text.setMaxWidth(400);
        text.setMinHeight(Region.USE_PREF_SIZE);
        text.getStyleClass().add("notice-text");
        close.setGraphic(new FontIcon("fth-x"));
        close.getStyleClass().addAll("flat", "button-icon", "notice-close");
        close.setId("graphNoticeClose");
        close.setOnAction(e -> board.dismiss(shown));
        close.setManaged(false);
        close.setVisible(false);
        // room for the close button, which lies over the bubble rather than in it: the bubble lets the mouse
        // through, so it never hides a card from a drag or a click
        Region room = new Region();
        room.setMinWidth(CLOSE_ROOM);
        bubble = new HBox(8, icon, text, room);
        bubble.setAlignment(Pos.TOP_LEFT);
        bubble.getStyleClass().add("graph-notice");
        bubble.setId("graphNoticeBubble");
        bubble.setManaged(false);
        bubble.setVisible(false);
        bubble.setMouseTransparent(true);
        layer.getChildren().addAll(bubble, close);

        timer.setOnFinished(e -> board.dismiss(shown));
        board.latestProperty().addListener((o, a, notice) -> show(notice));
        canvas.drawCountProperty().addListener((o, a, b) -> reanchor());
        layer.widthProperty().addListener((o, a, b) -> place());
        layer.heightProperty().addListener((o, a, b) -> place());
        show(board.latestProperty().get());
    }

    private void show(Notice notice) {
        shown = notice;
        timer.stop();
        if (notice == null) {
            bubble.setVisible(false);
            close.setVisible(false);
            setAnchor(null);
            return;
        }
        text.setText(notice.text());
        bubble.getStyleClass().removeIf(c -> c.startsWith("notice-"));
        bubble.getStyleClass().add("notice-" + notice.kind().name().toLowerCase());
        icon.setIconLiteral(switch (notice.kind()) {
            case PROGRESS -> "fth-loader";
            case SUCCESS -> "fth-check-circle";
            case INFO -> "fth-info";
            case ERROR -> "fth-alert-octagon";
        });
        bubble.setVisible(true);
        close.setVisible(true);
        reanchor();
        if (notice.kind() == Notice.Kind.SUCCESS || notice.kind() == Notice.Kind.INFO) {
            timer.playFromStart();
        }
    }

    private void reanchor() {
        setAnchor(shown == null ? null : canvas.anchor(shown.anchor()));
        place();
    }

    private void setAnchor(Node node) {
        if (anchor != null) {
            anchor.localToSceneTransformProperty().removeListener(follow);
            anchor.layoutBoundsProperty().removeListener(resized);
        }
        anchor = node;
        if (anchor != null) {
            anchor.localToSceneTransformProperty().addListener(follow);
            anchor.layoutBoundsProperty().addListener(resized);
        }
    }

    /**
     * Below the anchor (above it when there is no room), kept inside the graph; top centre without one. The close
     * button goes over the bubble's right end.
     */
    private void place() {
        if (!bubble.isVisible()) {
            return;
        }
        // unmanaged: sized here, after its styles apply (the font decides how many lines the text takes)
        bubble.applyCss();
        bubble.autosize();
        double w = bubble.getWidth();
        double h = bubble.getHeight();
        double x = (layer.getWidth() - w) / 2;
        double y = GAP;
        if (anchor != null && anchor.getScene() != null) {
            Bounds local = anchor.getBoundsInLocal();
            Bounds b = layer.sceneToLocal(anchor.localToScene(local));
            if (shown.anchor().startsWith(Notice.lane(""))) {
                // a lane is as wide as the graph: inside it, right of its header (a lane is in world coordinates)
                Point2D p = layer.sceneToLocal(anchor.localToScene(local.getMinX() + LaneLayouter.HEADER_WIDTH + GAP,
                        local.getMinY() + GAP));
                x = p.getX();
                y = p.getY();
            } else {
                x = b.getMinX();
                y = b.getMaxY() + GAP;
                if (y + h > layer.getHeight() - GAP && b.getMinY() - GAP - h >= 0) {
                    y = b.getMinY() - GAP - h;
                }
            }
        }
        double bx = Math.max(GAP, Math.min(x, layer.getWidth() - w - GAP));
        double by = Math.max(GAP, Math.min(y, layer.getHeight() - h - GAP));
        bubble.relocate(bx, by);
        close.applyCss();
        close.autosize();
        close.relocate(bx + w - close.getWidth() - 4, by + (h - close.getHeight()) / 2);
    }
}

package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Drags a drive's card onto another lane of the graph. Plain mouse events (press, drag, release), not a
 * drag-and-drop gesture: the card follows the pointer inside the canvas, the lane under it is highlighted
 * ({@code .lane.drop-target}), and a release over another lane reports {@code (key, iothread)} (null for the main
 * loop). The card always returns to its place: the graph is redrawn once the VM has answered.
 */
final class CardDragger {

    /** Below this many pixels a press and release is a click (selection), not a drag. */
    static final double THRESHOLD = 5;

    private final Node world;
    private final Predicate<String> draggable;
    private final BiConsumer<String, String> onDrop;
    private final Map<Node, LaneBand> lanes = new LinkedHashMap<>();

    /** The card pressed until its release, even when a redraw cancelled its drag (its events are still ours). */
    private Node grabbed;
    private Node card;
    private String fromLane;
    private Point2D pressed;
    private boolean dragging;
    private Node highlighted;

    /**
     * @param world     the group in whose coordinates the lane bands are laid out
     * @param draggable whether the card of a key moves a drive
     * @param onDrop    told the key and the target lane's iothread (null: main loop) when dropped on another lane
     */
    CardDragger(Node world, Predicate<String> draggable, BiConsumer<String, String> onDrop) {
        this.world = world;
        this.draggable = draggable;
        this.onDrop = onDrop;
    }

    /** A new drawing: its lanes (each lane's group and band). Any drag in progress is dropped. */
    void lanes(Map<Node, LaneBand> drawn) {
        cancel();
        lanes.clear();
        lanes.putAll(drawn);
    }

    /** Makes a card draggable when {@code draggable} says so for its key. */
    void install(Node c, String key, String laneId) {
        c.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            if (e.getButton() != MouseButton.PRIMARY || !draggable.test(key)) {
                return;
            }
            grabbed = c;
            card = c;
            fromLane = laneId;
            pressed = c.getParent().sceneToLocal(e.getSceneX(), e.getSceneY());
            dragging = false;
            e.consume();
        });
        c.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (card != c) {
                if (grabbed == c) {
                    e.consume();
                }
                return;
            }
            Point2D now = c.getParent().sceneToLocal(e.getSceneX(), e.getSceneY());
            double dx = now.getX() - pressed.getX();
            double dy = now.getY() - pressed.getY();
            if (!dragging && Math.hypot(dx, dy) < THRESHOLD) {
                e.consume();
                return;
            }
            if (!dragging) {
                dragging = true;
                c.toFront();
                c.getStyleClass().add("dragging");
            }
            c.setTranslateX(dx);
            c.setTranslateY(dy);
            highlight(laneAt(e.getSceneX(), e.getSceneY()));
            e.consume();
        });
        c.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            if (grabbed == c) {
                grabbed = null;
                e.consume();
            }
            if (card != c) {
                return;
            }
            Node target = dragging ? laneAt(e.getSceneX(), e.getSceneY()) : null;
            String from = fromLane;
            cancel();
            e.consume();
            if (target != null && !lanes.get(target).lane().id().equals(from)) {
                onDrop.accept(key, lanes.get(target).lane().iothread());
            }
        });
    }

    /** Whether a card is being dragged (beyond the click threshold). */
    boolean dragging() {
        return dragging;
    }

    private void cancel() {
        if (card != null) {
            card.setTranslateX(0);
            card.setTranslateY(0);
            card.getStyleClass().remove("dragging");
        }
        highlight(null);
        card = null;
        dragging = false;
    }

    /** The lane whose band holds a scene point, or null (above or below the graph). */
    private Node laneAt(double sceneX, double sceneY) {
        Point2D p = world.sceneToLocal(sceneX, sceneY);
        for (Map.Entry<Node, LaneBand> e : lanes.entrySet()) {
            LaneBand b = e.getValue();
            if (p.getY() >= b.y() && p.getY() < b.y() + b.height()) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Highlights the lane a drop would move to; the card's own lane is not a target. */
    private void highlight(Node lane) {
        Node target = lane != null && !lanes.get(lane).lane().id().equals(fromLane) ? lane : null;
        if (target == highlighted) {
            return;
        }
        if (highlighted != null) {
            highlighted.getStyleClass().remove("drop-target");
        }
        highlighted = target;
        if (target != null) {
            target.getStyleClass().add("drop-target");
        }
    }
}

package dev.blockdeck.app.view;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Find by name in the graph (Shortcut+F): the cards whose node-name, BlockBackend name or guest device id
 * contains the text (any case) are marked; Enter selects the next one (as a click would: the inspector follows),
 * Shift+Enter the one before, Escape closes. The marks follow a new layout.
 */
final class GraphFind {

    static final String MATCH = "find-match";

    private final Node canvas;
    private final Supplier<BlockState> state;
    private final HBox bar;
    private final TextField field;
    private final Label count;
    private List<Node> matches = List.of();
    private int current = -1;

    GraphFind(Node canvas, Supplier<BlockState> state, HBox bar, TextField field, Label count) {
        this.canvas = canvas;
        this.state = state;
        this.bar = bar;
        this.field = field;
        this.count = count;
        bar.managedProperty().bind(bar.visibleProperty());
        bar.setVisible(false);
        field.textProperty().addListener((o, a, b) -> mark());
        field.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                next(e.isShiftDown() ? -1 : 1);
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                close();
                e.consume();
            }
        });
    }

    /** Shows the bar and puts the cursor in it. */
    void open() {
        bar.setVisible(true);
        field.requestFocus();
        field.selectAll();
        mark();
    }

    void close() {
        bar.setVisible(false);
        field.clear();
        mark();
    }

    /** The graph was drawn again: its cards are new. */
    void relayout() {
        Platform.runLater(this::mark);
    }

    private void mark() {
        canvas.lookupAll(".node-card").forEach(n -> n.getStyleClass().remove(MATCH));
        String text = bar.isVisible() ? field.getText().strip().toLowerCase(Locale.ROOT) : "";
        if (text.isEmpty()) {
            matches = List.of();
            count.setText("");
            current = -1;
            return;
        }
        List<Node> found = new ArrayList<>();
        BlockState s = state.get();
        for (Node card : canvas.lookupAll(".node-card")) {
            Object key = card.getProperties().get(GraphCards.KEY);
            GraphNode n = s == null || key == null ? null : s.node(key.toString()).orElse(null);
            if (n != null && (matches(n.name(), text) || matches(n.device(), text))) {
                card.getStyleClass().add(MATCH);
                found.add(card);
            }
        }
        // top to bottom, then left to right, as the eye reads the lanes
        found.sort((a, b) -> {
            int byY = Double.compare(a.getLayoutY(), b.getLayoutY());
            return byY != 0 ? byY : Double.compare(a.getLayoutX(), b.getLayoutX());
        });
        matches = found;
        current = -1;
        count.setText(found.isEmpty() ? "no match" : found.size() == 1 ? "1 match" : found.size() + " matches");
    }

    private static boolean matches(String name, String text) {
        return name != null && name.toLowerCase(Locale.ROOT).contains(text);
    }

    /** Selects the next (or previous) match, as a click on it would. */
    private void next(int step) {
        if (matches.isEmpty()) {
            return;
        }
        current = Math.floorMod(current + step, matches.size());
        Node card = matches.get(current);
        count.setText((current + 1) + " of " + matches.size());
        // the canvas selects on a click that did not drag: the same event, still since its press
        Event.fireEvent(card, new MouseEvent(MouseEvent.MOUSE_CLICKED, 0, 0, 0, 0, MouseButton.PRIMARY, 1,
                false, false, false, false, true, false, false, false, false, true, null));
    }
}

package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.viewmodel.NodeSearch;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;

import java.util.List;

/**
 * The toolbar's find field: as you type it counts the matches ({@link NodeSearch}); Enter selects the next one
 * and brings it into view, zoomed in far enough to read; Esc clears and gives the graph the focus back.
 */
final class GraphFind {

    private static final PseudoClass NO_MATCH = PseudoClass.getPseudoClass("no-match");

    private final TextField field;
    private final Label count;
    private final GraphCanvas canvas;
    private List<String> matches = List.of();
    private int current = -1;
    private GraphLayout searched;

    GraphFind(TextField field, Label count, GraphCanvas canvas) {
        this.field = field;
        this.count = count;
        this.canvas = canvas;
        field.textProperty().addListener((o, a, b) -> search());
        field.setOnAction(e -> next());
        field.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                field.clear();
                canvas.requestFocus();
                e.consume();
            }
        });
    }

    void focus() {
        field.requestFocus();
        field.selectAll();
    }

    private void search() {
        GraphLayout layout = canvas.graphLayout();
        searched = layout;
        matches = layout == null ? List.of()
                : NodeSearch.find(layout.nodes().stream().map(GraphLayout.PlacedNode::node).toList(), field.getText());
        current = -1;
        boolean typed = !field.getText().isBlank();
        field.pseudoClassStateChanged(NO_MATCH, typed && matches.isEmpty());
        count.setText(!typed ? "" : matches.isEmpty() ? "no match" : matches.size() + (matches.size() == 1 ? " match" : " matches"));
    }

    /** Enter: the next match (from the first again after the last). */
    private void next() {
        if (canvas.graphLayout() != searched) {
            search(); // the graph was read again since
        }
        if (matches.isEmpty()) {
            return;
        }
        current = (current + 1) % matches.size();
        canvas.reveal(matches.get(current));
        count.setText((current + 1) + " of " + matches.size());
    }
}

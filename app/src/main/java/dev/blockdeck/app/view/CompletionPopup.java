package dev.blockdeck.app.view;

import dev.blockdeck.app.model.Completer.Completion;
import javafx.geometry.Bounds;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Popup;

import java.util.List;
import java.util.function.Function;

/**
 * Completion for a command line, shown as you type: a list under the field. Tab (or Enter once a suggestion
 * was picked with Up/Down, or a click) inserts it; Escape closes it. While the list is closed, Enter and
 * Up/Down are the field's own (run, history). The field keeps the focus throughout.
 */
final class CompletionPopup {

    private static final int ROWS = 8;
    private static final double ROW_HEIGHT = 24;

    private final TextField field;
    private final Function<String, List<Completion>> source;
    private final Popup popup = new Popup();
    private final ListView<Completion> list = new ListView<>();
    /** The user moved in the list: Enter then means "take this one", not "run the line". */
    private boolean picked;
    private boolean inserting;

    CompletionPopup(TextField field, Function<String, List<Completion>> source) {
        this.field = field;
        this.source = source;
        list.setId("qmpCompletions");
        list.getStyleClass().add("completion-list");
        list.setFocusTraversable(false);
        list.setPrefWidth(460);
        list.setFixedCellSize(ROW_HEIGHT);
        // the popup is its own scene: it does not inherit the console's stylesheets
        list.getStylesheets().add(CompletionPopup.class.getResource("/dev/blockdeck/app/view/panels.css").toExternalForm());
        list.setOnMouseClicked(e -> {
            if (list.getSelectionModel().getSelectedItem() != null) {
                insert(list.getSelectionModel().getSelectedItem());
            }
        });
        popup.getContent().add(list);
        popup.setAutoHide(true);
        popup.setAutoFix(true);

        field.textProperty().addListener((o, a, b) -> {
            if (!inserting && field.isFocused()) {
                update();
            }
        });
        field.caretPositionProperty().addListener((o, a, b) -> {
            if (!inserting && popup.isShowing()) {
                update();
            }
        });
        field.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                hide();
            }
        });
        // a filter, so these keys are ours before the field (or a popup's redirect) acts on them
        field.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
    }

    private void key(KeyEvent e) {
        KeyCode code = e.getCode();
        if (code == KeyCode.TAB && !e.isShiftDown()) {
            if (!popup.isShowing()) {
                update();
                List<Completion> items = list.getItems();
                if (items.size() == 1) {
                    insert(items.get(0));
                }
            } else if (!list.getItems().isEmpty()) {
                Completion c = list.getSelectionModel().getSelectedItem();
                insert(c != null ? c : list.getItems().get(0));
            }
            e.consume(); // Tab completes here; it must not move the focus away from the command line
            return;
        }
        if (!popup.isShowing()) {
            return;
        }
        switch (code) {
            case DOWN, UP -> {
                int size = list.getItems().size();
                int at = list.getSelectionModel().getSelectedIndex();
                int next = code == KeyCode.DOWN ? Math.min(size - 1, at + 1) : Math.max(0, at - 1);
                list.getSelectionModel().select(next);
                list.scrollTo(Math.max(0, next - ROWS / 2));
                picked = true;
                e.consume();
            }
            case ENTER -> {
                if (picked && list.getSelectionModel().getSelectedItem() != null) {
                    insert(list.getSelectionModel().getSelectedItem());
                    e.consume();
                } else {
                    hide();
                }
            }
            case ESCAPE -> {
                hide();
                e.consume();
            }
            default -> { }
        }
    }

    /** Asks for completions of the text before the caret and shows them, or hides the list if none. */
    void update() {
        String before = field.getText().substring(0, Math.min(field.getCaretPosition(), field.getText().length()));
        List<Completion> items = before.isBlank() ? List.of() : source.apply(before);
        // a word typed out in full needs no list
        if (items.isEmpty() || items.size() == 1 && before.endsWith(items.get(0).text())) {
            hide();
            return;
        }
        list.getItems().setAll(items);
        list.getSelectionModel().select(0);
        list.scrollTo(0);
        picked = false;
        list.setPrefHeight(Math.min(ROWS, items.size()) * ROW_HEIGHT + 2);
        if (!popup.isShowing() && field.getScene() != null && field.getScene().getWindow() != null) {
            Bounds b = field.localToScreen(field.getBoundsInLocal());
            if (b != null) {
                // above the field: the command line sits at the bottom of the window
                popup.show(field, b.getMinX(), b.getMinY() - list.getPrefHeight() - 4);
            }
        } else if (popup.isShowing()) {
            Bounds b = field.localToScreen(field.getBoundsInLocal());
            if (b != null) {
                popup.setX(b.getMinX());
                popup.setY(b.getMinY() - list.getPrefHeight() - 4);
            }
        }
    }

    private void insert(Completion c) {
        String text = field.getText();
        int caret = Math.min(field.getCaretPosition(), text.length());
        int start = Math.max(0, Math.min(c.start(), caret));
        inserting = true;
        try {
            field.setText(text.substring(0, start) + c.text() + text.substring(caret));
            field.positionCaret(start + c.text().length());
        } finally {
            inserting = false;
        }
        hide();
        // what comes next (the arguments after a command, a value after key=) is offered right away
        update();
    }

    void hide() {
        popup.hide();
        picked = false;
    }
}

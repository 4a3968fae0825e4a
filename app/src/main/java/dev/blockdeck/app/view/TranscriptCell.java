package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.QmpConsoleViewModel.Entry;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.Locale;

/**
 * One transcript block: a heading (time, arrow, command or outcome) over the JSON. The kind is a style class
 * ({@code .entry-error} etc.), so errors stand out. A very long answer is cut on screen; Copy takes it whole.
 */
final class TranscriptCell extends ListCell<Entry> {

    static final int MAX_LINES = 400;

    private final Label time = new Label();
    private final Label title = new Label();
    private final Label body = new Label();
    private final VBox box = new VBox(2, new HBox(10, time, title), body);

    TranscriptCell() {
        time.getStyleClass().add("entry-time");
        title.getStyleClass().add("entry-title");
        body.getStyleClass().add("entry-body");
        box.getStyleClass().add("entry");
        MenuItem copy = new MenuItem("Copy");
        copy.setOnAction(e -> {
            if (getItem() != null) {
                ClipboardContent c = new ClipboardContent();
                c.putString(getItem().body());
                Clipboard.getSystemClipboard().setContent(c);
            }
        });
        setContextMenu(new ContextMenu(copy));
    }

    @Override
    protected void updateItem(Entry item, boolean empty) {
        super.updateItem(item, empty);
        box.getStyleClass().removeIf(s -> s.startsWith("entry-"));
        if (empty || item == null) {
            setGraphic(null);
            return;
        }
        box.getStyleClass().add("entry-" + item.kind().name().toLowerCase(Locale.ROOT));
        time.setText(item.time());
        title.setText(item.title());
        body.setText(cut(item.body()));
        body.setVisible(!item.body().isEmpty());
        body.setManaged(body.isVisible());
        setGraphic(box);
    }

    static String cut(String text) {
        int at = -1;
        for (int i = 0; i < MAX_LINES; i++) {
            at = text.indexOf('\n', at + 1);
            if (at < 0) {
                return text;
            }
        }
        long more = text.substring(at).lines().count() - 1;
        return text.substring(0, at) + "\n… " + more + " more lines (right-click › Copy for all of it)";
    }
}

package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.WireTraceViewModel;
import dev.blockdeck.app.viewmodel.WireTraceViewModel.Entry;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;

/** Controller of {@code WireTraceView.fxml}: every message on the QMP wire, one line each. */
public final class WireTraceController {

    @FXML private TextField wireFilter;
    @FXML private Label wireCount;
    @FXML private CheckBox wireFollow;
    @FXML private Button wireCopy;
    @FXML private Button wireClear;
    @FXML private ListView<Entry> wireList;

    public void bind(WireTraceViewModel vm) {
        wireList.setItems(vm.shown());
        wireList.setCellFactory(l -> new WireCell());
        wireList.setPlaceholder(new Label("Nothing on the wire yet."));
        wireFilter.textProperty().bindBidirectional(vm.filterProperty());
        wireCount.textProperty().bind(Bindings.createStringBinding(
                () -> vm.shown().size() + " of " + vm.all().size() + " messages", vm.shown(), vm.all()));
        vm.shown().addListener((ListChangeListener<Entry>) c -> {
            if (wireFollow.isSelected() && !vm.shown().isEmpty()) {
                wireList.scrollTo(vm.shown().size() - 1);
            }
        });
        wireClear.setOnAction(e -> vm.clear());
        wireCopy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(vm.shownAsText());
            Clipboard.getSystemClipboard().setContent(c);
        });
    }

    /**
     * How much of a message a row and its tooltip show: laying out a 1,000-node answer (~1 MB of JSON) as one
     * label's text held the FX thread for a quarter of a second; the row is one line anyway, and Copy copies it all.
     */
    static final int LINE_CHARS = 1_000;
    static final int TIP_CHARS = 8_000;

    /** The first {@code max} characters of {@code json}, and how much was left out. */
    static String clip(String json, int max) {
        if (json.length() <= max) {
            return json;
        }
        return json.substring(0, max) + " … (" + String.format(java.util.Locale.ROOT, "%,d", json.length() - max)
                + " more characters: Copy for all)";
    }

    /** {@code 12:03:05.123 → {"execute": ...}}: sent and received in different colours. */
    private static final class WireCell extends ListCell<Entry> {
        private final Label time = new Label();
        private final Label arrow = new Label();
        private final Label json = new Label();
        private final Label note = new Label();
        private final HBox box = new HBox(8, time, arrow, json, note);
        private final Tooltip tip = new Tooltip();

        WireCell() {
            time.getStyleClass().add("wire-time");
            arrow.getStyleClass().add("wire-arrow");
            json.getStyleClass().add("wire-json");
            note.getStyleClass().add("wire-note");
            note.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            json.setMinWidth(0);
            tip.setWrapText(true);
            tip.setMaxWidth(720);
        }

        @Override
        protected void updateItem(Entry item, boolean empty) {
            super.updateItem(item, empty);
            box.getStyleClass().removeAll("wire-sent", "wire-received");
            if (empty || item == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            box.getStyleClass().add(item.sent() ? "wire-sent" : "wire-received");
            time.setText(item.time());
            arrow.setText(item.arrow());
            json.setText(clip(item.json(), LINE_CHARS));
            note.setText(item.note().isEmpty() ? "" : "(" + item.note() + ")");
            tip.setText(clip(item.json(), TIP_CHARS));
            setTooltip(tip);
            setGraphic(box);
        }
    }
}

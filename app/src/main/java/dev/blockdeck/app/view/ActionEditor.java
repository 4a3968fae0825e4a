package dev.blockdeck.app.view;

import dev.blockdeck.app.txn.ActionField;
import dev.blockdeck.app.viewmodel.ActionRow;
import dev.blockdeck.app.viewmodel.TransactionViewModel;
import javafx.geometry.HPos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

import java.util.ArrayList;
import java.util.List;

/**
 * The form for one action of the composer: a field per member of its {@code data} (id
 * {@code #txnField-NAME}), with ControlsFX validation marking what keeps it from being sent (the
 * {@link dev.blockdeck.app.txn.TxnAction#problem model's rules}, so the marks and the Apply button agree).
 * Every keystroke goes to the ViewModel as an edit.
 */
final class ActionEditor {

    private final TransactionViewModel vm;
    private final ActionRow row;
    private final ValidationSupport validation = new ValidationSupport();
    private final List<ComboBox<String>> bitmapFields = new ArrayList<>();

    private ActionEditor(TransactionViewModel vm, ActionRow row) {
        this.vm = vm;
        this.row = row;
    }

    /** Fills {@code into} with the form of {@code row}, or a hint when nothing is selected. */
    static ValidationSupport show(VBox into, TransactionViewModel vm, ActionRow row) {
        into.getChildren().clear();
        if (row == null) {
            Label hint = new Label("Select an action to edit it, or add one: Add action, or right-click a card in the graph.");
            hint.setWrapText(true);
            hint.getStyleClass().add("txn-editor-hint");
            into.getChildren().add(hint);
            return null;
        }
        return new ActionEditor(vm, row).build(into);
    }

    private ValidationSupport build(VBox into) {
        var kind = row.action().kind();
        Label title = new Label(kind.label());
        title.getStyleClass().add("txn-editor-title");
        Label type = new Label(kind.type());
        type.getStyleClass().add("txn-editor-type");
        Label help = new Label(kind.help());
        help.setWrapText(true);
        help.getStyleClass().add("txn-editor-help");
        into.getChildren().addAll(title, type, help);
        if (kind.fields().isEmpty()) {
            return validation;
        }
        GridPane grid = new GridPane();
        grid.getStyleClass().add("txn-editor-grid");
        grid.setHgap(8);
        grid.setVgap(6);
        ColumnConstraints names = new ColumnConstraints();
        names.setHalignment(HPos.RIGHT);
        names.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        values.setFillWidth(true);
        grid.getColumnConstraints().addAll(names, values);
        int y = 0;
        for (ActionField f : kind.fields()) {
            Label name = new Label(f.name() + (f.required() ? " *" : ""));
            name.getStyleClass().add("txn-field-name");
            Control control = control(f);
            control.setId("txnField-" + f.name());
            control.setMaxWidth(Double.MAX_VALUE);
            Tooltip tip = new Tooltip(f.help());
            tip.setShowDelay(Duration.millis(300));
            tip.setWrapText(true);
            tip.setMaxWidth(360);
            control.setTooltip(tip);
            name.setTooltip(tip);
            grid.addRow(y++, name, control);
            validation.registerValidator(control, false, (Control c, Object value) ->
                    ValidationResult.fromErrorIf(c, row.action().problem(f.name()).orElse(""),
                            row.action().problem(f.name()).isPresent()));
        }
        into.getChildren().add(grid);
        return validation;
    }

    private Control control(ActionField f) {
        String value = row.action().values().getOrDefault(f.name(), "");
        return switch (f.type()) {
            case BOOL -> {
                CheckBox box = new CheckBox();
                box.setSelected(value.equals("true"));
                box.selectedProperty().addListener((o, a, b) -> edit(f, b ? "true" : ""));
                yield box;
            }
            case NODE, BITMAP, CHOICE -> combo(f, value);
            default -> {
                TextField text = new TextField(value);
                text.getStyleClass().add("txn-field");
                text.setPromptText(f.type() == ActionField.Type.BITMAP_LIST ? "b1, node:b2" : f.required() ? "required" : "");
                text.textProperty().addListener((o, a, b) -> edit(f, b));
                yield text;
            }
        };
    }

    /** Editable combo: suggestions (the graph's names, the node's bitmaps, the member's values), any text. */
    private ComboBox<String> combo(ActionField f, String value) {
        ComboBox<String> box = new ComboBox<>();
        box.setEditable(f.type() != ActionField.Type.CHOICE || !f.choices().contains(""));
        box.getStyleClass().add("txn-field");
        switch (f.type()) {
            case NODE -> box.getItems().setAll(vm.targetChoices());
            case BITMAP -> {
                box.getItems().setAll(vm.bitmapChoices(row));
                bitmapFields.add(box);
            }
            default -> box.getItems().setAll(f.choices());
        }
        box.setValue(value);
        if (box.isEditable()) {
            box.getEditor().setText(value);
            box.getEditor().textProperty().addListener((o, a, b) -> edit(f, b));
            box.setPromptText(f.required() ? "required" : "");
        }
        box.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                edit(f, b);
            }
        });
        return box;
    }

    private void edit(ActionField f, String value) {
        vm.edit(row, f.name(), value);
        if (f.name().equals("node")) {
            bitmapFields.forEach(b -> {
                String keep = b.getEditor().getText();
                b.getItems().setAll(vm.bitmapChoices(row));
                b.getEditor().setText(keep);
            });
        }
        validation.revalidate();
    }
}

package dev.blockdeck.app.view;

import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * The inspector's editors. Read-only values are selectable text (to copy a node name or a filename); an
 * editable value commits on Enter or when the field loses focus, never per keystroke, since each commit is a
 * {@code qom-set}; Escape puts the VM's value back.
 */
final class InspectorEditors {

    private InspectorEditors() {
    }

    static PropertyEditor<?> create(PropertySheet.Item item) {
        String value = item.getValue() == null ? "" : item.getValue().toString();
        TextField field = new TextField(value);
        field.setId("inspector-" + GraphCards.cssId(item.getName()));
        field.getStyleClass().add("inspector-value");
        if (value.length() > 24) {
            Tooltip tip = new Tooltip(value);
            tip.setWrapText(true);
            tip.setMaxWidth(520);
            field.setTooltip(tip);
        }
        boolean editable = item instanceof InspectorItem i && i.row().editable();
        if (!editable) {
            field.setEditable(false);
            field.getStyleClass().add("read-only");
            field.setFocusTraversable(false);
        } else {
            field.getStyleClass().add("editable");
            field.setPromptText("integer");
            Runnable commit = () -> {
                if (!field.getText().equals(value)) {
                    item.setValue(field.getText());
                }
            };
            field.setOnAction(e -> commit.run());
            field.focusedProperty().addListener((o, was, is) -> {
                if (!is) {
                    commit.run();
                }
            });
            field.setOnKeyPressed(e -> {
                if (e.getCode() == KeyCode.ESCAPE) {
                    field.setText(value);
                    e.consume();
                }
            });
        }
        return new PropertyEditor<Object>() {
            @Override
            public Node getEditor() {
                return field;
            }

            @Override
            public Object getValue() {
                return field.getText();
            }

            @Override
            public void setValue(Object v) {
                field.setText(v == null ? "" : v.toString());
            }
        };
    }
}

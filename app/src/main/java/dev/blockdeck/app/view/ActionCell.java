package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.ActionRow;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.OverrunStyle;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * A row of the composer's list: position and QMP type, the action's description, and after an apply its
 * status ({@code rolled back}) or QEMU's error in red ({@code .txn-action-error}).
 */
final class ActionCell extends ListCell<ActionRow> {

    private final Label title = new Label();
    private final Label status = new Label();
    private final Label description = new Label();
    private final Label error = new Label();
    private final VBox box;
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
    private final ChangeListener<String> errorShown = (o, a, b) -> box().pseudoClassStateChanged(FAILED, !b.isEmpty());
    private ActionRow current;

    ActionCell() {
        title.getStyleClass().add("txn-action-title");
        status.getStyleClass().add("txn-action-status");
        status.setMinWidth(Region.USE_PREF_SIZE);
        description.getStyleClass().add("txn-action-description");
        description.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        error.getStyleClass().add("txn-action-error");
        error.setWrapText(true);
        error.managedProperty().bind(error.visibleProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        box = new VBox(1, new HBox(6, title, grow, status), description, error);
        box.getStyleClass().add("txn-action");
        box.setMinWidth(0);
        box.setPrefWidth(1);
        setPrefWidth(0);
    }

    @Override
    protected void updateItem(ActionRow row, boolean empty) {
        super.updateItem(row, empty);
        title.textProperty().unbind();
        description.textProperty().unbind();
        status.textProperty().unbind();
        error.textProperty().unbind();
        error.visibleProperty().unbind();
        if (current != null) {
            current.errorProperty().removeListener(errorShown);
            current = null;
        }
        if (empty || row == null) {
            setGraphic(null);
            return;
        }
        current = row;
        row.errorProperty().addListener(errorShown);
        box.pseudoClassStateChanged(FAILED, !row.errorProperty().get().isEmpty());
        title.textProperty().bind(Bindings.createStringBinding(
                () -> (getIndex() + 1) + "  " + row.action().kind().type(), row.actionProperty(), indexProperty()));
        description.textProperty().bind(row.descriptionProperty());
        status.textProperty().bind(row.statusProperty());
        error.textProperty().bind(row.errorProperty());
        error.visibleProperty().bind(row.errorProperty().isNotEmpty());
        setGraphic(box);
    }

    private VBox box() {
        return box;
    }
}

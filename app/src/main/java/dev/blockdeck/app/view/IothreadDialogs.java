package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.IothreadViewModel;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

/** The dialogs of IOThread creation (an id, checked as the user types) and deletion (a confirmation on QEMU). */
final class IothreadDialogs {

    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("danger");

    private IothreadDialogs() {
    }

    /** Asks for the new IOThread's id and creates it; the OK button stays off while the id would be refused. */
    static Dialog<String> create(Window owner, IothreadViewModel vm) {
        Dialog<String> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("New IOThread");
        dialog.setHeaderText("Create an IOThread (object-add, qom-type iothread)");
        dialog.setGraphic(new FontIcon("fth-plus-square"));
        TextField id = new TextField(vm.suggestion());
        id.setId("iothreadId");
        id.setPromptText("iothread id");
        Label problem = new Label();
        problem.setId("iothreadIdProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("iothread-id-problem");
        Label hint = new Label("A letter, then letters, digits, '-', '.' or '_'. The new lane is empty: drag drives onto it.");
        hint.setWrapText(true);
        hint.getStyleClass().add("text-muted");
        VBox content = new VBox(8, id, problem, hint);
        content.setPrefWidth(420);
        dialog.getDialogPane().setContent(content);
        ButtonType createType = new ButtonType("Create", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(createType, ButtonType.CANCEL);
        dialog.getDialogPane().getStylesheets().add(IothreadDialogs.class.getResource("moves.css").toExternalForm());
        Node create = dialog.getDialogPane().lookupButton(createType);
        create.setId("iothreadCreate");
        Runnable check = () -> {
            String p = vm.problem(id.getText());
            problem.setText(p);
            id.pseudoClassStateChanged(INVALID, !p.isEmpty());
            create.setDisable(!p.isEmpty());
        };
        id.textProperty().addListener((o, a, b) -> check.run());
        check.run();
        dialog.setResultConverter(b -> b == createType ? id.getText().strip() : null);
        dialog.setOnShown(e -> id.requestFocus());
        dialog.setOnHidden(e -> {
            String result = dialog.getResult();
            if (result != null) {
                vm.create(result);
            }
        });
        dialog.show();
        return dialog;
    }

    /** Deletes IOThread {@code id}, after a confirmation when the ViewModel has a warning. */
    static void delete(Window owner, IothreadViewModel vm, String id) {
        String warning = vm.deleteWarning(id);
        if (warning.isEmpty()) {
            vm.delete(id);
            return;
        }
        confirm(owner, "Delete IOThread", "Delete IOThread " + id + "?", warning, () -> vm.delete(id));
    }

    /**
     * Asks before a deletion the VM would regret ({@code warning}); runs {@code proceed} on "Delete anyway". Cancel
     * is the default button. Also for an undo or redo that deletes an IOThread.
     */
    static void confirm(Window owner, String title, String header, String warning, Runnable proceed) {
        ButtonType deleteType = new ButtonType("Delete anyway", ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.WARNING, warning, deleteType, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(header);
        alert.getDialogPane().setId("deleteIothreadAlert");
        alert.getDialogPane().setPrefWidth(520);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        ((Button) alert.getDialogPane().lookupButton(deleteType)).setDefaultButton(false);
        alert.setOnHidden(e -> {
            if (alert.getResult() == deleteType) {
                proceed.run();
            }
        });
        alert.show();
    }
}

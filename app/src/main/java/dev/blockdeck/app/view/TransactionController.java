package dev.blockdeck.app.view;

import dev.blockdeck.app.txn.ActionKind;
import dev.blockdeck.app.txn.TxnRecord;
import dev.blockdeck.app.viewmodel.ActionRow;
import dev.blockdeck.app.viewmodel.TransactionViewModel;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.validation.ValidationSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Controller of {@code TransactionView.fxml}: the composer's list, form and buttons, and the timeline, bound to
 * a {@link TransactionViewModel}. Also makes the graph cards' context menus ({@link #cardMenu}).
 */
public final class TransactionController {

    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");

    @FXML private MenuButton txnAdd;
    @FXML private Label txnTarget;
    @FXML private Label txnProblems;
    @FXML private Button txnClear;
    @FXML private Button txnApply;
    @FXML private Label txnMessage;
    @FXML private ListView<ActionRow> txnActions;
    @FXML private Button txnUp;
    @FXML private Button txnDown;
    @FXML private Button txnRemove;
    @FXML private VBox txnEditor;
    @FXML private ComboBox<TxnRecord> txnHistory;
    @FXML private TimelineChart txnTimeline;
    @FXML private ToggleGroup timelineScale;
    @FXML private ToggleButton timelineStretched;

    private TransactionViewModel vm;
    private Runnable onAdded = () -> { };
    /** The form's validation, kept while its form is shown. */
    private ValidationSupport validation;

    public void bind(TransactionViewModel vm) {
        this.vm = vm;
        txnActions.setItems(vm.actions());
        txnActions.setCellFactory(l -> new ActionCell());
        Label empty = new Label("No actions. Add action, or right-click a node or BlockBackend in the graph.");
        empty.setWrapText(true);
        empty.getStyleClass().add("txn-placeholder");
        txnActions.setPlaceholder(empty);
        txnActions.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            if (row != null) {
                vm.selectedProperty().set(row);
            }
        });
        vm.selectedProperty().addListener((o, a, row) -> showSelected(row));
        showSelected(vm.selectedProperty().get());
        txnActions.setOnKeyPressed(e -> {
            ActionRow row = vm.selectedProperty().get();
            if (row == null) {
                return;
            }
            if (e.getCode() == KeyCode.DELETE) {
                vm.remove(row);
                e.consume();
            } else if (e.isAltDown() && (e.getCode() == KeyCode.UP || e.getCode() == KeyCode.DOWN)) {
                vm.move(row, e.getCode() == KeyCode.UP ? -1 : 1);
                e.consume();
            }
        });

        txnAdd.setOnShowing(e -> fillAddMenu());
        fillAddMenu();
        txnTarget.textProperty().bind(vm.targetProperty());
        txnProblems.textProperty().bind(vm.problemsProperty());
        txnProblems.visibleProperty().bind(vm.problemsProperty().isNotEmpty());
        txnApply.disableProperty().bind(vm.canApplyProperty().not());
        txnApply.setOnAction(e -> vm.apply());
        txnClear.disableProperty().bind(Bindings.isEmpty(vm.actions()).or(vm.busyProperty()));
        txnClear.setOnAction(e -> vm.clear());
        var none = vm.selectedProperty().isNull();
        txnUp.disableProperty().bind(none);
        txnDown.disableProperty().bind(none);
        txnRemove.disableProperty().bind(none);
        txnUp.setOnAction(e -> vm.move(vm.selectedProperty().get(), -1));
        txnDown.setOnAction(e -> vm.move(vm.selectedProperty().get(), 1));
        txnRemove.setOnAction(e -> vm.remove(vm.selectedProperty().get()));

        txnMessage.textProperty().bind(vm.messageProperty());
        txnMessage.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        txnMessage.managedProperty().bind(txnMessage.visibleProperty());
        vm.messageIsErrorProperty().addListener((o, a, b) -> txnMessage.pseudoClassStateChanged(ERROR, b));

        txnHistory.setItems(vm.records());
        txnHistory.setConverter(new StringConverter<>() {
            @Override
            public String toString(TxnRecord r) {
                return r == null ? "" : r.title();
            }

            @Override
            public TxnRecord fromString(String s) {
                return null;
            }
        });
        txnHistory.valueProperty().bindBidirectional(vm.shownProperty());
        timelineScale.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                timelineScale.selectToggle(a); // one of the two is always on
            } else {
                txnTimeline.setStretched(b == timelineStretched);
            }
        });
        txnTimeline.show(vm.shownProperty().get());
        vm.shownProperty().addListener((o, a, r) -> txnTimeline.show(r));
    }

    private void showSelected(ActionRow row) {
        if (row == null) {
            txnActions.getSelectionModel().clearSelection();
        } else if (txnActions.getSelectionModel().getSelectedItem() != row) {
            txnActions.getSelectionModel().select(row);
            txnActions.scrollTo(row);
        }
        validation = ActionEditor.show(txnEditor, vm, row);
    }

    private void fillAddMenu() {
        txnAdd.getItems().setAll(items(vm.kindsForSelection(), vm::add));
    }

    /** The context menu of a graph card: the actions for that vertex; null when none apply. */
    public ContextMenu cardMenu(String key) {
        if (vm == null || key == null || key.startsWith("iothread:")) {
            return null;
        }
        List<MenuItem> items = items(vm.kindsFor(key), kind -> vm.add(kind, key));
        if (items.isEmpty()) {
            return null;
        }
        MenuItem header = new MenuItem("Add to the transaction:");
        header.setDisable(true);
        items.add(0, header);
        return new ContextMenu(items.toArray(MenuItem[]::new));
    }

    private List<MenuItem> items(List<ActionKind> kinds, Function<ActionKind, ActionRow> add) {
        List<MenuItem> items = new ArrayList<>();
        for (ActionKind k : kinds) {
            if (k == ActionKind.ABORT && !items.isEmpty()) {
                items.add(new SeparatorMenuItem());
            }
            MenuItem item = new MenuItem(k.label() + "  (" + k.type() + ")");
            item.setId("txnAdd-" + k.type());
            item.setOnAction(e -> {
                add.apply(k);
                onAdded.run();
            });
            items.add(item);
        }
        return items;
    }

    /** Called after an action was added (the console shows this tab then). */
    public void setOnAdded(Runnable r) {
        this.onAdded = r;
    }
}

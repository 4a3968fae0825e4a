package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.InspectorViewModel;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import org.controlsfx.control.PropertySheet;

/** Controller of {@code InspectorView.fxml}: a PropertySheet over an {@link InspectorViewModel}'s rows. */
public final class InspectorController {

    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");

    @FXML private Label inspectorTitle;
    @FXML private Label inspectorSubtitle;
    @FXML private Label inspectorMessage;
    @FXML private PropertySheet inspectorSheet;

    public void bind(InspectorViewModel vm) {
        inspectorTitle.textProperty().bind(vm.titleProperty());
        inspectorSubtitle.textProperty().bind(vm.subtitleProperty());
        inspectorMessage.textProperty().bind(vm.messageProperty());
        inspectorMessage.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        inspectorMessage.managedProperty().bind(inspectorMessage.visibleProperty());
        vm.messageIsErrorProperty().addListener((o, a, b) -> inspectorMessage.pseudoClassStateChanged(ERROR, b));

        inspectorSheet.setCategoryComparator(InspectorViewModel.CATEGORY_ORDER);
        inspectorSheet.setPropertyEditorFactory(InspectorEditors::create);
        show(vm);
        vm.rows().addListener((ListChangeListener<InspectorViewModel.Row>) c -> show(vm));
    }

    private void show(InspectorViewModel vm) {
        inspectorSheet.getItems().setAll(vm.rows().stream().map(r -> new InspectorItem(r, vm::edit)).toList());
    }
}

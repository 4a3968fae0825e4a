package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.InspectorViewModel;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;

import java.util.Optional;
import java.util.function.BiConsumer;

/** One inspector row as a PropertySheet item; setting an editable one hands the text to the ViewModel. */
final class InspectorItem implements PropertySheet.Item {

    private final InspectorViewModel.Row row;
    private final BiConsumer<InspectorViewModel.Row, String> edit;

    InspectorItem(InspectorViewModel.Row row, BiConsumer<InspectorViewModel.Row, String> edit) {
        this.row = row;
        this.edit = edit;
    }

    InspectorViewModel.Row row() {
        return row;
    }

    @Override
    public Class<?> getType() {
        return String.class;
    }

    @Override
    public String getCategory() {
        return row.category();
    }

    @Override
    public String getName() {
        return row.name();
    }

    @Override
    public String getDescription() {
        return row.description().isEmpty() ? row.name() : row.description();
    }

    @Override
    public Object getValue() {
        return row.value();
    }

    @Override
    public void setValue(Object value) {
        if (row.editable() && value != null) {
            edit.accept(row, value.toString());
        }
    }

    @Override
    public Optional<ObservableValue<?>> getObservableValue() {
        return Optional.empty();
    }

    /**
     * Always true for the sheet, which would otherwise disable (grey out) the editor: a read-only row gets a
     * non-editable field instead, whose text can still be selected and copied.
     */
    @Override
    public boolean isEditable() {
        return true;
    }
}

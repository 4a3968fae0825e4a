package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.EventLogViewModel;
import dev.blockdeck.app.viewmodel.EventLogViewModel.Entry;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;

/** Controller of {@code EventLogView.fxml}: the QMP events, newest last, filtered by name and text. */
public final class EventLogController {

    @FXML private ComboBox<String> eventNameFilter;
    @FXML private TextField eventTextFilter;
    @FXML private Label eventCount;
    @FXML private Button eventClear;
    @FXML private TableView<Entry> eventTable;
    @FXML private TableColumn<Entry, String> eventTime;
    @FXML private TableColumn<Entry, String> eventName;
    @FXML private TableColumn<Entry, String> eventData;

    public void bind(EventLogViewModel vm) {
        eventTable.setItems(vm.shown());
        eventTable.setPlaceholder(new Label("No events yet. Try stop and cont in the QMP console."));
        eventTime.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().time()));
        eventName.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        eventData.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().data()));
        eventNameFilter.setItems(vm.names());
        eventNameFilter.valueProperty().bindBidirectional(vm.nameFilterProperty());
        eventTextFilter.textProperty().bindBidirectional(vm.textFilterProperty());
        eventCount.textProperty().bind(Bindings.createStringBinding(
                () -> vm.shown().size() + " of " + vm.all().size() + " events", vm.shown(), vm.all()));
        vm.shown().addListener((ListChangeListener<Entry>) c -> {
            if (!vm.shown().isEmpty()) {
                eventTable.scrollTo(vm.shown().size() - 1);
            }
        });
        eventClear.setOnAction(e -> vm.clear());
    }
}

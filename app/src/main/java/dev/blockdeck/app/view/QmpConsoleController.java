package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.QmpConsoleViewModel;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/** Controller of {@code QmpConsoleView.fxml}: the transcript and the command line with its completion. */
public final class QmpConsoleController {

    @FXML private ListView<QmpConsoleViewModel.Entry> qmpTranscript;
    @FXML private TextField qmpCommandLine;
    @FXML private Button qmpSend;
    @FXML private Button qmpClear;
    @FXML private Label qmpSchema;

    private CompletionPopup completion;

    public void bind(QmpConsoleViewModel vm) {
        qmpTranscript.setItems(vm.transcript());
        qmpTranscript.setCellFactory(l -> new TranscriptCell());
        qmpTranscript.setPlaceholder(new Label("Answers appear here."));
        // follow the newest answer
        vm.transcript().addListener((ListChangeListener<QmpConsoleViewModel.Entry>) c -> {
            // after the next layout pass: blocks differ in height, and scrolling before they are measured
            // stops short of the newest
            Platform.runLater(() -> {
                if (!vm.transcript().isEmpty()) {
                    qmpTranscript.scrollTo(vm.transcript().size() - 1);
                }
            });
        });

        qmpCommandLine.textProperty().bindBidirectional(vm.inputProperty());
        completion = new CompletionPopup(qmpCommandLine, vm::complete);
        qmpCommandLine.setOnAction(e -> vm.submit());
        qmpCommandLine.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            // the completion list, when open, took Up and Down in its filter; otherwise they walk the history
            if (e.getCode() == KeyCode.UP && vm.historyPrevious() || e.getCode() == KeyCode.DOWN && vm.historyNext()) {
                completion.hide();
                qmpCommandLine.end();
                e.consume();
            }
        });
        qmpSend.setOnAction(e -> {
            vm.submit();
            qmpCommandLine.requestFocus();
        });
        qmpSend.disableProperty().bind(vm.connectedProperty().not());
        qmpClear.setOnAction(e -> vm.clear());
        qmpSchema.textProperty().bind(vm.schemaSummaryProperty());
    }

    /** Puts the caret in the command line (menu View › QMP console). */
    void focusCommandLine() {
        qmpCommandLine.requestFocus();
    }
}

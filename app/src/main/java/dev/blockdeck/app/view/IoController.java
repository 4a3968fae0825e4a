package dev.blockdeck.app.view;

import dev.blockdeck.app.io.IoHistory;
import dev.blockdeck.app.io.IoRate;
import dev.blockdeck.app.io.WorkloadInfo;
import dev.blockdeck.app.io.WorkloadSpec;
import dev.blockdeck.app.model.Units;
import dev.blockdeck.app.viewmodel.IoViewModel;
import dev.blockdeck.app.viewmodel.WorkloadsViewModel;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckComboBox;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Controller of {@code IoView.fxml}: the charts and current rates of an {@link IoViewModel}, and its guest
 * workloads (the start form, the list with verified and failed reads, a Stop per running workload).
 */
public final class IoController {

    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
    private static final PseudoClass STOPPED = PseudoClass.getPseudoClass("stopped");

    @FXML private SplitPane ioSplit;
    @FXML private ToggleGroup ioGrouping;
    @FXML private ToggleButton ioPerDrive;
    @FXML private ToggleButton ioPerIothread;
    @FXML private Label ioStatus;
    @FXML private HBox ioCharts;
    @FXML private FlowPane ioLegend;
    @FXML private TableView<IoHistory.Series> ioRates;
    @FXML private TableColumn<IoHistory.Series, String> rateName;
    @FXML private TableColumn<IoHistory.Series, String> rateReadIops;
    @FXML private TableColumn<IoHistory.Series, String> rateWriteIops;
    @FXML private TableColumn<IoHistory.Series, String> rateRead;
    @FXML private TableColumn<IoHistory.Series, String> rateWrite;
    @FXML private VBox ioWorkloadPane;
    @FXML private Button ioClearStopped;
    @FXML private Label ioUnavailable;
    @FXML private VBox ioForm;
    @FXML private TextField ioWorkloadId;
    @FXML private CheckComboBox<String> ioDrives;
    @FXML private ComboBox<String> ioPattern;
    @FXML private ComboBox<Integer> ioBlockSize;
    @FXML private Spinner<Integer> ioQueueDepth;
    @FXML private Spinner<Integer> ioReadPercent;
    @FXML private TextField ioRate;
    @FXML private CheckBox ioDependent;
    @FXML private Spinner<Integer> ioWriters;
    @FXML private Button ioStart;
    @FXML private Label ioProblems;
    @FXML private Label ioDataless;
    @FXML private Label ioMessage;
    @FXML private TableView<WorkloadInfo> ioWorkloads;
    @FXML private TableColumn<WorkloadInfo, String> wlId;
    @FXML private TableColumn<WorkloadInfo, String> wlOps;
    @FXML private TableColumn<WorkloadInfo, String> wlVerified;
    @FXML private TableColumn<WorkloadInfo, String> wlFailed;
    @FXML private TableColumn<WorkloadInfo, String> wlErrors;
    @FXML private TableColumn<WorkloadInfo, WorkloadInfo> wlState;

    private IoViewModel vm;
    private IoCharts charts;
    private WorkloadForm form;

    public void bind(IoViewModel vm) {
        this.vm = vm;
        charts = new IoCharts(ioCharts, ioLegend);
        bindCharts();
        bindWorkloads(vm.workloads());
    }

    private void bindCharts() {
        ioPerIothread.setUserData(IoViewModel.Grouping.IOTHREAD);
        ioPerDrive.setUserData(IoViewModel.Grouping.DRIVE);
        ioGrouping.selectedToggleProperty().addListener((o, old, now) -> {
            if (now == null) {
                old.setSelected(true); // a segmented choice: one of the two is always on
            } else {
                vm.groupingProperty().set((IoViewModel.Grouping) now.getUserData());
            }
        });
        ioStatus.textProperty().bind(vm.statusProperty());
        Tooltip statusTip = new Tooltip();
        statusTip.textProperty().bind(vm.statusProperty());
        ioStatus.setTooltip(statusTip);
        ioPerIothread.setTooltip(new Tooltip("Sum over the drives whose nodes run in each AioContext, as the graph's lanes show them"));

        rateName.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        rate(rateReadIops, IoRate::readIops, v -> WorkloadSpec.compact(v));
        rate(rateWriteIops, IoRate::writeIops, v -> WorkloadSpec.compact(v));
        rate(rateRead, IoRate::readBytesPerSecond, v -> Units.bytes(Math.round(v)) + "/s");
        rate(rateWrite, IoRate::writeBytesPerSecond, v -> Units.bytes(Math.round(v)) + "/s");
        ioRates.setPlaceholder(new Label("Rates appear after the second sample."));
        vm.seriesProperty().addListener((o, a, series) -> ioRates.getItems().setAll(series));
        vm.chartsProperty().addListener((o, a, lines) -> charts.show(lines));
        vm.groupingProperty().addListener((o, a, g) -> rateName.setText(g == IoViewModel.Grouping.DRIVE ? "Drive" : "IOThread"));
        rateName.setText("Drive");
        show();
    }

    private void show() {
        charts.show(vm.chartsProperty().get());
        ioRates.getItems().setAll(vm.seriesProperty().get());
    }

    private static void rate(TableColumn<IoHistory.Series, String> column, ToDoubleFunction<IoRate> value,
                             Function<Double, String> format) {
        column.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().latest() == null ? "—"
                : format.apply(value.applyAsDouble(c.getValue().latest()))));
    }

    private void bindWorkloads(WorkloadsViewModel w) {
        form = new WorkloadForm(w, vm.drives(), ioWorkloadId, ioDrives, ioPattern, ioBlockSize, ioQueueDepth,
                ioReadPercent, ioRate, ioDependent, ioWriters);
        // QEMU has no such commands: the form stays visible but disabled, and says why
        ioForm.disableProperty().bind(w.availableProperty().not());
        ioUnavailable.textProperty().bind(w.unavailableProperty());
        ioUnavailable.visibleProperty().bind(w.unavailableProperty().isNotEmpty());
        ioUnavailable.managedProperty().bind(ioUnavailable.visibleProperty());
        Tooltip why = new Tooltip();
        why.textProperty().bind(w.unavailableProperty());
        why.setWrapText(true);
        why.setMaxWidth(420);
        // on the form's pane, not the form: a disabled control shows no tooltip
        w.unavailableProperty().addListener((o, a, text) -> installWhy(why, text));
        installWhy(why, w.unavailableProperty().get());

        ioStart.disableProperty().bind(form.invalid().or(w.busyProperty()));
        ioProblems.textProperty().bind(form.problems());
        ioProblems.visibleProperty().bind(ioProblems.textProperty().isNotEmpty().and(w.availableProperty()));
        ioProblems.managedProperty().bind(ioProblems.visibleProperty());
        ioDataless.textProperty().bind(form.datalessNote(vm.datalessDrives()));
        ioDataless.visibleProperty().bind(ioDataless.textProperty().isNotEmpty().and(w.availableProperty()));
        ioDataless.managedProperty().bind(ioDataless.visibleProperty());
        ioStart.setOnAction(e -> w.start(form.spec()).thenAccept(ok -> {
            if (ok) {
                form.started();
            }
        }));
        ioClearStopped.setOnAction(e -> w.clearStopped());

        ioMessage.textProperty().bind(w.messageProperty());
        ioMessage.visibleProperty().bind(w.messageProperty().isNotEmpty());
        ioMessage.managedProperty().bind(ioMessage.visibleProperty());
        w.messageIsErrorProperty().addListener((o, a, b) -> ioMessage.pseudoClassStateChanged(ERROR, b));

        ioWorkloads.setItems(w.workloads());
        ioWorkloads.setPlaceholder(new Label("No workloads. Choose drives and Start."));
        wlId.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().id()));
        wlOps.setCellValueFactory(c -> new ReadOnlyStringWrapper(WorkloadSpec.compact(c.getValue().ops())));
        wlVerified.setCellValueFactory(c -> new ReadOnlyStringWrapper(WorkloadSpec.compact(c.getValue().verified())));
        wlFailed.setCellValueFactory(c -> new ReadOnlyStringWrapper(WorkloadSpec.compact(c.getValue().verifyFailures())));
        wlErrors.setCellValueFactory(c -> new ReadOnlyStringWrapper(WorkloadSpec.compact(c.getValue().errors())));
        wlState.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        wlState.setCellFactory(c -> new StopCell(w));
        ioWorkloads.setRowFactory(t -> new WorkloadRow());
    }

    private void installWhy(Tooltip why, String text) {
        if (text == null || text.isEmpty()) {
            Tooltip.uninstall(ioWorkloadPane, why);
        } else {
            Tooltip.install(ioWorkloadPane, why);
        }
    }

    /** Running: a Stop button; stopped: the word. */
    private static final class StopCell extends TableCell<WorkloadInfo, WorkloadInfo> {
        private final Button stop = new Button("Stop");
        private WorkloadInfo item;

        StopCell(WorkloadsViewModel w) {
            stop.getStyleClass().addAll("small", "danger");
            stop.setOnAction(e -> {
                if (item != null) {
                    w.stop(item.id());
                }
            });
            stop.disableProperty().bind(w.busyProperty().or(w.availableProperty().not()));
        }

        @Override
        protected void updateItem(WorkloadInfo info, boolean empty) {
            super.updateItem(info, empty);
            item = empty ? null : info;
            if (item == null) {
                setGraphic(null);
                setText(null);
            } else if (item.running()) {
                stop.setId("ioStop-" + item.id());
                setGraphic(stop);
                setText(null);
            } else {
                setGraphic(null);
                setText("stopped");
            }
        }
    }

    /**
     * A workload with failed verifications or errors is marked; the row's tooltip says on which drives it runs, what
     * it moved, and its first problem.
     */
    private static final class WorkloadRow extends TableRow<WorkloadInfo> {
        @Override
        protected void updateItem(WorkloadInfo info, boolean empty) {
            super.updateItem(info, empty);
            boolean shown = !empty && info != null;
            pseudoClassStateChanged(FAILED, shown && (info.verifyFailures() > 0 || info.errors() > 0));
            pseudoClassStateChanged(STOPPED, shown && !info.running());
            setTooltip(shown ? new Tooltip(describe(info)) : null);
        }

        private static String describe(WorkloadInfo w) {
            return w.id() + " on " + String.join(", ", w.drives()) + (w.running() ? "" : " (stopped)") + "\n"
                    + w.reads() + " reads (" + Units.bytes(w.bytesRead()) + "), " + w.writes() + " writes ("
                    + Units.bytes(w.bytesWritten()) + "), " + w.verified() + " reads verified, " + w.verifyFailures()
                    + " failed verification, " + w.errors() + " errors"
                    + (w.error() == null ? "" : "\nFirst problem: " + w.error());
        }
    }

    /** Polls only while the tab is shown (the console tells). */
    public void setShown(boolean shown) {
        if (vm != null) {
            vm.setActive(shown);
        }
    }

    /** For the window's remembered state: the charts / workloads divider. */
    SplitPane split() {
        return ioSplit;
    }
}

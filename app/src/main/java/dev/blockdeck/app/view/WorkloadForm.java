package dev.blockdeck.app.view;

import dev.blockdeck.app.io.WorkloadSpec;
import dev.blockdeck.app.viewmodel.WorkloadsViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;
import org.controlsfx.tools.ValueExtractor;
import org.controlsfx.validation.ValidationMessage;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The I/O tab's form for {@code __dev.blockdeck_guest-workload-start}: its controls, their ControlsFX validation
 * (id, drives, rate: the rest cannot be out of range), and the {@link WorkloadSpec} they make.
 */
final class WorkloadForm {

    static {
        // ControlsFX validates a control through its value; a CheckComboBox's value is what is checked
        ValueExtractor.addObservableValueExtractor(c -> c instanceof CheckComboBox,
                c -> Bindings.size(((CheckComboBox<?>) c).getCheckModel().getCheckedItems()));
    }

    private final TextField id;
    private final CheckComboBox<String> drives;
    private final ComboBox<String> pattern;
    private final ComboBox<Integer> blockSize;
    private final Spinner<Integer> queueDepth;
    private final Spinner<Integer> readPercent;
    private final TextField rate;
    private final CheckBox dependent;
    private final Spinner<Integer> writers;
    private final WorkloadsViewModel vm;
    private final ValidationSupport validation = new ValidationSupport();
    /** The id the form proposed last (w1, w2, …). */
    private String suggested = "";

    WorkloadForm(WorkloadsViewModel vm, ObservableList<String> choices, TextField id, CheckComboBox<String> drives,
                 ComboBox<String> pattern, ComboBox<Integer> blockSize, Spinner<Integer> queueDepth,
                 Spinner<Integer> readPercent, TextField rate, CheckBox dependent, Spinner<Integer> writers) {
        this.vm = vm;
        this.id = id;
        this.drives = drives;
        this.pattern = pattern;
        this.blockSize = blockSize;
        this.queueDepth = queueDepth;
        this.readPercent = readPercent;
        this.rate = rate;
        this.dependent = dependent;
        this.writers = writers;

        pattern.getItems().setAll(WorkloadSpec.PATTERNS);
        pattern.setValue(WorkloadSpec.PATTERNS.get(0));
        blockSize.getItems().setAll(WorkloadSpec.blockSizes());
        blockSize.setValue(4096);
        blockSize.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer bytes) {
                return bytes == null ? "" : WorkloadSpec.formatSize(bytes);
            }

            @Override
            public Integer fromString(String s) {
                return blockSize.getItems().stream().filter(b -> WorkloadSpec.formatSize(b).equals(s)).findFirst().orElse(4096);
            }
        });
        queueDepth.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, WorkloadSpec.MAX_QUEUE_DEPTH, 4));
        readPercent.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 100, 50, 10));
        writers.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, WorkloadSpec.MAX_WRITERS, 1));
        // the free-running knobs do not apply to dependent writers, and the engine refuses them together
        writers.disableProperty().bind(dependent.selectedProperty().not());
        pattern.disableProperty().bind(dependent.selectedProperty());
        queueDepth.disableProperty().bind(dependent.selectedProperty());

        suggest();
        followChoices(choices);

        validation.registerValidator(id, false, (Control c, String text) -> {
            String problem = WorkloadSpec.idProblem(text);
            if (problem == null && vm.isRunning(text)) {
                problem = "A running workload is already called " + text.strip() + ".";
            }
            return ValidationResult.fromErrorIf(c, problem == null ? "" : problem, problem != null);
        });
        validation.registerValidator(drives, false, (Control c, Object checked) ->
                ValidationResult.fromErrorIf(c, "Choose at least one drive.",
                        drives.getCheckModel().getCheckedItems().isEmpty()));
        validation.registerValidator(rate, false, (Control c, String text) -> {
            String problem = WorkloadSpec.rateProblem(text);
            return ValidationResult.fromErrorIf(c, problem == null ? "" : problem, problem != null);
        });
        // a workload that starts or stops changes which ids are free; one started elsewhere (the QMP console)
        // under the id we suggested moves the suggestion on, but an id the user typed is theirs to change
        vm.workloads().addListener((ListChangeListener<Object>) ch -> {
            if (id.getText().equals(suggested) && vm.isRunning(suggested)) {
                suggest();
            }
            validation.revalidate(id);
        });
    }

    /** The drives on offer follow the VM's; what was checked stays checked while it exists. */
    private void followChoices(ObservableList<String> choices) {
        drives.getItems().setAll(choices);
        // the box shows what is checked, or what to do when nothing is
        drives.titleProperty().bind(Bindings.createStringBinding(() -> {
            var checked = drives.getCheckModel().getCheckedItems();
            return checked.isEmpty() ? "choose…" : String.join(", ", checked);
        }, drives.getCheckModel().getCheckedItems()));
        choices.addListener((ListChangeListener<String>) ch -> {
            List<String> checked = new ArrayList<>(drives.getCheckModel().getCheckedItems());
            drives.getItems().setAll(choices);
            checked.stream().filter(choices::contains).forEach(d -> drives.getCheckModel().check(d));
        });
    }

    /** True while something in the form is wrong. */
    BooleanBinding invalid() {
        return Bindings.createBooleanBinding(() -> !Boolean.FALSE.equals(validation.isInvalid()),
                validation.invalidProperty());
    }

    /** The problems, one line, for the label beside Start (the decorations say it per control too). */
    javafx.beans.binding.StringBinding problems() {
        return Bindings.createStringBinding(() -> validation.getValidationResult() == null ? ""
                : validation.getValidationResult().getMessages().stream().map(ValidationMessage::getText)
                .distinct().collect(Collectors.joining(" ")), validation.validationResultProperty());
    }

    /**
     * A warning, or empty: reads from a drive that keeps no data (null-co) cannot return what was written, so the
     * engine counts each one as a failed verification. Worth saying before the red numbers appear.
     */
    javafx.beans.binding.StringBinding datalessNote(ObservableList<String> dataless) {
        var checked = drives.getCheckModel().getCheckedItems();
        return Bindings.createStringBinding(() -> {
            List<String> hit = checked.stream().filter(dataless::contains).toList();
            if (hit.isEmpty() || readPercent.getValue() == null || readPercent.getValue() == 0) {
                return "";
            }
            return String.join(", ", hit) + (hit.size() == 1 ? " keeps" : " keep") + " no data (null-co): its reads"
                    + " of written blocks will fail verification. Set Reads % to 0, or use a drive with an image.";
        }, checked, dataless, readPercent.valueProperty());
    }

    WorkloadSpec spec() {
        return new WorkloadSpec(id.getText().strip(), List.copyOf(drives.getCheckModel().getCheckedItems()),
                pattern.getValue(), blockSize.getValue() == null ? 4096 : blockSize.getValue(),
                queueDepth.getValue(), readPercent.getValue(), WorkloadSpec.parseRate(rate.getText()),
                dependent.isSelected(), writers.getValue());
    }

    /** After a start: a fresh id for the next one. */
    void started() {
        suggest();
        validation.revalidate();
    }

    private void suggest() {
        suggested = vm.nextId();
        id.setText(suggested);
    }
}

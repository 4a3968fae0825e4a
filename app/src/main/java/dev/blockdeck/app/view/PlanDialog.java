package dev.blockdeck.app.view;

import dev.blockdeck.app.move.ReplugPlan;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Shows a {@link ReplugPlan}: why the VM refused, and the steps to copy (QMP commands or the command line). Not
 * modal, so the user can keep the QMP console and the graph at hand while following it.
 */
final class PlanDialog {

    private PlanDialog() {
    }

    /** Shows the plan; {@code onClosed} runs when it is closed. */
    static Dialog<Void> show(Window owner, ReplugPlan plan, Runnable onClosed) {
        Dialog<Void> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.initModality(Modality.NONE);
        dialog.setTitle("Move plan");
        dialog.setHeaderText(plan.title());
        dialog.setGraphic(new FontIcon(plan.hotplug() ? "fth-clipboard" : "fth-terminal"));
        dialog.setResizable(true);

        Label why = new Label(plan.why());
        why.setId("planWhy");
        why.setWrapText(true);
        why.setMinHeight(Region.USE_PREF_SIZE);
        why.getStyleClass().add("plan-why");
        TextArea steps = new TextArea(plan.steps());
        steps.setId("planSteps");
        steps.setEditable(false);
        steps.setWrapText(false);
        steps.getStyleClass().add("plan-steps");
        steps.setPrefColumnCount(96);
        steps.setPrefRowCount(18);
        VBox.setVgrow(steps, Priority.ALWAYS);

        Label copied = new Label();
        copied.getStyleClass().add("text-muted");
        Button copy = new Button("Copy plan", new FontIcon("fth-copy"));
        copy.setId("planCopy");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(plan.text());
            Clipboard.getSystemClipboard().setContent(content);
            copied.setText("Copied to the clipboard.");
        });
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(10, copy, copied, grow);
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        VBox content = new VBox(10, why, steps, bar);
        content.setId("planDialog");
        dialog.getDialogPane().setContent(content);
        // wide enough for a device_add line; the steps scroll sideways rather than wrap (they are to be copied)
        dialog.getDialogPane().getStyleClass().add("plan-dialog");
        dialog.getDialogPane().setPrefWidth(960);
        dialog.getDialogPane().setPrefHeight(560);
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.getDialogPane().getStylesheets().add(PlanDialog.class.getResource("moves.css").toExternalForm());
        dialog.setOnHidden(e -> onClosed.run());
        dialog.show();
        return dialog;
    }
}
